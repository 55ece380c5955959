using Ambassadors.Data;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Stats;

public sealed record MoneyView(string Currency, decimal Amount);

public sealed record RewardTotals(IReadOnlyList<MoneyView> Pending, IReadOnlyList<MoneyView> Approved, IReadOnlyList<MoneyView> Paid);

public sealed record DailyStats(DateOnly Date, long Clicks, long UniqueVisitors, long BotClicks, long Leads, long Sales);

/// <summary>Conversions by members someone referred, and the override rewards they earned the referrer.</summary>
public sealed record SecondDegreeStats(long Leads, long Sales, RewardTotals Rewards);

public sealed record FunnelStage(string Stage, long Count);

public sealed record ContentFunnel(string ContentId, string Title, IReadOnlyList<FunnelStage> Funnel);

public sealed record StatsView(
    DateOnly? From,
    DateOnly? To,
    long Clicks,
    long UniqueVisitors,
    long BotClicks,
    long FlaggedClicks,
    long Leads,
    long Sales,
    long PotentialReach,
    IReadOnlyList<MoneyView> Revenue,
    RewardTotals Rewards,
    decimal ConversionRate,
    IReadOnlyList<DailyStats> Daily,
    SecondDegreeStats SecondDegree,
    IReadOnlyList<FunnelStage>? Funnel = null,
    IReadOnlyList<ContentFunnel>? Content = null)
{
    /// <summary>A campaign's: the fraction of its KPI's target reached (0.42); absent without a KPI. Set by the campaign's route.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public decimal? KpiProgress { get; init; }
}

public enum StatsSubject { Ambassador, Campaign, Content }

/// <summary>
/// Stats for an ambassador, campaign or content piece: traffic from the grains' daily counters, conversions and money
/// from the counts the conversion, reversal and payout transactions keep (<see cref="ConversionCount"/>,
/// <see cref="RewardCount"/>: a row per subject and day, and one for all time), potential reach from the ambassadors' kept
/// followers totals (<see cref="Ambassador.Followers"/>, summed in SQL). Nothing scans raw clicks or every conversion, so the
/// cost grows with the days asked for, not with the clicks or conversions.
/// </summary>
public sealed class StatsService(IDbContextFactory<AppDbContext> contexts, IGrainFactory grains, TimeProvider clock)
{
    public const int DefaultDailyDays = 30;

    public async Task<StatsView?> ForAsync(StatsSubject subject, string id, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var dailyTo = to ?? (from is { } f && f > today ? f : today);
        var dailyFrom = from ?? dailyTo.AddDays(-(DefaultDailyDays - 1));

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await ExistsAsync(db, subject, id, cancellationToken)) return null;
        var traffic = await grains.Traffic(Subject(subject), id).GetTrafficAsync(from, to, dailyFrom, dailyTo);
        // Potential reach from the kept followers totals: an ambassador's own, the sum over a campaign's current members, and
        // for a piece the sum over those who drew clicks with it (all members of its campaign, read through the memberships'
        // key: a list of 1,000 ids in the query took 24 ms).
        long reach;
        if (subject == StatsSubject.Content)
        {
            var members = await FollowersOfMembersAsync(db, db.Content.Where(c => c.Id == id).Select(c => c.CampaignId), cancellationToken);
            reach = traffic.Ambassadors.Sum(a => members.GetValueOrDefault(a));
        }
        else
        {
            reach = await (subject == StatsSubject.Ambassador
                    ? db.Ambassadors.Where(a => a.Id == id)
                    : db.Memberships.Where(m => m.CampaignId == id && m.RemovedAt == null).Join(db.Ambassadors, m => m.AmbassadorId, a => a.Id, (m, a) => a))
                .SumAsync(a => a.Followers, cancellationToken);
        }

        var counts = db.ConversionCounts.AsNoTracking().Where(c => c.Subject == SubjectName(subject) && c.SubjectId == id);
        var totals = await Windowed(counts, from, to)
            .GroupBy(c => new { c.Kind, c.Currency })
            .Select(g => new { g.Key.Kind, g.Key.Currency, Count = g.Sum(c => c.Count), Amount = g.Sum(c => c.AmountMinor), Overridden = g.Sum(c => c.Overridden) })
            .ToListAsync(cancellationToken);
        var perDay = await counts
            .Where(c => c.Day > ConversionCount.AllTime && c.Day >= dailyFrom && c.Day <= dailyTo)
            .GroupBy(c => new { c.Day, c.Kind })
            .Select(g => new { OccurredOn = g.Key.Day, g.Key.Kind, Count = g.Sum(c => c.Count) })
            .ToListAsync(cancellationToken);

        var (rewards, secondDegreeRewards) = await RewardsAsync(db, subject, id, from, to, cancellationToken);
        // Conversions that earned someone an override: for an ambassador, those of the members they referred.
        var secondDegree = subject == StatsSubject.Ambassador
            ? await Windowed(db.ConversionCounts.AsNoTracking().Where(c => c.Subject == ConversionSubject.Referrer && c.SubjectId == id), from, to)
                .GroupBy(c => c.Kind).Select(g => new { Kind = g.Key, Count = g.Sum(c => c.Count) })
                .ToListAsync(cancellationToken)
            : totals.GroupBy(t => t.Kind).Select(g => new { Kind = g.Key, Count = g.Sum(t => t.Overridden) }).ToList();

        var leads = totals.Where(t => t.Kind == ConversionKind.Lead).Sum(t => t.Count);
        var sales = totals.Where(t => t.Kind == ConversionKind.Sale).Sum(t => t.Count);
        // A count back at 0 (its conversions all reversed) keeps its row: no revenue in that currency.
        var revenue = totals.Where(t => t.Kind == ConversionKind.Sale && t.Count > 0)
            .GroupBy(t => t.Currency).OrderBy(g => g.Key)
            .Select(g => new MoneyView(g.Key, Rewards.FromMinor(g.Sum(t => t.Amount), g.Key))).ToList();
        var conversionsOn = perDay.ToDictionary(p => (p.OccurredOn, p.Kind), p => p.Count);
        var daily = traffic.Daily.Select(d => new DailyStats(d.Date, d.Clicks, d.UniqueVisitors, d.BotClicks,
            conversionsOn.GetValueOrDefault((d.Date, ConversionKind.Lead)),
            conversionsOn.GetValueOrDefault((d.Date, ConversionKind.Sale)))).ToList();

        var funnel = subject == StatsSubject.Content
            ? new List<FunnelStage> { new("reach", reach), new("clicks", traffic.Clicks), new("leads", leads), new("sales", sales) }
            : null;
        var contentFunnels = subject == StatsSubject.Campaign ? await ContentFunnelsAsync(db, id, from, to, cancellationToken) : null;

        return new StatsView(from, to, traffic.Clicks, traffic.UniqueVisitors, traffic.BotClicks, traffic.FlaggedClicks,
            leads, sales, reach, revenue, rewards, Rate(leads + sales, traffic.Clicks), daily,
            new SecondDegreeStats(secondDegree.Where(s => s.Kind == ConversionKind.Lead).Sum(s => s.Count),
                secondDegree.Where(s => s.Kind == ConversionKind.Sale).Sum(s => s.Count), secondDegreeRewards),
            funnel, contentFunnels);
    }

    private static TrafficSubject Subject(StatsSubject subject) => subject switch
    {
        StatsSubject.Ambassador => TrafficSubject.Ambassador,
        StatsSubject.Campaign => TrafficSubject.Campaign,
        _ => TrafficSubject.Content,
    };

    private static Task<bool> ExistsAsync(AppDbContext db, StatsSubject subject, string id, CancellationToken cancellationToken) => subject switch
    {
        StatsSubject.Ambassador => db.Ambassadors.AnyAsync(a => a.Id == id, cancellationToken),
        StatsSubject.Campaign => db.Campaigns.AnyAsync(c => c.Id == id, cancellationToken),
        _ => db.Content.AnyAsync(c => c.Id == id, cancellationToken),
    };

    public static decimal Rate(long conversions, long clicks) =>
        clicks == 0 ? 0 : Math.Round((decimal)conversions / clicks, 4, MidpointRounding.AwayFromZero);

    private static string SubjectName(StatsSubject subject) => subject switch
    {
        StatsSubject.Ambassador => ConversionSubject.Ambassador,
        StatsSubject.Campaign => ConversionSubject.Campaign,
        _ => ConversionSubject.Content,
    };

    /// <summary>The rows of the window's days, or the all-time row when there is no window.</summary>
    private static IQueryable<ConversionCount> Windowed(IQueryable<ConversionCount> counts, DateOnly? from, DateOnly? to) =>
        from is null && to is null
            ? counts.Where(c => c.Day == ConversionCount.AllTime)
            : counts.Where(c => c.Day > ConversionCount.AllTime && (from == null || c.Day >= from) && (to == null || c.Day <= to));

    /// <summary>
    /// Rewards by status and currency, over conversions that happened in the window. An entry to someone other than the
    /// converting ambassador (an override, or the clawback of one) is second-degree money. Summed from the reward counts,
    /// where an open row is approved when its holding ended before today and pending when it ends after; the entries whose
    /// holding ends today are summed from the ledger's index, against the instant.
    /// </summary>
    private async Task<(RewardTotals FirstDegree, RewardTotals SecondDegree)> RewardsAsync(
        AppDbContext db, StatsSubject subject, string id, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var counts = db.RewardCounts.AsNoTracking().Where(r => r.Subject == SubjectName(subject) && r.SubjectId == id);
        counts = from is null && to is null
            ? counts.Where(r => r.Day == ConversionCount.AllTime)
            : counts.Where(r => r.Day > ConversionCount.AllTime && (from == null || r.Day >= from) && (to == null || r.Day <= to));
        var summed = await counts
            .Where(r => r.State == LedgerEntryState.Paid || r.AvailableOn != today)
            .GroupBy(r => new { Second = r.SecondDegree, r.State, Later = r.AvailableOn > today, r.Currency })
            .Select(g => new { g.Key.Second, g.Key.State, g.Key.Later, g.Key.Currency, Amount = g.Sum(r => r.AmountMinor), Entries = g.Sum(r => r.Entries) })
            .ToListAsync(cancellationToken);

        var dayStart = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var dayEnd = dayStart.AddDays(1);
        var entries = db.Ledger.AsNoTracking().Where(e => e.State == LedgerEntryState.Open && e.AvailableAt >= dayStart && e.AvailableAt < dayEnd);
        entries = subject switch
        {
            StatsSubject.Ambassador => entries.Where(e => e.AmbassadorId == id),
            StatsSubject.Campaign => entries.Where(e => e.CampaignId == id),
            _ => entries.Where(e => e.ContentId == id),
        };
        // From the subject's ledger index alone: it carries the day each entry counts on, its degree, currency and amount.
        var boundary = await entries
            .Where(e => (from == null || e.CountsOn >= from) && (to == null || e.CountsOn <= to))
            .WithStatus(now)
            .GroupBy(x => new { Second = x.Entry.SecondDegree, x.Status, x.Entry.Currency })
            .Select(g => new { g.Key.Second, g.Key.Status, g.Key.Currency, Amount = g.Sum(x => x.Entry.AmountMinor) })
            .ToListAsync(cancellationToken);
        var rows = summed
            .Where(r => r.Entries > 0) // rows whose entries were all paid or voided since
            .Select(r => new
            {
                r.Second,
                Status = r.State == LedgerEntryState.Paid ? LedgerStatus.Paid : r.Later ? LedgerStatus.Pending : LedgerStatus.Approved,
                r.Currency, r.Amount,
            })
            .Concat(boundary.Select(b => new { b.Second, b.Status, b.Currency, b.Amount }))
            .ToList();

        RewardTotals Totals(bool second)
        {
            var mine = rows.Where(r => r.Second == second).ToList();
            List<MoneyView> Sum(LedgerStatus status) => mine
                .Where(r => r.Status == status).GroupBy(r => r.Currency).OrderBy(g => g.Key)
                .Select(g => new MoneyView(g.Key, Rewards.FromMinor(g.Sum(r => r.Amount), g.Key))).ToList();
            return new RewardTotals(Sum(LedgerStatus.Pending), Sum(LedgerStatus.Approved), Sum(LedgerStatus.Paid));
        }
        return (Totals(false), Totals(true));
    }

    private async Task<List<ContentFunnel>> ContentFunnelsAsync(
        AppDbContext db, string campaignId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var pieces = await db.Content.AsNoTracking().Where(c => c.CampaignId == campaignId)
            .OrderBy(c => c.CreatedAt).Select(c => new { c.Id, c.Title }).ToListAsync(cancellationToken);
        // Each piece's rows by their key (a join from the campaign's pieces let SQLite scan every piece's day rows: 19 ms at 200,000 conversions).
        var pieceIds = pieces.Select(p => p.Id).ToList();
        var counts = (await Windowed(db.ConversionCounts.AsNoTracking()
                    .Where(c => c.Subject == ConversionSubject.Content && pieceIds.Contains(c.SubjectId)), from, to)
                .GroupBy(c => new { c.SubjectId, c.Kind })
                .Select(g => new { ContentId = g.Key.SubjectId, g.Key.Kind, Count = g.Sum(c => c.Count) })
                .ToListAsync(cancellationToken))
            .ToDictionary(c => (c.ContentId, c.Kind), c => c.Count);
        // The campaign counts its pieces itself: one grain call for all of them, then one query for the followers of its
        // members, present and past (everyone who drew clicks with a piece). Each piece's reach is the sum over its ambassadors.
        var traffic = (await grains.Traffic(TrafficSubject.Campaign, campaignId).GetPieceTrafficAsync(from, to))
            .ToDictionary(p => p.ContentId);
        var followers = await FollowersOfMembersAsync(db, db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Id), cancellationToken);
        var funnels = pieces.Select(piece => (piece, counters: traffic.GetValueOrDefault(piece.Id))).Select(p => new ContentFunnel(p.piece.Id, p.piece.Title,
        [
            new("reach", p.counters?.Ambassadors.Sum(a => followers.GetValueOrDefault(a)) ?? 0),
            new("clicks", p.counters?.Clicks ?? 0),
            new("leads", counts.GetValueOrDefault((p.piece.Id, ConversionKind.Lead))),
            new("sales", counts.GetValueOrDefault((p.piece.Id, ConversionKind.Sale))),
        ])).ToList();
        return funnels;
    }

    /// <summary>The kept followers total of every member, present or past, of the campaigns given (by a query), by ambassador.</summary>
    private static Task<Dictionary<string, long>> FollowersOfMembersAsync(AppDbContext db, IQueryable<string> campaignIds, CancellationToken cancellationToken) =>
        db.Memberships.Where(m => campaignIds.Contains(m.CampaignId))
            .Join(db.Ambassadors, m => m.AmbassadorId, a => a.Id, (m, a) => new { a.Id, a.Followers })
            .ToDictionaryAsync(a => a.Id, a => a.Followers, cancellationToken);
}
