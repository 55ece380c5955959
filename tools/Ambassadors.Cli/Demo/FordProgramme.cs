using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Content;
using Ambassadors.Web.Conversions;
using Ambassadors.Web.Recruitment;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Cli.Demo;

/// <summary>What the Fiesta-like programme loaded.</summary>
internal sealed record FordLoaded(string CampaignId, int Applicants, int Agents, IReadOnlyList<string> ContentIds,
    IReadOnlyList<string> AgentIds, string StarAgentId, TrafficResult Traffic, int Refunds, int PaidBatches, decimal Paid);

/// <summary>
/// A programme like Ford's Fiesta Movement: a product campaign over six months, thousands of applicants through the
/// public form's intake, a hundred of them accepted as agents by the review page's decision, a themed piece a month,
/// uneven traffic (a few stars, a long tail), leads and sales with some refunds, and finance's monthly batches paid.
/// </summary>
internal static class FordProgramme
{
    public const string Name = "Fiesta Movement";

    private static readonly (string Theme, string Title, string Body)[] Pieces =
    [
        ("travel", "Road trip: where would you take a Fiesta?", "Pack a bag, pick a road you never drove and show us where the Fiesta takes you."),
        ("technology", "Tech on board: the connected car in everyday life", "Voice control, maps and music: how the car's technology fits your day."),
        ("social", "Drive for good: a Fiesta for a cause", "Lend your week to a cause you care about, and let the car carry it."),
        ("culture", "Night out: the city's culture by car", "Concerts, galleries and late dinners: a night out across town."),
        ("adventure", "Weekend adventure", "Mountains, coast or forest: the weekend that needed a small car with a big boot."),
        ("holidays", "Winter lights", "The season's lights, markets and family visits, one drive at a time."),
    ];

    private static readonly string[] Motivations =
    [
        "I film every trip I make and my followers ask which car I drive. I would love to show them a year with the Fiesta.",
        "I write about city life and getting around on a budget; a small, smart car is exactly what my readers look for.",
        "My channel is about weekend adventures with friends. We need a car that fits four people and our gear.",
        "I am a student who shares everything on TikTok. I want to show that a first car can be fun and sensible.",
        "I review gadgets and apps, and I want to test the connected car features in real life, not in a showroom.",
        "I volunteer for a local food bank and post about it; a car would help us reach more people, and I would share the story.",
    ];

    public static async Task<FordLoaded> LoadAsync(DemoRun run, CancellationToken cancellationToken)
    {
        var world = run.World;
        var size = run.Size;
        var grains = run.Get<IGrainFactory>();

        var draft = DemoRun.Ok(CampaignInput.Create(new CreateCampaignRequest(
            Name, "product", "https://www.example.com/fiesta", "EUR", run.FirstDay, run.LastDay, size.Agents,
            AttributionWindowDays: 30, HoldingPeriodDays: 14,
            Rewards: new RewardRulesRequest(PerLead: 2.50m, PerSale: 20m, SalePercent: 5m),
            Status: "active",
            Kpi: new KpiRequest("sales", size.Agents * 5),
            Description: "A hundred agents drive a new Fiesta for six months and share what they do with it: one themed mission a month.",
            Terms: "Agents share honest content, mark it as a partnership, keep the car insured and take part in one mission a month.",
            TargetCountries: ["NL", "BE", "DE", "GB", "FR"])), "campaign");
        var campaign = DemoRun.Ok(await grains.GetGrain<ICampaignGrain>(Ids.New("cmp")).CreateAsync(draft), "campaign");
        var contentIds = new List<string>();
        foreach (var (theme, title, body) in Pieces)
        {
            var piece = DemoRun.Ok(await grains.GetGrain<IContentGrain>(Ids.New("cnt")).CreateAsync(new ContentDraft(
                campaign.Id, title, body, $"https://www.example.com/fiesta/media/{theme}.jpg", null, null,
                new ContentActor(run.Manager.Id, run.Manager.Name))), "content");
            contentIds.Add(piece.Id);
        }
        await run.SayAsync($"Ford: campaign \"{Name}\" {run.FirstDay:yyyy-MM-dd}..{run.LastDay:yyyy-MM-dd} with {Pieces.Length} pieces");

        var (applicants, starEmail) = await ApplyAsync(run, campaign.Id, cancellationToken);
        await run.SayAsync($"Ford: {DemoRun.N(applicants)} applicants through the application intake");

        var agents = await RecruitAsync(run, campaign.Id, starEmail, cancellationToken);
        var starId = agents[0];
        await run.SayAsync($"Ford: {agents.Count} agents accepted (each enrolled with links and invited), the rest rated, waitlisted or declined");

        await PayoutDetailsAsync(run, agents, cancellationToken);

        // Stars and a long tail: the n-th agent draws about 1/n^1.1 of the traffic.
        var links = await DemoTraffic.LinksAsync(run, campaign.Id, contentIds, cancellationToken);
        var members = agents.Select((id, rank) => new DemoMember(id, 1 / Math.Pow(rank + 1, 1.1),
                rank == 0 ? 1.4 : 0.6 + 0.8 * world.NextDouble(),
                links[id].Select(l => new DemoLink(l.Code, l.ContentId,
                    l.ContentId is null ? run.FirstDay : run.MonthStart(contentIds.IndexOf(l.ContentId)))).ToList()))
            .ToList();
        var traffic = await DemoTraffic.ReplayAsync(run, campaign.Id, "Ford", members, size.FordClicks, 0.035, 0.012,
            () => DemoTraffic.Euros(world, 49m, 399m), cancellationToken);

        // Some sales come back: half before finance's runs (the reward is voided), half after (a clawback).
        var refunds = traffic.SaleIds.Where(_ => world.NextDouble() < 0.04).ToList();
        var early = refunds.Take(refunds.Count / 2).ToList();
        await RefundAsync(run, early, cancellationToken);
        var others = await OthersUnpaidAsync(run, campaign.Id, cancellationToken);
        var (batches, paid) = others ? (0, 0m) : await PayoutsAsync(run, cancellationToken);
        await RefundAsync(run, refunds.Skip(early.Count).ToList(), cancellationToken);
        await run.SayAsync(others
            ? $"Ford: {refunds.Count} sales refunded; no payout batches: the database holds other unpaid rewards, which a batch would pay too"
            : $"Ford: {refunds.Count} sales refunded; {batches} monthly payout batches made, approved and paid (EUR {DemoTraffic.Money(paid)})");

        return new FordLoaded(campaign.Id, applicants, agents.Count, contentIds, agents, starId, traffic, refunds.Count, batches, paid);
    }

    /// <summary>The applicants, each made and stored by the intake the public form uses; the demo agent among them.</summary>
    private static async Task<(int Count, string StarEmail)> ApplyAsync(DemoRun run, string campaignId, CancellationToken cancellationToken)
    {
        var world = run.World;
        await using var read = await run.DbAsync(cancellationToken);
        var campaign = await read.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken);
        var opened = DemoRun.StartOf(run.FirstDay).AddDays(-30);
        var starEmail = world.Account("agent");
        var applications = new List<Application>(run.Size.Applicants);
        for (var i = 0; i < run.Size.Applicants; i++)
        {
            var star = i == 0;
            var name = star ? "Anna de Vries" : world.Name();
            var email = star ? starEmail : world.EmailFor(name);
            var talent = star ? 2.5 : world.Gaussian();
            var profiles = Enumerable.Range(0, star ? 2 : 1 + world.Next(3)).Select(p => new ApplicantProfile
            {
                Network = star ? (p == 0 ? "instagram" : "tiktok") : world.Network(),
                Handle = world.Handle(name),
                // The demo agent: a known creator on two networks; the others drawn on a log scale.
                Followers = star ? (p == 0 ? 48_200 : 12_700) : world.Followers(0.35 * talent),
                EngagementRate = world.NextDouble() < 0.6 ? Math.Round((decimal)Math.Clamp(3 + 1.5 * talent + world.Gaussian(), 0.2, 12), 1) : null,
            }).ToList();
            var samples = Enumerable.Range(0, world.Next(3)).Select(s => $"https://www.example.com/posts/{i}-{s}").ToList();
            var at = opened.AddMinutes(world.NextDouble() * 40 * 24 * 60);
            applications.Add(Intake.New(campaign, name, email, star ? "NL" : world.Country(), profiles, world.Pick(Motivations), samples, at));
        }
        var stored = 0;
        foreach (var chunk in applications.Chunk(500))
        {
            await using var db = await run.DbAsync(cancellationToken);
            stored += await Intake.SubmitAsync(db, campaignId, chunk, cancellationToken);
        }
        return (stored, starEmail);
    }

    /// <summary>
    /// The review: the best-scored applicants' motivation rated, the top ones accepted in one decision (the review page's
    /// bulk accept: ambassadors made, enrolled with codes and links within capacity, invitations in the outbox), a waiting
    /// list, and the weakest declined. Returns the agents, the demo agent first.
    /// </summary>
    private static async Task<List<string>> RecruitAsync(DemoRun run, string campaignId, string starEmail, CancellationToken cancellationToken)
    {
        var world = run.World;
        var decisions = run.Get<Decisions>();
        var scored = await ScoredAsync(run, campaignId, cancellationToken);
        foreach (var candidate in scored.Take(Math.Max(run.Size.Agents * 2, scored.Count / 20)))
        {
            var rating = candidate.Application.NormalizedEmail == starEmail ? 5 : Math.Clamp(3 + (int)Math.Round(world.Gaussian() * 1.2), 0, 5);
            DemoRun.Ok(await decisions.RateAsync(campaignId, candidate.Application.Id, rating, cancellationToken), "rating");
        }
        scored = await ScoredAsync(run, campaignId, cancellationToken);
        var star = scored.Single(s => s.Application.NormalizedEmail == starEmail);
        var chosen = scored.Where(s => s != star).Take(run.Size.Agents - 1).Prepend(star).ToList();
        var accepted = DemoRun.Ok(await decisions.AcceptAsync(campaignId, chosen.Select(s => s.Application.Id).ToList(), run.Manager.Name,
            cancellationToken), "accept");
        var rest = scored.Except(chosen).ToList();
        var waitlist = rest.Take(run.Size.Agents / 2).Select(s => s.Application.Id).ToList();
        DemoRun.Ok(await decisions.DecideAsync(campaignId, waitlist, ApplicationStatus.Waitlisted, false, run.Manager.Name, cancellationToken), "waitlist");
        var declined = rest.Skip(rest.Count * 2 / 3).Select(s => s.Application.Id).ToList();
        DemoRun.Ok(await decisions.DecideAsync(campaignId, declined, ApplicationStatus.Declined, false, run.Manager.Name, cancellationToken), "decline");
        return accepted.Select(a => a.AmbassadorId!).ToList();
    }

    private static async Task<IReadOnlyList<ScoredApplication>> ScoredAsync(DemoRun run, string campaignId, CancellationToken cancellationToken)
    {
        await using var db = await run.DbAsync(cancellationToken);
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken);
        return (await Review.ListAsync(db, campaign, new ReviewQuery(Status: ApplicationStatus.New), cancellationToken)).Items;
    }

    /// <summary>Most agents give finance their payout details (a Dutch bank account, or PayPal); a few forget.</summary>
    private static async Task PayoutDetailsAsync(DemoRun run, IReadOnlyList<string> agents, CancellationToken cancellationToken)
    {
        var payouts = run.Get<IPayoutService>();
        await using var db = await run.DbAsync(cancellationToken);
        var people = await db.Ambassadors.AsNoTracking().Where(a => agents.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        foreach (var (id, index) in agents.Select((id, index) => (id, index)))
        {
            if (index > 0 && run.World.NextDouble() < 0.05) continue;
            var person = people[id];
            var input = person.Country == "NL" || index == 0
                ? new PayoutDetailsInput("bank", person.Name, person.Country ?? "NL", Iban: run.World.DutchIban(), Bic: "DEMONL2A")
                : new PayoutDetailsInput("paypal", person.Name, person.Country ?? "NL", PaypalEmail: person.Email);
            DemoRun.Ok(await payouts.SaveDetailsAsync(id, input, new Actor($"ambassador:{id}", $"{person.Name} (ambassador)"), cancellationToken), "payout details");
        }
    }

    private static async Task RefundAsync(DemoRun run, IReadOnlyList<string> sales, CancellationToken cancellationToken)
    {
        var service = run.Get<ConversionService>();
        foreach (var sale in sales)
        {
            _ = await service.ReverseAsync(sale, "Order returned", cancellationToken)
                ?? throw new InvalidOperationException($"The sale {sale} to refund is not stored.");
        }
    }

    /// <summary>
    /// Whether rewards outside this campaign wait to be paid (a load with --force beside real data): a batch takes every
    /// payable reward up to its period's end, so the demo makes none then, rather than pay someone else's.
    /// </summary>
    private static async Task<bool> OthersUnpaidAsync(DemoRun run, string campaignId, CancellationToken cancellationToken)
    {
        await using var db = await run.DbAsync(cancellationToken);
        return await db.Ledger.AnyAsync(e => e.CampaignId != campaignId && e.State == LedgerEntryState.Open && e.PayoutBatchId == null, cancellationToken);
    }

    /// <summary>Finance's monthly run for each past month: a batch of what became payable by the month's end, approved, paid.</summary>
    private static async Task<(int Batches, decimal Paid)> PayoutsAsync(DemoRun run, CancellationToken cancellationToken)
    {
        var payouts = run.Get<IPayoutService>();
        var (batches, paid) = (0, 0m);
        for (var month = 0; month < 5; month++)
        {
            var periodEnd = run.MonthEnd(month);
            var created = await payouts.CreateAsync(new BatchRequest(periodEnd, 25m), run.Finance, cancellationToken);
            if (created.Failure is { Kind: FailureKind.NothingToPay }) continue;
            var batch = DemoRun.Ok(created, $"payout batch up to {periodEnd:yyyy-MM-dd}");
            DemoRun.Ok(await payouts.ApproveAsync(batch.Id, run.Finance, cancellationToken), "approve");
            var paymentDate = periodEnd.AddDays(5) is var date && date <= run.Today ? date : run.Today;
            var done = DemoRun.Ok(await payouts.MarkPaidAsync(batch.Id, paymentDate, $"SEPA-{periodEnd:yyyy-MM}", run.Finance, cancellationToken), "paid");
            batches++;
            paid += done.Totals.Sum(t => t.Amount);
        }
        return (batches, paid);
    }
}
