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

    /// <summary>The day's counts in a by-day-number map, added when missing.</summary>
    public static TrafficDay Of(Dictionary<int, TrafficDay> days, int dayNumber)
    {
        if (!days.TryGetValue(dayNumber, out var day)) days[dayNumber] = day = new TrafficDay();
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

    public void Merge(TrafficDelta other) => TrafficDay.AddAll(Days, Ambassadors, other);

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

/// <summary>
/// Grain-held traffic counters: daily buckets (a few hundred bytes a day), so any window is a sum over the
/// days asked for, whatever the number of clicks. Written behind: once per collector flush, not per click.
/// </summary>
[GenerateSerializer]
public sealed class TrafficCounters
{
    [Id(0)] public Dictionary<int, TrafficDay> Days { get; set; } = [];
    [Id(1)] public HashSet<string> Ambassadors { get; set; } = [];

    public void Apply(TrafficDelta delta) => TrafficDay.AddAll(Days, Ambassadors, delta);

    /// <summary>Totals over [from, to] (all time when open) and one entry per day of [dailyFrom, dailyTo].</summary>
    public TrafficSummary Summarize(DateOnly? from, DateOnly? to, DateOnly dailyFrom, DateOnly dailyTo)
    {
        var total = new TrafficDay();
        var first = from?.DayNumber ?? int.MinValue;
        var last = to?.DayNumber ?? int.MaxValue;
        foreach (var (day, counts) in Days)
        {
            if (day >= first && day <= last) total.Add(counts);
        }
        var daily = new List<TrafficDayView>();
        for (var day = dailyFrom.DayNumber; day <= dailyTo.DayNumber; day++)
        {
            var counts = Days.GetValueOrDefault(day);
            daily.Add(new TrafficDayView(DateOnly.FromDayNumber(day), counts?.Clicks ?? 0, counts?.UniqueVisitors ?? 0, counts?.BotClicks ?? 0));
        }
        return new TrafficSummary(total.Clicks, total.UniqueVisitors, total.BotClicks, total.FlaggedClicks, daily, Ambassadors.Order().ToList());
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
