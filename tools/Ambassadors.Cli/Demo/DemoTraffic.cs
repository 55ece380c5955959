using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Conversions;
using Ambassadors.Web.ReferralCodes;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Cli.Demo;

/// <summary>One member's tracked link: the campaign's (no piece) or a piece's, clickable from <paramref name="From"/>.</summary>
internal sealed record DemoLink(string Code, string? ContentId, DateOnly From);

/// <summary>A member as the traffic sees them: how much of it they draw (stars draw a lot) and how well it converts.</summary>
internal sealed record DemoMember(string AmbassadorId, double Weight, double Conversion, List<DemoLink> Links);

/// <summary>What a replay recorded.</summary>
internal sealed record TrafficResult(int Clicks, int BotClicks, int Leads, int Sales, IReadOnlyList<string> SaleIds);

/// <summary>
/// Months of traffic replayed through the product: each click through <see cref="PastClicks"/> (the redirect's own
/// counting, at the click's time, by a visitor who comes back with the cookies the last click left), then the leads and
/// sales that follow some of them through <see cref="ConversionService"/> with their click id and past occurredAt.
/// </summary>
internal static class DemoTraffic
{
    private static readonly string[] Browsers =
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    ];

    private const string LinkPreview = "WhatsApp/2.24.23.78 A";

    private sealed class Browser(string id, string addressHash, string userAgent)
    {
        public string Id { get; } = id;
        public string AddressHash { get; } = addressHash;
        public string UserAgent { get; } = userAgent;
        public List<string> Seen { get; } = [];
        public bool Returning { get; set; }

        /// <summary>
        /// The visitor id a link preview's fetch gets (it sends no cookies, so the redirect gives it a new one): derived from
        /// the browser's id, so the demo's draws stay as they were.
        /// </summary>
        public string PreviewId => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(Id + "-preview")), 0, 16);
    }

    private sealed record Clicked(string ClickId, DateTimeOffset At, DemoMember Member, DemoLink Link);

    /// <summary>The members' links of a campaign, read back from the codes the product made; <paramref name="pieces"/> in their order.</summary>
    public static async Task<Dictionary<string, List<(string Code, string? ContentId)>>> LinksAsync(DemoRun run, string campaignId,
        List<string> pieces, CancellationToken cancellationToken)
    {
        await using var db = await run.DbAsync(cancellationToken);
        var codes = await db.ReferralCodes.AsNoTracking().Where(c => c.CampaignId == campaignId)
            .Select(c => new { c.AmbassadorId, c.Code, c.ContentId }).ToListAsync(cancellationToken);
        // In a fixed order (the campaign's link, then the pieces as listed), so the same draws pick the same links every time.
        return codes.GroupBy(c => c.AmbassadorId).ToDictionary(g => g.Key,
            g => g.OrderBy(c => c.ContentId is null ? -1 : pieces.IndexOf(c.ContentId)).Select(c => (c.Code, c.ContentId)).ToList(),
            StringComparer.Ordinal);
    }

    public static async Task<TrafficResult> ReplayAsync(DemoRun run, string campaignId, string label, IReadOnlyList<DemoMember> members,
        int clicks, double leadRate, double saleRate, Func<decimal>? saleAmount, CancellationToken cancellationToken)
    {
        var world = run.World;
        var pastClicks = run.Get<PastClicks>();
        var start = DemoRun.StartOf(run.FirstDay);
        var end = run.Now.AddMinutes(-30);
        var span = (end - start).TotalMinutes;
        var cumulative = new double[members.Count];
        var total = 0.0;
        for (var i = 0; i < members.Count; i++) cumulative[i] = total += members[i].Weight;
        var audiences = members.ToDictionary(m => m.AmbassadorId, _ => new List<Browser>(), StringComparer.Ordinal);
        var everyone = new List<Browser>();

        var drawn = new List<(DateTimeOffset At, DemoMember Member, DemoLink Link, bool IsBot, Browser Browser)>(clicks);
        for (var n = 0; n < clicks; n++)
        {
            var found = Array.BinarySearch(cumulative, world.NextDouble() * total);
            var member = members[Math.Min(found < 0 ? ~found : found, members.Count - 1)];
            // Traffic grows as the programme gets known: later days draw more clicks.
            var at = start.AddMinutes(span * Math.Pow(world.NextDouble(), 0.75));
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            var open = member.Links.Where(l => l.From <= day).ToList();
            var link = open.Count == 0 ? member.Links[0]
                : world.NextDouble() < 0.35 && open.FirstOrDefault(l => l.ContentId is null) is { } campaignLink ? campaignLink
                : world.Pick(open);
            if (link.From > day) at = DemoRun.StartOf(link.From).AddMinutes(world.Next(24 * 60));
            var isBot = world.NextDouble() < 0.04;
            drawn.Add((at, member, link, isBot, Audience(world, audiences[member.AmbassadorId], everyone)));
        }
        // In time order, as they happened, each with the browser's cookies as that click finds them: none the first time,
        // then the visitor id and what was seen (a link preview's fetch has none and leaves none).
        var planned = drawn.OrderBy(d => d.At).Select(d =>
        {
            var visitor = d.IsBot ? new Visitor(d.Browser.PreviewId, true, []) : new Visitor(d.Browser.Id, !d.Browser.Returning, d.Browser.Seen);
            if (!d.IsBot) d.Browser.Returning = true;
            return (Click: new PastClick(d.Link.Code, d.At, visitor, d.IsBot ? LinkPreview : d.Browser.UserAgent, d.Browser.AddressHash),
                d.Member, d.Link, d.IsBot);
        }).ToList();
        var ids = await pastClicks.RecordAsync(planned.Select(p => p.Click).ToList(), cancellationToken);
        await pastClicks.FlushAsync();
        var recorded = new List<Clicked>(clicks);
        for (var i = 0; i < planned.Count; i++)
        {
            var (click, member, link, isBot) = planned[i];
            var clickId = ids[i] ?? throw new InvalidOperationException($"The code {click.Code} does not resolve.");
            if (!isBot) recorded.Add(new Clicked(clickId, click.At, member, link));
        }
        var bots = planned.Count(p => p.IsBot);
        await run.SayAsync($"{label}: {DemoRun.N(clicks)} clicks over six months ({DemoRun.N(bots)} by link previews)");

        // The conversions some clicks lead to, in the order they happened.
        var conversions = new List<ConversionInput>();
        var sequence = 0;
        foreach (var click in recorded)
        {
            var draw = world.NextDouble();
            var kind = draw < saleRate * click.Member.Conversion ? ConversionKind.Sale
                : draw < (saleRate + leadRate) * click.Member.Conversion ? ConversionKind.Lead
                : (ConversionKind?)null;
            if (kind is null) continue;
            var occurredAt = click.At.AddMinutes(Math.Min(world.Exponential(kind == ConversionKind.Sale ? 2 * 24 * 60 : 90), 20 * 24 * 60));
            if (occurredAt > end) continue;
            occurredAt = new DateTimeOffset(occurredAt.Ticks - occurredAt.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            var byCode = world.NextDouble() < 0.05;
            sequence++;
            conversions.Add(new ConversionInput(
                $"{campaignId}-{(kind == ConversionKind.Sale ? "order" : "signup")}-{sequence:00000}", kind.Value,
                kind == ConversionKind.Sale ? saleAmount?.Invoke() : null, null,
                byCode ? click.Link.Code : null, byCode ? null : click.ClickId,
                $"cust-{world.Next(1_000_000):000000}", occurredAt));
        }
        var service = run.Get<ConversionService>();
        // As many shops' requests at once: on SQLite they share a group commit, on PostgreSQL each holds a connection.
        await Parallel.ForEachAsync(conversions.OrderBy(c => c.OccurredAt),
            new ParallelOptions { MaxDegreeOfParallelism = run.Engine == StorageEngine.Sqlite ? 32 : 8, CancellationToken = cancellationToken },
            async (input, token) => DemoRun.Ok(await service.RecordAsync(input, token), $"conversion {input.ExternalId}"));
        var sales = conversions.Where(c => c.Kind == ConversionKind.Sale).Select(c => c.ExternalId).ToList();
        var leads = conversions.Count - sales.Count;
        await run.SayAsync($"{label}: {DemoRun.N(leads)} leads and {DemoRun.N(sales.Count)} sales through the conversion service");
        return new TrafficResult(clicks, bots, leads, sales.Count, sales);
    }

    /// <summary>Who clicks: now and then someone of the member's audience comes back, rarely someone another member reached.</summary>
    private static Browser Audience(DemoWorld world, List<Browser> audience, List<Browser> everyone)
    {
        var draw = world.NextDouble();
        if (audience.Count > 0 && draw < 0.25) return audience[world.Next(audience.Count)];
        if (everyone.Count > 0 && draw < 0.28)
        {
            var shared = everyone[world.Next(everyone.Count)];
            audience.Add(shared);
            return shared;
        }
        var bytes = new byte[32];
        world.Random.NextBytes(bytes);
        var browser = new Browser(Convert.ToHexStringLower(bytes, 0, 16), Convert.ToHexStringLower(bytes, 16, 16), world.Pick(Browsers));
        audience.Add(browser);
        everyone.Add(browser);
        return browser;
    }

    /// <summary>A sale's amount in euros with cents.</summary>
    public static decimal Euros(DemoWorld world, decimal min, decimal max) =>
        decimal.Round(min + (max - min) * (decimal)world.NextDouble(), 2);

    public static string Money(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture);
}
