using Ambassadors.Data;
using Ambassadors.Web.Stats;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Portal;

/// <summary>Clicks, visitors, conversions and revenue of one slice of an ambassador's results (all time).</summary>
public sealed record Figures(long Clicks, long UniqueVisitors, long Leads, long Sales, IReadOnlyList<MoneyView> Revenue)
{
    /// <summary>(leads + sales) / clicks, as the stats API writes it; 0 without clicks.</summary>
    public decimal ConversionRate => StatsService.Rate(Leads + Sales, Clicks);
}

/// <summary>One of my campaigns on /portal/stats.</summary>
public sealed record CampaignFigures(string Id, string Name, CampaignStatus Status, bool Removed, Figures Figures);

/// <summary>Someone who joined a campaign through my link, named as others are (first name, last initial), and what they caused.</summary>
public sealed record ReferredMember(string Name, string CampaignName, DateTimeOffset JoinedAt, long Leads, long Sales, IReadOnlyList<MoneyView> Override);

public sealed record MyStats(
    Figures Totals,
    long PotentialReach,
    IReadOnlyList<DailyStats> Daily,
    IReadOnlyList<CampaignFigures> Campaigns,
    IReadOnlyList<ReferredMember> Referred,
    IReadOnlyList<MoneyView> Override);

/// <summary>My link for one content piece (or the campaign's own link, <see cref="Title"/> null) and its figures.</summary>
public sealed record LinkFigures(string? Title, string? Code, Figures Figures);

/// <summary>A member on a campaign's leaderboard: a public name only, never an id, email or code.</summary>
public sealed record LeaderRow(int Rank, string Name, bool Me, long Sales, long Leads, long Clicks);

public sealed record MyCampaignStats(
    string Id,
    string Name,
    CampaignStatus Status,
    bool Removed,
    Figures Totals,
    IReadOnlyList<DailyStats> Daily,
    IReadOnlyList<LinkFigures> Links,
    IReadOnlyList<LeaderRow> Top,
    LeaderRow? Mine,
    int Ranked);

/// <summary>
/// What /portal/stats and /portal/stats/{campaignId} show, always for the signed-in ambassador: traffic from their own
/// grain's split per campaign and piece (and the campaign grain's per-member clicks for the leaderboard), conversions and
/// rewards from the database in one grouped query each, whatever the number of campaigns.
/// </summary>
public sealed class PortalStats(IDbContextFactory<AppDbContext> contexts, IGrainFactory grains, TimeProvider clock)
{
    public const int LeaderboardSize = 10;

    private sealed record ConversionRow(string? Key, ConversionKind Kind, string Currency, long Count, long Amount);

    private (DateOnly From, DateOnly To) ChartDays()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return (today.AddDays(-(StatsService.DefaultDailyDays - 1)), today);
    }

    public async Task<MyStats> ForAsync(string me, CancellationToken cancellationToken)
    {
        var (from, to) = ChartDays();
        var traffic = grains.Traffic(TrafficSubject.Ambassador, me);
        var totalsTask = traffic.GetTrafficAsync(null, null, from, to);
        var perCampaignTask = traffic.GetCampaignTrafficAsync();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var followers = await db.Ambassadors.Where(a => a.Id == me).SumAsync(a => a.Followers, cancellationToken);
        var campaigns = await (
            from m in db.Memberships.AsNoTracking()
            where m.AmbassadorId == me
            join c in db.Campaigns on m.CampaignId equals c.Id
            orderby m.JoinedAt descending
            select new { c.Id, c.Name, c.Status, Removed = m.RemovedAt != null }).ToListAsync(cancellationToken);
        var mine = db.Conversions.AsNoTracking().Where(c => c.AmbassadorId == me && c.ReversedAt == null);
        var conversions = await mine
            .GroupBy(c => new { c.CampaignId, c.Kind, c.Currency })
            .Select(g => new ConversionRow(g.Key.CampaignId, g.Key.Kind, g.Key.Currency, g.LongCount(), g.Sum(c => c.AmountMinor ?? 0)))
            .ToListAsync(cancellationToken);
        var perDay = await PerDayAsync(mine, from, to, cancellationToken);
        var referred = await ReferredAsync(db, me, campaigns.Select(c => c.Id).ToList(), cancellationToken);

        var total = await totalsTask;
        var perCampaign = (await perCampaignTask).ToDictionary(p => p.Id);
        var converted = conversions.ToLookup(r => r.Key);
        var byCampaign = campaigns.Select(c => (c, traffic: perCampaign.GetValueOrDefault(c.Id)))
            .Select(x => new CampaignFigures(x.c.Id, x.c.Name, x.c.Status, x.c.Removed,
                FiguresOf(x.traffic?.Clicks ?? 0, x.traffic?.UniqueVisitors ?? 0, converted[x.c.Id]))).ToList();
        return new MyStats(
            FiguresOf(total.Clicks, total.UniqueVisitors, conversions),
            followers,
            Daily(total.Daily, perDay),
            byCampaign,
            referred.Members,
            referred.Override);
    }

    /// <summary>My results in a campaign I am or was a member of; null when I never was (the page answers 404).</summary>
    public async Task<MyCampaignStats?> ForCampaignAsync(string me, string campaignId, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(campaignId, "cmp")) return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var campaign = await (
            from m in db.Memberships.AsNoTracking()
            where m.AmbassadorId == me && m.CampaignId == campaignId
            join c in db.Campaigns on m.CampaignId equals c.Id
            select new { c.Id, c.Name, c.Status, Removed = m.RemovedAt != null }).SingleOrDefaultAsync(cancellationToken);
        if (campaign is null) return null;

        var (from, to) = ChartDays();
        var trafficTask = grains.Traffic(TrafficSubject.Ambassador, me).GetTrafficInCampaignAsync(campaignId, from, to);
        var membersTask = grains.Traffic(TrafficSubject.Campaign, campaignId).GetMemberTrafficAsync();

        var mine = db.Conversions.AsNoTracking().Where(c => c.AmbassadorId == me && c.CampaignId == campaignId && c.ReversedAt == null);
        var conversions = await mine
            .GroupBy(c => new { c.ContentId, c.Kind, c.Currency })
            .Select(g => new ConversionRow(g.Key.ContentId, g.Key.Kind, g.Key.Currency, g.LongCount(), g.Sum(c => c.AmountMinor ?? 0)))
            .ToListAsync(cancellationToken);
        var perDay = await PerDayAsync(mine, from, to, cancellationToken);
        var pieces = await db.Content.AsNoTracking().Where(c => c.CampaignId == campaignId)
            .OrderBy(c => c.CreatedAt).Select(c => new { c.Id, c.Title }).ToListAsync(cancellationToken);
        var codes = await db.ReferralCodes.AsNoTracking().Where(c => c.AmbassadorId == me && c.CampaignId == campaignId)
            .Select(c => new { c.Code, c.ContentId }).ToListAsync(cancellationToken);
        var members = await (
            from m in db.Memberships.AsNoTracking()
            where m.CampaignId == campaignId && m.RemovedAt == null
            join a in db.Ambassadors on m.AmbassadorId equals a.Id
            select new { a.Id, a.Name }).ToListAsync(cancellationToken);
        var results = await db.Conversions.AsNoTracking()
            .Where(c => c.CampaignId == campaignId && c.ReversedAt == null)
            .GroupBy(c => new { c.AmbassadorId, c.Kind })
            .Select(g => new { g.Key.AmbassadorId, g.Key.Kind, Count = g.LongCount() })
            .ToListAsync(cancellationToken);

        var traffic = await trafficTask;
        var totals = FiguresOf(traffic.Traffic.Clicks, traffic.Traffic.UniqueVisitors, conversions);
        var pieceTraffic = traffic.Pieces.ToDictionary(p => p.ContentId);
        var links = new List<LinkFigures>();
        // The campaign's own link: what is left of the campaign's traffic once its pieces' is taken out (the split is exact).
        var onPieces = traffic.Pieces.Aggregate((Clicks: 0L, Visitors: 0L), (sum, p) => (sum.Clicks + p.Clicks, sum.Visitors + p.UniqueVisitors));
        links.Add(new LinkFigures(null, codes.FirstOrDefault(c => c.ContentId == null)?.Code,
            FiguresOf(totals.Clicks - onPieces.Clicks, totals.UniqueVisitors - onPieces.Visitors, conversions.Where(r => r.Key == null))));
        foreach (var piece in pieces)
        {
            var counted = pieceTraffic.GetValueOrDefault(piece.Id);
            links.Add(new LinkFigures(piece.Title, codes.FirstOrDefault(c => c.ContentId == piece.Id)?.Code,
                FiguresOf(counted?.Clicks ?? 0, counted?.UniqueVisitors ?? 0, conversions.Where(r => r.Key == piece.Id))));
        }

        var clicks = (await membersTask).ToDictionary(m => m.Id, m => m.Clicks);
        var ranked = Rank(members.Select(m => (m.Id, m.Name)), results.Select(r => (r.AmbassadorId, r.Kind, r.Count)), clicks, me);
        return new MyCampaignStats(campaign.Id, campaign.Name, campaign.Status, campaign.Removed, totals, Daily(traffic.Traffic.Daily, perDay),
            links, ranked.Take(LeaderboardSize).ToList(), ranked.FirstOrDefault(r => r.Me), ranked.Count);
    }

    /// <summary>
    /// The leaderboard: most sales first, then most leads, then most clicks; members with the same three figures share a
    /// rank (1, 2, 2, 4) and are listed by name.
    /// </summary>
    public static IReadOnlyList<LeaderRow> Rank(IEnumerable<(string Id, string Name)> members,
        IEnumerable<(string AmbassadorId, ConversionKind Kind, long Count)> conversions, IReadOnlyDictionary<string, long> clicks, string me)
    {
        var counts = conversions.ToLookup(c => (c.AmbassadorId, c.Kind), c => c.Count);
        var rows = members
            .Select(m => (m.Id, Name: PortalNames.Public(m.Name), Sales: counts[(m.Id, ConversionKind.Sale)].Sum(),
                Leads: counts[(m.Id, ConversionKind.Lead)].Sum(), Clicks: clicks.GetValueOrDefault(m.Id)))
            .OrderByDescending(r => r.Sales).ThenByDescending(r => r.Leads).ThenByDescending(r => r.Clicks)
            .ThenBy(r => r.Name, StringComparer.CurrentCulture).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var board = new List<LeaderRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var tied = i > 0 && board[i - 1] is { } above && (above.Sales, above.Leads, above.Clicks) == (r.Sales, r.Leads, r.Clicks);
            board.Add(new LeaderRow(tied ? board[i - 1].Rank : i + 1, r.Name, r.Id == me, r.Sales, r.Leads, r.Clicks));
        }
        return board;
    }

    private static async Task<List<(DateOnly Day, ConversionKind Kind, long Count)>> PerDayAsync(
        IQueryable<Conversion> conversions, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        (await conversions.Where(c => c.OccurredOn >= from && c.OccurredOn <= to)
            .GroupBy(c => new { c.OccurredOn, c.Kind })
            .Select(g => new { g.Key.OccurredOn, g.Key.Kind, Count = g.LongCount() })
            .ToListAsync(cancellationToken))
        .Select(r => (r.OccurredOn, r.Kind, r.Count)).ToList();

    private static IReadOnlyList<DailyStats> Daily(IReadOnlyList<TrafficDayView> traffic, List<(DateOnly Day, ConversionKind Kind, long Count)> conversions)
    {
        var on = conversions.ToDictionary(c => (c.Day, c.Kind), c => c.Count);
        return traffic.Select(d => new DailyStats(d.Date, d.Clicks, d.UniqueVisitors, d.BotClicks,
            on.GetValueOrDefault((d.Date, ConversionKind.Lead)), on.GetValueOrDefault((d.Date, ConversionKind.Sale)))).ToList();
    }

    private static Figures FiguresOf(long clicks, long uniqueVisitors, IEnumerable<ConversionRow> conversions)
    {
        var rows = conversions.ToList();
        var revenue = rows.Where(r => r.Kind == ConversionKind.Sale).GroupBy(r => r.Currency).OrderBy(g => g.Key)
            .Select(g => new MoneyView(g.Key, Rewards.FromMinor(g.Sum(r => r.Amount), g.Key))).ToList();
        return new Figures(clicks, uniqueVisitors,
            rows.Where(r => r.Kind == ConversionKind.Lead).Sum(r => r.Count), rows.Where(r => r.Kind == ConversionKind.Sale).Sum(r => r.Count), revenue);
    }

    /// <summary>
    /// The members I brought in (their membership's ReferredBy is me), their leads and sales in that campaign, and the
    /// overrides they earned me (my ledger entries on conversions that are not mine: overrides and their clawbacks).
    /// A referrer is a member of the same campaign, so only my campaigns' memberships are read (by the key's campaign
    /// prefix), and only the conversions of the people found (by their ambassador index): the cost follows my campaigns and
    /// my referrals, not the programme's size.
    /// </summary>
    private async Task<(List<ReferredMember> Members, List<MoneyView> Override)> ReferredAsync(
        AppDbContext db, string me, List<string> myCampaigns, CancellationToken cancellationToken)
    {
        var people = await (
            from m in db.Memberships.AsNoTracking()
            where myCampaigns.Contains(m.CampaignId) && m.ReferredBy == me
            join a in db.Ambassadors on m.AmbassadorId equals a.Id
            join c in db.Campaigns on m.CampaignId equals c.Id
            orderby m.JoinedAt descending
            select new { m.AmbassadorId, m.CampaignId, a.Name, Campaign = c.Name, m.JoinedAt }).ToListAsync(cancellationToken);
        if (people.Count == 0) return ([], []);
        var ids = people.Select(p => p.AmbassadorId).Distinct().ToList();
        var caused = await db.Conversions.AsNoTracking()
            .Where(c => ids.Contains(c.AmbassadorId) && c.ReversedAt == null)
            .GroupBy(c => new { c.AmbassadorId, c.CampaignId, c.Kind })
            .Select(g => new { g.Key.AmbassadorId, g.Key.CampaignId, g.Key.Kind, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        var overrides = await (
            from e in db.Ledger.AsNoTracking()
            where e.AmbassadorId == me && e.State != LedgerEntryState.Voided
            join c in db.Conversions on e.ConversionId equals c.Id
            where c.AmbassadorId != me
            group e by new { c.AmbassadorId, e.CampaignId, e.Currency } into g
            select new { g.Key.AmbassadorId, g.Key.CampaignId, g.Key.Currency, Amount = g.Sum(e => e.AmountMinor) }).ToListAsync(cancellationToken);

        static List<MoneyView> Money(IEnumerable<(string Currency, long Amount)> amounts) => amounts
            .GroupBy(a => a.Currency).OrderBy(g => g.Key)
            .Select(g => new MoneyView(g.Key, Rewards.FromMinor(g.Sum(a => a.Amount), g.Key))).ToList();

        var members = people.Select(p => new ReferredMember(PortalNames.Public(p.Name), p.Campaign, p.JoinedAt,
            caused.Where(c => c.AmbassadorId == p.AmbassadorId && c.CampaignId == p.CampaignId && c.Kind == ConversionKind.Lead).Sum(c => c.Count),
            caused.Where(c => c.AmbassadorId == p.AmbassadorId && c.CampaignId == p.CampaignId && c.Kind == ConversionKind.Sale).Sum(c => c.Count),
            Money(overrides.Where(o => o.AmbassadorId == p.AmbassadorId && o.CampaignId == p.CampaignId).Select(o => (o.Currency, o.Amount)))))
            .ToList();
        return (members, Money(overrides.Select(o => (o.Currency, o.Amount))));
    }
}
