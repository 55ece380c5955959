using Ambassadors.Data;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Campaigns.Pages;
using Ambassadors.Web.Stats;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Programme;

/// <summary>One campaign in the programme overview: its KPI and all-time results.</summary>
public sealed record CampaignResult(CampaignRecord Campaign, KpiBar? Kpi, long Clicks, long UniqueVisitors, long Leads, long Sales,
    IReadOnlyList<MoneyView> Revenue, IReadOnlyList<MoneyView> Rewards);

/// <summary>A content piece among the programme's best, with its campaign.</summary>
public sealed record TopPiece(string ContentId, string Title, string CampaignId, string CampaignName, long Clicks, long Leads, long Sales);

/// <summary>An ambassador among the programme's best (all campaigns together).</summary>
public sealed record TopAmbassador(string AmbassadorId, string Name, long Clicks, long Leads, long Sales);

public sealed record ProgrammeResults(
    IReadOnlyList<CampaignResult> Campaigns, long Clicks, long Leads, long Sales, IReadOnlyList<MoneyView> Revenue, IReadOnlyList<MoneyView> Rewards,
    IReadOnlyList<TopPiece> TopContent, IReadOnlyList<TopAmbassador> TopAmbassadors);

/// <summary>One row of a campaign's leaderboard; <see cref="Rank"/> is shared by rows with the same sales, leads and clicks.</summary>
public sealed record MemberResult(int Rank, string AmbassadorId, string Name, long Clicks, long UniqueVisitors, long Leads, long Sales,
    IReadOnlyList<MoneyView> Revenue, IReadOnlyList<MoneyView> Rewards);

/// <summary>A content piece's funnel: potential reach, unique visitors, clicks, leads, sales, and the sales' revenue.</summary>
public sealed record PieceFunnel(string ContentId, string Title, long Reach, long UniqueVisitors, long Clicks, long Leads, long Sales,
    IReadOnlyList<MoneyView> Revenue);

public sealed record CampaignResults(CampaignRecord Campaign, StatsView Stats, KpiBar? Kpi, IReadOnlyList<MoneyView> Rewards,
    IReadOnlyList<MemberResult> Leaderboard, IReadOnlyList<PieceFunnel> Pieces);

/// <summary>One ambassador's part in a piece's results.</summary>
public sealed record PieceMember(string AmbassadorId, string Name, long Clicks, long UniqueVisitors, long Leads, long Sales, IReadOnlyList<MoneyView> Revenue);

public sealed record PieceResults(ContentPiece Piece, CampaignRecord Campaign, PieceFunnel Funnel, IReadOnlyList<PieceMember> Members);

/// <summary>
/// The managers' programme results. The overview reads only kept counts: the all-time rows of
/// <see cref="ConversionCount"/> and <see cref="RewardCount"/> and the programme's traffic grain, a fixed number of queries
/// and one grain call whatever the number of campaigns. A campaign's leaderboard and a piece's split per ambassador group
/// that campaign's (or piece's) conversions and ledger entries in the database (no count is kept per member and campaign),
/// and read traffic from the campaign's grain in one call.
/// </summary>
public sealed class ResultsService(IDbContextFactory<AppDbContext> contexts, IGrainFactory grains, StatsService stats)
{
    public const int TopCount = 10;

    /// <summary>The order campaigns are listed in: running first, finished last.</summary>
    public static int StatusOrder(CampaignStatus status) => status switch
    {
        CampaignStatus.Active => 0,
        CampaignStatus.Recruiting => 1,
        CampaignStatus.Paused => 2,
        CampaignStatus.Draft => 3,
        _ => 4,
    };

    public async Task<ProgrammeResults> ProgrammeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var campaigns = (await db.Campaigns.AsNoTracking().ToListAsync(cancellationToken)).Select(CampaignRecord.From)
            .OrderBy(c => StatusOrder(c.Status)).ThenByDescending(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var conversions = await AllTimeCounts(db, ConversionSubject.Campaign)
            .GroupBy(c => new { c.SubjectId, c.Kind, c.Currency })
            .Select(g => new Counted(g.Key.SubjectId, g.Key.Kind, g.Key.Currency, g.Sum(c => c.Count), g.Sum(c => c.AmountMinor)))
            .ToListAsync(cancellationToken);
        var rewards = await db.RewardCounts.AsNoTracking()
            .Where(r => r.Subject == ConversionSubject.Campaign && r.Day == ConversionCount.AllTime && r.Entries > 0)
            .GroupBy(r => new { r.SubjectId, r.Currency })
            .Select(g => new { g.Key.SubjectId, g.Key.Currency, Amount = g.Sum(r => r.AmountMinor) })
            .ToListAsync(cancellationToken);
        var pieces = await AllTimeCounts(db, ConversionSubject.Content)
            .GroupBy(c => new { c.SubjectId, c.Kind })
            .Select(g => new { g.Key.SubjectId, g.Key.Kind, Count = g.Sum(c => c.Count) })
            .ToListAsync(cancellationToken);
        var ambassadors = await AllTimeCounts(db, ConversionSubject.Ambassador)
            .GroupBy(c => new { c.SubjectId, c.Kind })
            .Select(g => new { g.Key.SubjectId, g.Key.Kind, Count = g.Sum(c => c.Count) })
            .ToListAsync(cancellationToken);
        var traffic = await grains.GetGrain<IProgrammeTrafficGrain>(ProgrammeTrafficGrain.Key).GetAsync();

        var byCampaign = conversions.ToLookup(c => c.SubjectId);
        var rewardsOf = rewards.ToLookup(r => r.SubjectId);
        var results = campaigns.Select(c =>
        {
            var mine = byCampaign[c.Id].ToList();
            var clicks = traffic.Campaigns.GetValueOrDefault(c.Id);
            var revenue = Revenue(mine);
            var leads = mine.Where(m => m.Kind == ConversionKind.Lead).Sum(m => m.Count);
            var sales = mine.Where(m => m.Kind == ConversionKind.Sale).Sum(m => m.Count);
            var reached = c.Kpi is { } kpi
                ? CampaignKpi.Reached(kpi, c.Currency, clicks?.Clicks ?? 0, clicks?.UniqueVisitors ?? 0, leads, sales, revenue)
                : 0m;
            return new CampaignResult(c, KpiBar.Of(c, reached), clicks?.Clicks ?? 0, clicks?.UniqueVisitors ?? 0, leads, sales, revenue,
                Money(rewardsOf[c.Id].Select(r => (r.Currency, r.Amount))));
        }).ToList();

        // The best pieces and ambassadors: ranked on the counts, then named with one query each.
        long Of<T>(ILookup<string, T> rows, string id, ConversionKind kind, Func<T, ConversionKind> kindOf, Func<T, long> count) =>
            rows[id].Where(r => kindOf(r) == kind).Sum(count);
        var pieceRows = pieces.ToLookup(p => p.SubjectId);
        var topPieces = pieceRows.Select(g => g.Key).Union(traffic.Pieces.Keys)
            .Select(id => (Id: id, Sales: Of(pieceRows, id, ConversionKind.Sale, r => r.Kind, r => r.Count),
                Leads: Of(pieceRows, id, ConversionKind.Lead, r => r.Kind, r => r.Count), Clicks: traffic.Pieces.GetValueOrDefault(id)?.Clicks ?? 0))
            .Where(p => p.Sales + p.Leads + p.Clicks > 0)
            .OrderByDescending(p => p.Sales).ThenByDescending(p => p.Leads).ThenByDescending(p => p.Clicks).ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(TopCount).ToList();
        var topPieceIds = topPieces.Select(p => p.Id).ToList();
        var titles = await db.Content.AsNoTracking().Where(c => topPieceIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Title, c.CampaignId }).ToDictionaryAsync(c => c.Id, cancellationToken);
        var names = campaigns.ToDictionary(c => c.Id, c => c.Name);
        var topContent = topPieces.Where(p => titles.ContainsKey(p.Id)).Select(p => new TopPiece(p.Id, titles[p.Id].Title, titles[p.Id].CampaignId,
            names.GetValueOrDefault(titles[p.Id].CampaignId) ?? "", p.Clicks, p.Leads, p.Sales)).ToList();

        var ambassadorRows = ambassadors.ToLookup(a => a.SubjectId);
        var topAmbassadorRows = ambassadorRows.Select(g => g.Key).Union(traffic.Ambassadors.Keys)
            .Select(id => (Id: id, Sales: Of(ambassadorRows, id, ConversionKind.Sale, r => r.Kind, r => r.Count),
                Leads: Of(ambassadorRows, id, ConversionKind.Lead, r => r.Kind, r => r.Count), Clicks: traffic.Ambassadors.GetValueOrDefault(id)?.Clicks ?? 0))
            .Where(a => a.Sales + a.Leads + a.Clicks > 0)
            .OrderByDescending(a => a.Sales).ThenByDescending(a => a.Leads).ThenByDescending(a => a.Clicks).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Take(TopCount).ToList();
        var topIds = topAmbassadorRows.Select(a => a.Id).ToList();
        var people = await db.Ambassadors.AsNoTracking().Where(a => topIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var topAmbassadors = topAmbassadorRows.Where(a => people.ContainsKey(a.Id))
            .Select(a => new TopAmbassador(a.Id, people[a.Id], a.Clicks, a.Leads, a.Sales)).ToList();

        return new ProgrammeResults(results, results.Sum(r => r.Clicks), results.Sum(r => r.Leads), results.Sum(r => r.Sales),
            Revenue(conversions), Money(rewards.Select(r => (r.Currency, r.Amount))), topContent, topAmbassadors);
    }

    public async Task<CampaignResults?> CampaignAsync(string id, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "cmp") || await grains.GetGrain<ICampaignGrain>(id).GetAsync() is not { } campaign) return null;
        if (await stats.ForAsync(StatsSubject.Campaign, id, null, null, cancellationToken) is not { } view) return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var grain = grains.Traffic(TrafficSubject.Campaign, id);
        var traffic = (await grain.GetMemberTrafficAsync()).ToDictionary(t => t.Id);
        var conversions = await db.Conversions.AsNoTracking().Where(c => c.CampaignId == id && c.ReversedAt == null)
            .GroupBy(c => new { c.AmbassadorId, c.Kind, c.Currency })
            .Select(g => new Counted(g.Key.AmbassadorId, g.Key.Kind, g.Key.Currency, g.LongCount(), g.Sum(c => c.AmountMinor ?? 0)))
            .ToListAsync(cancellationToken);
        var rewards = await db.Ledger.AsNoTracking().Where(e => e.CampaignId == id && e.State != LedgerEntryState.Voided)
            .GroupBy(e => new { e.AmbassadorId, e.Currency })
            .Select(g => new { g.Key.AmbassadorId, g.Key.Currency, Amount = g.Sum(e => e.AmountMinor) })
            .ToListAsync(cancellationToken);
        var members = await db.Memberships.AsNoTracking().Where(m => m.CampaignId == id && m.RemovedAt == null)
            .Select(m => m.AmbassadorId).ToListAsync(cancellationToken);
        // Everyone with a result here, members or not any more (removed members and referrers earning overrides keep theirs).
        var ids = members.Concat(traffic.Keys).Concat(conversions.Select(c => c.SubjectId)).Concat(rewards.Select(r => r.AmbassadorId))
            .Distinct(StringComparer.Ordinal).ToList();
        var names = await NamesAsync(db, ids, cancellationToken);
        var byAmbassador = conversions.ToLookup(c => c.SubjectId);
        var rewardsOf = rewards.ToLookup(r => r.AmbassadorId);
        var rows = ids.Select(a =>
        {
            var mine = byAmbassador[a].ToList();
            var clicks = traffic.GetValueOrDefault(a);
            return new MemberResult(0, a, names.GetValueOrDefault(a) ?? a, clicks?.Clicks ?? 0, clicks?.UniqueVisitors ?? 0,
                mine.Where(m => m.Kind == ConversionKind.Lead).Sum(m => m.Count), mine.Where(m => m.Kind == ConversionKind.Sale).Sum(m => m.Count),
                Revenue(mine), Money(rewardsOf[a].Select(r => (r.Currency, r.Amount))));
        }).ToList();
        var pieces = await PieceFunnelsAsync(db, id, grain, cancellationToken);
        var total = view.Rewards.Pending.Concat(view.Rewards.Approved).Concat(view.Rewards.Paid)
            .Concat(view.SecondDegree.Rewards.Pending).Concat(view.SecondDegree.Rewards.Approved).Concat(view.SecondDegree.Rewards.Paid)
            .GroupBy(m => m.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new MoneyView(g.Key, g.Sum(m => m.Amount))).ToList();
        return new CampaignResults(campaign, view, KpiBar.Of(campaign, view), total,
            Ranked(rows), pieces);
    }

    public async Task<PieceResults?> PieceAsync(string id, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "cnt")) return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Content.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is not { } piece) return null;
        if (await grains.GetGrain<ICampaignGrain>(piece.CampaignId).GetAsync() is not { } campaign) return null;
        if (await stats.ForAsync(StatsSubject.Content, id, null, null, cancellationToken) is not { } view) return null;
        var traffic = (await grains.Traffic(TrafficSubject.Campaign, piece.CampaignId).GetPieceMemberTrafficAsync(id)).ToDictionary(t => t.Id);
        if (traffic.Values.Sum(t => t.Clicks) != view.Clicks) traffic = await PieceTrafficOfAmbassadorsAsync(piece, cancellationToken);
        var conversions = await db.Conversions.AsNoTracking().Where(c => c.ContentId == id && c.ReversedAt == null)
            .GroupBy(c => new { c.AmbassadorId, c.Kind, c.Currency })
            .Select(g => new Counted(g.Key.AmbassadorId, g.Key.Kind, g.Key.Currency, g.LongCount(), g.Sum(c => c.AmountMinor ?? 0)))
            .ToListAsync(cancellationToken);
        var ids = traffic.Keys.Concat(conversions.Select(c => c.SubjectId)).Distinct(StringComparer.Ordinal).ToList();
        var names = await NamesAsync(db, ids, cancellationToken);
        var byAmbassador = conversions.ToLookup(c => c.SubjectId);
        var members = ids.Select(a =>
            {
                var mine = byAmbassador[a].ToList();
                var clicks = traffic.GetValueOrDefault(a);
                return new PieceMember(a, names.GetValueOrDefault(a) ?? a, clicks?.Clicks ?? 0, clicks?.UniqueVisitors ?? 0,
                    mine.Where(m => m.Kind == ConversionKind.Lead).Sum(m => m.Count), mine.Where(m => m.Kind == ConversionKind.Sale).Sum(m => m.Count), Revenue(mine));
            })
            .OrderByDescending(m => m.Sales).ThenByDescending(m => m.Leads).ThenByDescending(m => m.Clicks).ThenBy(m => m.Name, StringComparer.CurrentCulture)
            .ToList();
        var funnel = new PieceFunnel(piece.Id, piece.Title, view.PotentialReach, view.UniqueVisitors, view.Clicks, view.Leads, view.Sales, view.Revenue);
        return new PieceResults(piece, campaign, funnel, members);
    }

    /// <summary>
    /// A piece's clicks per ambassador from the ambassadors' own grains (each keeps its traffic per campaign and piece): for a
    /// piece clicked before its campaign counted them per member. One call per ambassador who drew clicks with it.
    /// </summary>
    private async Task<Dictionary<string, PartTraffic>> PieceTrafficOfAmbassadorsAsync(ContentPiece piece, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var drew = (await grains.Traffic(TrafficSubject.Content, piece.Id).GetTrafficAsync(null, null, today, today)).Ambassadors;
        var parts = await Task.WhenAll(drew.Select(async ambassadorId =>
        {
            var mine = await grains.Traffic(TrafficSubject.Ambassador, ambassadorId).GetTrafficInCampaignAsync(piece.CampaignId, today, today);
            var counts = mine.Pieces.FirstOrDefault(p => p.ContentId == piece.Id);
            return new PartTraffic(ambassadorId, counts?.Clicks ?? 0, counts?.UniqueVisitors ?? 0);
        }));
        cancellationToken.ThrowIfCancellationRequested();
        return parts.Where(p => p.Clicks > 0).ToDictionary(p => p.Id);
    }

    /// <summary>Each piece of the campaign: one query for its conversion counts, one grain call for its traffic, one for the reach.</summary>
    private static async Task<List<PieceFunnel>> PieceFunnelsAsync(AppDbContext db, string campaignId, ITrafficGrain grain, CancellationToken cancellationToken)
    {
        var pieces = await db.Content.AsNoTracking().Where(c => c.CampaignId == campaignId)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Select(c => new { c.Id, c.Title }).ToListAsync(cancellationToken);
        var pieceIds = pieces.Select(p => p.Id).ToList();
        var counts = await AllTimeCounts(db, ConversionSubject.Content).Where(c => pieceIds.Contains(c.SubjectId))
            .GroupBy(c => new { c.SubjectId, c.Kind, c.Currency })
            .Select(g => new Counted(g.Key.SubjectId, g.Key.Kind, g.Key.Currency, g.Sum(c => c.Count), g.Sum(c => c.AmountMinor)))
            .ToListAsync(cancellationToken);
        var traffic = (await grain.GetPieceTrafficAsync(null, null)).ToDictionary(p => p.ContentId);
        var drew = traffic.Values.SelectMany(t => t.Ambassadors).Distinct().ToList();
        var followers = await db.Ambassadors.Where(a => drew.Contains(a.Id)).Select(a => new { a.Id, a.Followers })
            .ToDictionaryAsync(a => a.Id, a => a.Followers, cancellationToken);
        var byPiece = counts.ToLookup(c => c.SubjectId);
        return pieces.Select(p =>
        {
            var t = traffic.GetValueOrDefault(p.Id);
            var mine = byPiece[p.Id].ToList();
            return new PieceFunnel(p.Id, p.Title, t?.Ambassadors.Sum(a => followers.GetValueOrDefault(a)) ?? 0, t?.UniqueVisitors ?? 0, t?.Clicks ?? 0,
                mine.Where(m => m.Kind == ConversionKind.Lead).Sum(m => m.Count), mine.Where(m => m.Kind == ConversionKind.Sale).Sum(m => m.Count), Revenue(mine));
        }).ToList();
    }

    /// <summary>
    /// Rows by sales, then leads, then clicks (most first), then by name; rows with the same three figures share a rank and
    /// the next rank skips as many places ("1, 1, 3").
    /// </summary>
    public static IReadOnlyList<MemberResult> Ranked(IEnumerable<MemberResult> rows)
    {
        var ordered = rows.OrderByDescending(r => r.Sales).ThenByDescending(r => r.Leads).ThenByDescending(r => r.Clicks)
            .ThenBy(r => r.Name, StringComparer.CurrentCulture).ThenBy(r => r.AmbassadorId, StringComparer.Ordinal).ToList();
        var ranked = new List<MemberResult>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var (row, before) = (ordered[i], i > 0 ? ranked[i - 1] : null);
            var tied = before is not null && (before.Sales, before.Leads, before.Clicks) == (row.Sales, row.Leads, row.Clicks);
            ranked.Add(row with { Rank = tied ? before!.Rank : i + 1 });
        }
        return ranked;
    }

    private static IQueryable<ConversionCount> AllTimeCounts(AppDbContext db, string subject) =>
        db.ConversionCounts.AsNoTracking().Where(c => c.Subject == subject && c.Day == ConversionCount.AllTime);

    private static Task<Dictionary<string, string>> NamesAsync(AppDbContext db, List<string> ids, CancellationToken cancellationToken) =>
        db.Ambassadors.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);

    /// <summary>Sales' revenue per currency, as the stats answer it (a count back at 0 shows no revenue).</summary>
    private static IReadOnlyList<MoneyView> Revenue(IEnumerable<Counted> counts) =>
        Money(counts.Where(c => c.Kind == ConversionKind.Sale && c.Count > 0).Select(c => (c.Currency, c.AmountMinor)));

    private static IReadOnlyList<MoneyView> Money(IEnumerable<(string Currency, long AmountMinor)> amounts) => amounts
        .GroupBy(a => a.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new MoneyView(g.Key, Rewards.FromMinor(g.Sum(a => a.AmountMinor), g.Key))).ToList();

    private sealed record Counted(string SubjectId, ConversionKind Kind, string Currency, long Count, long AmountMinor);
}
