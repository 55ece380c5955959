using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Stats;
using Ambassadors.Web.Tracking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Portal.Pages;

/// <summary>One of the ambassador's campaigns as the portal lists it.</summary>
public sealed record PortalCampaign(string Id, string Name, CampaignStatus Status, string ReferralCode, DateTimeOffset JoinedAt);

/// <summary>A current campaign on the home page: the membership, the campaign's dates and the member's referral link.</summary>
public sealed record HomeCampaign(PortalCampaign Campaign, DateOnly? StartsOn, DateOnly? EndsOn, string Link);

/// <summary>
/// What happened since the previous visit: clicks (whole days, from the traffic counters), leads and sales received,
/// refunds, rewards earned, and the campaigns joined, left (removed by a manager) or ended.
/// </summary>
public sealed record SinceLastVisit(
    long Clicks, long Leads, long Sales, long Refunds, IReadOnlyList<MoneyView> Earned,
    IReadOnlyList<string> Joined, IReadOnlyList<string> Removed, IReadOnlyList<string> Ended)
{
    public bool Quiet => Clicks == 0 && Leads == 0 && Sales == 0 && Refunds == 0 && Earned.Count == 0;
}

/// <summary>Money per currency at a glance: in its holding period, approved (payable), paid.</summary>
public sealed record HomeEarnings(string Currency, decimal Pending, decimal Approved, decimal Paid);

/// <summary>The next pending money to become approved: how much (in one currency) and when.</summary>
public sealed record NextApproval(MoneyView Amount, DateTimeOffset At);

/// <summary>
/// The portal's home: the greeting, what happened since the last visit in plain phrases, earnings at a glance and the
/// current campaigns with their links. A few queries, each over all the ambassador's campaigns, and one grain call: its
/// cost does not grow with a query per campaign.
/// </summary>
public sealed class IndexModel(IDbContextFactory<AppDbContext> contexts, IGrainFactory grains, PublicLinks links, TimeProvider clock) : PageModel
{
    /// <summary>A view of the home this long after the previous one is a new visit; sooner, it is the same visit.</summary>
    public static readonly TimeSpan VisitGap = TimeSpan.FromMinutes(30);

    public string FirstName { get; private set; } = "";
    public DateTimeOffset Now { get; private set; }
    /// <summary>The previous visit, or the account's creation for a first visit.</summary>
    public DateTimeOffset Since { get; private set; }
    public bool FirstVisit { get; private set; }
    public SinceLastVisit News { get; private set; } = null!;
    public IReadOnlyList<HomeEarnings> Earnings { get; private set; } = [];
    public NextApproval? Next { get; private set; }
    public IReadOnlyList<HomeCampaign> Campaigns { get; private set; } = [];
    /// <summary>Missions due within a week that still wait for this ambassador's proof.</summary>
    public IReadOnlyList<Missions.Pages.MyMission> DueSoon { get; private set; } = [];
    [TempData(Key = "PortalNotice")] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var me = User.AmbassadorId();
        Now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        var account = await (
                from u in db.Users.AsNoTracking()
                where u.AmbassadorId == me
                join a in db.Ambassadors on u.AmbassadorId equals a.Id
                select new { a.Name, u.PortalVisitAt, u.PortalPreviousVisitAt, u.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null) return NotFound();
        FirstName = PortalNames.FirstName(account.Name);

        // A visit: the first view after VisitGap moves the latest visit to "previous", by one conditional update (two
        // first views at once: one updates, both tell the news since the same visit). Views within a visit write nothing.
        var now = Now;
        var gapStart = now - VisitGap;
        var previous = account.PortalPreviousVisitAt;
        if (account.PortalVisitAt is null || account.PortalVisitAt < gapStart)
        {
            await db.Users.Where(u => u.AmbassadorId == me && (u.PortalVisitAt == null || u.PortalVisitAt < gapStart))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PortalPreviousVisitAt, u => u.PortalVisitAt).SetProperty(u => u.PortalVisitAt, now),
                    cancellationToken);
            previous = account.PortalVisitAt;
        }
        FirstVisit = previous is null;
        Since = previous ?? account.CreatedAt;

        News = await NewsAsync(db, me, Since, now, cancellationToken);
        (Earnings, Next) = await EarningsAsync(db, me, now, cancellationToken);

        var current = await PortalQueries.CampaignsOf(db, me).ToListAsync(cancellationToken);
        var ids = current.Select(c => c.Id).ToList();
        var dates = await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.StartsOn, c.EndsOn }).ToDictionaryAsync(c => c.Id, cancellationToken);
        Campaigns = current.Select(c => new HomeCampaign(c, dates[c.Id].StartsOn, dates[c.Id].EndsOn, links.For(c.ReferralCode))).ToList();
        DueSoon = await Missions.Pages.PortalMissionsModel.DueSoonAsync(db, me, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        return Page();
    }

    private async Task<SinceLastVisit> NewsAsync(AppDbContext db, string me, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Clicks are counted per day: every click of the day the previous visit fell on counts as new.
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var sinceDay = DateOnly.FromDateTime(since.UtcDateTime);
        var traffic = await grains.Traffic(TrafficSubject.Ambassador, me).GetTrafficAsync(sinceDay, today, today, today);

        // Leads and sales received since (and not refunded), and refunds since: one pass over the ambassador's conversions.
        var conversions = await db.Conversions.AsNoTracking()
            .Where(c => c.AmbassadorId == me && (c.ReceivedAt >= since || c.ReversedAt >= since))
            .GroupBy(c => c.Kind)
            .Select(g => new
            {
                Kind = g.Key,
                Received = g.Sum(c => c.ReversedAt == null && c.ReceivedAt >= since ? 1L : 0L),
                Refunded = g.Sum(c => c.ReversedAt >= since ? 1L : 0L),
            })
            .ToListAsync(cancellationToken);
        var earned = await db.Ledger.AsNoTracking()
            .Where(e => e.AmbassadorId == me && e.CreatedAt >= since && e.Kind != LedgerEntryKind.Clawback && e.State != LedgerEntryState.Voided)
            .GroupBy(e => e.Currency).Select(g => new { Currency = g.Key, Amount = g.Sum(e => e.AmountMinor) })
            .ToListAsync(cancellationToken);
        // Memberships that changed: joined or removed since, or whose campaign ended since (its last day passed, or a
        // manager ended it: an ended campaign's UpdatedAt is when it ended, as nothing else changes it afterwards).
        var changed = await (
                from m in db.Memberships.AsNoTracking()
                where m.AmbassadorId == me
                join c in db.Campaigns on m.CampaignId equals c.Id
                where m.JoinedAt >= since || m.RemovedAt >= since
                      || (m.RemovedAt == null && ((c.EndsOn >= sinceDay && c.EndsOn < today) || (c.Status == CampaignStatus.Ended && c.UpdatedAt >= since)))
                orderby c.Name
                select new { c.Name, m.JoinedAt, m.RemovedAt })
            .ToListAsync(cancellationToken);

        return new SinceLastVisit(
            traffic.Clicks,
            conversions.Where(c => c.Kind == ConversionKind.Lead).Sum(c => c.Received),
            conversions.Where(c => c.Kind == ConversionKind.Sale).Sum(c => c.Received),
            conversions.Sum(c => c.Refunded),
            earned.Where(e => e.Amount != 0).OrderBy(e => e.Currency).Select(e => new MoneyView(e.Currency, Rewards.FromMinor(e.Amount, e.Currency))).ToList(),
            changed.Where(c => c.RemovedAt is null && c.JoinedAt >= since).Select(c => c.Name).ToList(),
            changed.Where(c => c.RemovedAt >= since).Select(c => c.Name).ToList(),
            changed.Where(c => c.RemovedAt is null && c.JoinedAt < since).Select(c => c.Name).ToList());
    }

    /// <summary>Pending, approved and paid per currency by the ledger's own rules (<see cref="LedgerRules"/>), and the next approval.</summary>
    private static async Task<(IReadOnlyList<HomeEarnings>, NextApproval?)> EarningsAsync(AppDbContext db, string me, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var mine = db.Ledger.AsNoTracking().Where(e => e.AmbassadorId == me && e.Kind != LedgerEntryKind.Clawback);
        var totals = await mine.Where(e => e.State != LedgerEntryState.Voided)
            .WithStatus(now)
            .GroupBy(x => new { x.Status, x.Entry.Currency })
            .Select(g => new { g.Key.Status, g.Key.Currency, Amount = g.Sum(x => x.Entry.AmountMinor) })
            .ToListAsync(cancellationToken);
        var earnings = totals.GroupBy(t => t.Currency).OrderBy(g => g.Key).Select(g =>
        {
            decimal Sum(LedgerStatus status) => Rewards.FromMinor(g.Where(t => t.Status == status).Sum(t => t.Amount), g.Key);
            return new HomeEarnings(g.Key, Sum(LedgerStatus.Pending), Sum(LedgerStatus.Approved), Sum(LedgerStatus.Paid));
        }).ToList();

        var pending = mine.Where(LedgerRules.Pending(now));
        var first = await pending.OrderBy(e => e.AvailableAt).Select(e => new { e.AvailableAt, e.Currency }).FirstOrDefaultAsync(cancellationToken);
        if (first is null) return (earnings, null);
        // Everything in that currency that becomes approved on the same (UTC) day.
        var dayEnd = new DateTimeOffset(first.AvailableAt.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var amount = await pending.Where(e => e.Currency == first.Currency && e.AvailableAt < dayEnd).SumAsync(e => e.AmountMinor, cancellationToken);
        return (earnings, new NextApproval(new MoneyView(first.Currency, Rewards.FromMinor(amount, first.Currency)), first.AvailableAt));
    }
}
