using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.AmbassadorProfiles;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Content;

namespace Ambassadors.Cli.Demo;

/// <summary>What the Vogue-like circle loaded.</summary>
internal sealed record VogueLoaded(string CampaignId, int Members, IReadOnlyList<string> ContentIds, IReadOnlyList<string> Previews,
    IReadOnlyList<string> MemberIds, string DemoMemberId, TrafficResult Traffic);

/// <summary>
/// A circle like Vogue's insiders: a brand campaign whose thousand members come in through the ambassador import, older
/// pieces now public and exclusive previews under embargo, some clicks and sign-ups, and the members' feedback.
/// </summary>
internal static class VogueCircle
{
    public const string Name = "Insiders Circle";

    /// <summary>The pieces: days since publication (negative: an exclusive preview, public in that many days).</summary>
    private static readonly (string Slug, string Title, string Body, int Days)[] Pieces =
    [
        ("september-issue", "The September issue: behind the cover", "How the cover came together, from the first sketch to the last print.", 80),
        ("autumn-edit", "The autumn edit", "Twelve pieces for the season, chosen by the editors.", 55),
        ("met-gala", "Gala night, minute by minute", "The looks, the guests and the moments between.", 30),
        ("winter-preview", "Preview: the winter collection", "Before anyone else: the winter collection, shown to the circle first.", -10),
        ("holiday-guide", "Preview: the holiday gift guide", "The gift guide, a week before it is published.", -5),
        ("spring-shows", "Preview: first looks from the spring shows", "Exclusive first looks, under embargo until the shows open.", -20),
    ];

    public static async Task<VogueLoaded> LoadAsync(DemoRun run, CancellationToken cancellationToken)
    {
        var world = run.World;
        var grains = run.Get<IGrainFactory>();
        var draft = DemoRun.Ok(CampaignInput.Create(new CreateCampaignRequest(
            Name, "brand", "https://www.example.com/vogue", "EUR", run.FirstDay, null, null,
            AttributionWindowDays: 30, HoldingPeriodDays: 14,
            Status: "active",
            Kpi: new KpiRequest("uniqueVisitors", run.Size.VogueClicks),
            Description: "The circle sees the magazine's stories first, shares them when the embargo lifts and tells the editors what works.",
            Terms: "Previews stay private until their embargo; members share them only afterwards, with their own link.")), "campaign");
        var campaign = DemoRun.Ok(await grains.GetGrain<ICampaignGrain>(Ids.New("cmp")).CreateAsync(draft), "campaign");

        var contentIds = new List<string>();
        var previews = new List<string>();
        var from = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var (slug, title, body, days) in Pieces)
        {
            var piece = DemoRun.Ok(await grains.GetGrain<IContentGrain>(Ids.New("cnt")).CreateAsync(new ContentDraft(
                campaign.Id, title, body, $"https://www.example.com/vogue/media/{slug}.jpg", $"https://www.example.com/vogue/{slug}",
                days < 0 ? run.Now.AddDays(-days) : null, new ContentActor(run.Manager.Id, run.Manager.Name))), "content");
            contentIds.Add(piece.Id);
            if (days < 0) previews.Add(piece.Id);
            // Shared from publication on; a preview is not shared before its embargo lifts, so it has no clicks yet.
            from[piece.Id] = run.Today.AddDays(-days);
        }
        var (memberIds, demoMemberId) = await ImportAsync(run, campaign.Id, cancellationToken);
        await run.SayAsync($"Vogue: campaign \"{Name}\", {DemoRun.N(memberIds.Count)} members through the ambassador import");

        await run.SayAsync($"Vogue: {contentIds.Count} pieces, {previews.Count} of them exclusive previews under embargo");

        // Traffic is flatter than Ford's: many members share a little.
        var links = await DemoTraffic.LinksAsync(run, campaign.Id, contentIds, cancellationToken);
        var members = memberIds.Select((id, rank) => new DemoMember(id, 1 / Math.Pow(rank + 1, 0.7), 0.5 + world.NextDouble(),
                links[id].Select(l => new DemoLink(l.Code, l.ContentId, l.ContentId is null ? run.FirstDay : from[l.ContentId])).ToList()))
            .ToList();
        var traffic = await DemoTraffic.ReplayAsync(run, campaign.Id, "Vogue", members, run.Size.VogueClicks, 0.03, 0, null, cancellationToken);
        return new VogueLoaded(campaign.Id, memberIds.Count, contentIds, previews, memberIds, demoMemberId, traffic);
    }

    /// <summary>The members, checked and imported by the ambassador import (everyone or no one), enrolled in the circle.</summary>
    private static async Task<(List<string> Members, string DemoMemberId)> ImportAsync(DemoRun run, string campaignId, CancellationToken cancellationToken)
    {
        var world = run.World;
        var memberEmail = world.Account("member");
        var rows = new List<ImportRow>(run.Size.Members);
        for (var i = 0; i < run.Size.Members; i++)
        {
            var name = i == 0 ? "Sophie Laurent" : world.Name();
            rows.Add(new ImportRow(i + 2, name, i == 0 ? memberEmail : world.EmailFor(name), i == 0 ? "FR" : world.Country(),
                i == 0 ? "instagram" : world.Pick(["instagram", "tiktok", "youtube", "blog"]), world.Handle(name),
                world.Followers(i == 0 ? 1.5 : 0.3).ToString(CultureInfo.InvariantCulture)));
        }
        var import = run.Get<AmbassadorImport>();
        var preview = await import.CheckAsync(rows, campaignId, cancellationToken);
        if (!preview.CanImport)
        {
            var first = preview.Rows.FirstOrDefault(r => r.Errors.Count > 0);
            throw new InvalidOperationException($"The import refused the members: {preview.FileError?.Key ?? first?.Errors[0].Key} (line {first?.Row.Line}).");
        }
        var (outcome, why) = await import.CommitAsync(new ImportPayload(Ids.New("imp"), "insiders-circle.csv", campaignId, preview.People),
            new ChangedBy(run.Manager.Id, run.Manager.Name), cancellationToken);
        if (outcome != ImportOutcome.Imported) throw new InvalidOperationException($"The import refused the members: {why?.Key}.");

        await using var db = await run.DbAsync(cancellationToken);
        var emails = rows.Select(r => r.Email.ToLowerInvariant()).ToList();
        var byEmail = db.Ambassadors.Where(a => emails.Contains(a.NormalizedEmail)).Select(a => new { a.Id, a.NormalizedEmail })
            .ToDictionary(a => a.NormalizedEmail, a => a.Id, StringComparer.Ordinal);
        var members = emails.Select(e => byEmail[e]).ToList();
        return (members, members[0]);
    }
}
