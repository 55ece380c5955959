using Orleans.Storage;

namespace Ambassadors.Web.Tracking;

/// <summary>One UTC day of traffic for one ambassador, campaign or content piece.</summary>
[GenerateSerializer]
public sealed class TrafficDay
{
    /// <summary>Redirects that were not a bot, link preview or HEAD.</summary>
    [Id(0)] public long Clicks { get; set; }
    /// <summary>Visitors (told apart by the first-party visitor cookie) counted for the first time by this entity that day.</summary>
    [Id(1)] public long UniqueVisitors { get; set; }
    [Id(2)] public long BotClicks { get; set; }
    /// <summary>Counted clicks flagged for review (many from one address in a short time).</summary>
    [Id(3)] public long FlaggedClicks { get; set; }

    public void Add(TrafficDay other)
    {
        Clicks += other.Clicks;
        UniqueVisitors += other.UniqueVisitors;
        BotClicks += other.BotClicks;
        FlaggedClicks += other.FlaggedClicks;
    }

    /// <summary>The counts under a key (a day number, a member) in a map, added when missing.</summary>
    public static TrafficDay Of<TKey>(Dictionary<TKey, TrafficDay> counts, TKey key) where TKey : notnull
    {
        if (!counts.TryGetValue(key, out var day)) counts[key] = day = new TrafficDay();
        return day;
    }

    /// <summary>Adds a delta's days and ambassadors into a pair of by-day counts and ambassadors (a delta's own, or a grain's).</summary>
    public static void AddAll(Dictionary<int, TrafficDay> days, HashSet<string> ambassadors, TrafficDelta delta)
    {
        foreach (var (day, counts) in delta.Days) Of(days, day).Add(counts);
        ambassadors.UnionWith(delta.Ambassadors);
    }
}

/// <summary>What one collector gathered for one entity since its last flush.</summary>
[GenerateSerializer]
public sealed class TrafficDelta
{
    /// <summary>Keyed by <see cref="DateOnly.DayNumber"/>.</summary>
    [Id(0)] public Dictionary<int, TrafficDay> Days { get; set; } = [];
    /// <summary>For a content piece: the ambassadors who drew counted clicks with it.</summary>
    [Id(1)] public HashSet<string> Ambassadors { get; set; } = [];
    /// <summary>
    /// For a campaign: the same, per content piece of it (so its funnel needs no call per piece). For an ambassador: per
    /// content piece within one of <see cref="Campaigns"/>.
    /// </summary>
    [Id(2)] public Dictionary<string, TrafficDelta> Pieces { get; set; } = [];
    /// <summary>For an ambassador: their traffic per campaign (and, inside, per piece), for the portal.</summary>
    [Id(3)] public Dictionary<string, TrafficDelta> Campaigns { get; set; } = [];
    /// <summary>For a campaign: each member's clicks (all days together), for the leaderboard.</summary>
    [Id(4)] public Dictionary<string, TrafficDay> Members { get; set; } = [];

    public void Merge(TrafficDelta other)
    {
        TrafficDay.AddAll(Days, Ambassadors, other);
        foreach (var (contentId, piece) in other.Pieces) PieceOf(contentId).Merge(piece);
        foreach (var (campaignId, campaign) in other.Campaigns) CampaignOf(campaignId).Merge(campaign);
        foreach (var (ambassadorId, counts) in other.Members) MemberOf(ambassadorId).Add(counts);
    }

    public TrafficDelta PieceOf(string contentId) => Part(Pieces, contentId);

    public TrafficDelta CampaignOf(string campaignId) => Part(Campaigns, campaignId);

    public TrafficDay MemberOf(string ambassadorId) => TrafficDay.Of(Members, ambassadorId);

    private static TrafficDelta Part(Dictionary<string, TrafficDelta> parts, string key)
    {
        if (!parts.TryGetValue(key, out var part)) parts[key] = part = new TrafficDelta();
        return part;
    }

    public TrafficDay DayOf(int dayNumber) => TrafficDay.Of(Days, dayNumber);
}

[GenerateSerializer, Immutable]
public sealed record TrafficDayView(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] long Clicks,
    [property: Id(2)] long UniqueVisitors,
    [property: Id(3)] long BotClicks);

/// <summary>Traffic totals for a window, and the daily series asked for.</summary>
[GenerateSerializer, Immutable]
public sealed record TrafficSummary(
    [property: Id(0)] long Clicks,
    [property: Id(1)] long UniqueVisitors,
    [property: Id(2)] long BotClicks,
    [property: Id(3)] long FlaggedClicks,
    [property: Id(4)] IReadOnlyList<TrafficDayView> Daily,
    [property: Id(5)] IReadOnlyList<string> Ambassadors);

/// <summary>One content piece's traffic in a window, as its campaign counts it.</summary>
[GenerateSerializer, Immutable]
public sealed record PieceTraffic(
    [property: Id(0)] string ContentId,
    [property: Id(1)] long Clicks,
    [property: Id(2)] long UniqueVisitors,
    [property: Id(3)] IReadOnlyList<string> Ambassadors);

/// <summary>Traffic of one part of an entity (an ambassador's campaign, a campaign's member), all days together.</summary>
[GenerateSerializer, Immutable]
public sealed record PartTraffic(
    [property: Id(0)] string Id,
    [property: Id(1)] long Clicks,
    [property: Id(2)] long UniqueVisitors);

/// <summary>An ambassador's traffic in one campaign: totals and daily series, and per content piece of it.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignPartTraffic(
    [property: Id(0)] TrafficSummary Traffic,
    [property: Id(1)] IReadOnlyList<PieceTraffic> Pieces);

/// <summary>
/// Grain-held traffic counters: daily buckets (a few hundred bytes a day), so any window is a sum over the
/// days asked for, whatever the number of clicks. Written behind: once per collector flush, not per click.
/// </summary>
[GenerateSerializer]
public sealed class TrafficCounters
{
    [Id(0)] public Dictionary<int, TrafficDay> Days { get; set; } = [];
    [Id(1)] public HashSet<string> Ambassadors { get; set; } = [];
    /// <summary>For a campaign: counters per content piece, fed by the same flushes.</summary>
    [Id(2)] public Dictionary<string, TrafficCounters> Pieces { get; set; } = [];
    /// <summary>
    /// False for state stored before pieces were counted here: the campaign then imports its pieces' counters once
    /// (<see cref="TrafficGrain{TState}.ImportPiecesAsync"/>).
    /// </summary>
    [Id(3)] public bool PiecesTracked { get; set; }
    /// <summary>For an ambassador: counters per campaign, each with its own <see cref="Pieces"/> (the portal's split).</summary>
    [Id(4)] public Dictionary<string, TrafficCounters> Campaigns { get; set; } = [];
    /// <summary>For a campaign: each member's totals over all days (the leaderboard's clicks).</summary>
    [Id(5)] public Dictionary<string, TrafficDay> Members { get; set; } = [];

    /// <summary>
    /// All days added up: computed once when first asked for and then kept by <see cref="Apply"/>, so all-time totals
    /// (a campaign's 200-piece funnel above all) cost one read per piece instead of a sum over its days. Not stored: the days are.
    /// </summary>
    [NonSerialized] private TrafficDay? _allDays;

    public void Apply(TrafficDelta delta)
    {
        TrafficDay.AddAll(Days, Ambassadors, delta);
        if (_allDays is not null)
        {
            foreach (var counts in delta.Days.Values) _allDays.Add(counts);
        }
        Apply(Pieces, delta.Pieces);
        Apply(Campaigns, delta.Campaigns);
        foreach (var (ambassadorId, counts) in delta.Members) TrafficDay.Of(Members, ambassadorId).Add(counts);
    }

    private static void Apply(Dictionary<string, TrafficCounters> parts, Dictionary<string, TrafficDelta> deltas)
    {
        foreach (var (key, part) in deltas)
        {
            if (!parts.TryGetValue(key, out var counters)) parts[key] = counters = new TrafficCounters();
            counters.Apply(part);
        }
    }

    /// <summary>Each campaign's totals over all days (an ambassador's).</summary>
    public IReadOnlyList<PartTraffic> SummarizeCampaigns() => Campaigns
        .Select(c => (c.Key, Total: c.Value.Total(null, null)))
        .Select(c => new PartTraffic(c.Key, c.Total.Clicks, c.Total.UniqueVisitors))
        .ToList();

    /// <summary>One campaign's counters (an ambassador's in it): totals, the daily series and its pieces' totals, all time.</summary>
    public CampaignPartTraffic SummarizeCampaign(string campaignId, DateOnly dailyFrom, DateOnly dailyTo)
    {
        var part = Campaigns.GetValueOrDefault(campaignId) ?? new TrafficCounters();
        return new CampaignPartTraffic(part.Summarize(null, null, dailyFrom, dailyTo), part.SummarizePieces(null, null));
    }

    /// <summary>Each member's totals (a campaign's).</summary>
    public IReadOnlyList<PartTraffic> SummarizeMembers() =>
        Members.Select(m => new PartTraffic(m.Key, m.Value.Clicks, m.Value.UniqueVisitors)).ToList();

    /// <summary>All of it as one delta (days and ambassadors), for a campaign importing a piece's counters.</summary>
    public TrafficDelta Export()
    {
        var delta = new TrafficDelta { Ambassadors = [.. Ambassadors] };
        foreach (var (day, counts) in Days) delta.DayOf(day).Add(counts);
        return delta;
    }

    /// <summary>Each piece's totals over [from, to] (all time when open).</summary>
    public IReadOnlyList<PieceTraffic> SummarizePieces(DateOnly? from, DateOnly? to) => Pieces
        .Select(p => (p.Key, Total: p.Value.Total(from, to), p.Value.Ambassadors))
        .Select(p => new PieceTraffic(p.Key, p.Total.Clicks, p.Total.UniqueVisitors, p.Ambassadors.Order(StringComparer.Ordinal).ToList()))
        .ToList();

    private TrafficDay Total(DateOnly? from, DateOnly? to)
    {
        if (from is null && to is null) return _allDays ??= Total(DateOnly.MinValue, DateOnly.MaxValue);
        var total = new TrafficDay();
        var first = from?.DayNumber ?? int.MinValue;
        var last = to?.DayNumber ?? int.MaxValue;
        foreach (var (day, counts) in Days)
        {
            if (day >= first && day <= last) total.Add(counts);
        }
        return total;
    }

    /// <summary>Totals over [from, to] (all time when open) and one entry per day of [dailyFrom, dailyTo].</summary>
    public TrafficSummary Summarize(DateOnly? from, DateOnly? to, DateOnly dailyFrom, DateOnly dailyTo)
    {
        var total = Total(from, to);
        var daily = new List<TrafficDayView>();
        for (var day = dailyFrom.DayNumber; day <= dailyTo.DayNumber; day++)
        {
            var counts = Days.GetValueOrDefault(day);
            daily.Add(new TrafficDayView(DateOnly.FromDayNumber(day), counts?.Clicks ?? 0, counts?.UniqueVisitors ?? 0, counts?.BotClicks ?? 0));
        }
        return new TrafficSummary(total.Clicks, total.UniqueVisitors, total.BotClicks, total.FlaggedClicks, daily, Ambassadors.Order(StringComparer.Ordinal).ToList());
    }
}

/// <summary>Applying a flush to grain state and writing it, re-reading once if another activation wrote first.</summary>
public static class TrafficWrites
{
    public static async Task ApplyAsync<TState>(IPersistentState<TState> state, Func<TState, TrafficCounters> counters, TrafficDelta delta)
    {
        counters(state.State).Apply(delta);
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // During a membership change another activation may have written: take its state, add ours again.
            await state.ReadStateAsync();
            counters(state.State).Apply(delta);
            await state.WriteStateAsync();
        }
    }
}
