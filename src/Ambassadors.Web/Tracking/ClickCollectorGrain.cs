using System.Diagnostics;
using Ambassadors.Data;
using Orleans.Concurrency;

namespace Ambassadors.Web.Tracking;

/// <summary>One redirect, as the endpoint hands it to the collector.</summary>
[GenerateSerializer, Immutable]
public sealed record ClickEvent(
    [property: Id(0)] string ClickId,
    [property: Id(1)] CodeTarget Target,
    [property: Id(2)] string VisitorId,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] bool IsBot,
    [property: Id(5)] bool NewForAmbassador,
    [property: Id(6)] bool NewForCampaign,
    [property: Id(7)] bool NewForContent,
    [property: Id(8)] string? AddressHash,
    [property: Id(9)] string? UserAgent);

public interface IClickCollectorGrain : IGrainWithIntegerKey
{
    /// <summary>Takes a click into this silo's inbox; it reaches the counters and the raw-click table at the next flush.</summary>
    Task RecordAsync(ClickEvent click);

    /// <summary>Sends everything buffered now (the timer does this every second; shutdown does it once more).</summary>
    Task FlushAsync();
}

/// <summary>
/// Per-silo collector: a singleton of the silo's services. The redirect copies each click into its inbox, an array of
/// structs reused from flush to flush (no grain call and no object per click on the hot path: see <see cref="ClickRecord"/>); every second the silo's <see cref="ClickCollectorGrain"/> makes it drain
/// the inbox, pre-aggregate per ambassador, campaign and content piece and day, and flush: one call per
/// entity grain plus one batched insert of raw clicks. One flush runs at a time. What a flush cannot deliver
/// stays buffered for the next one. A graceful shutdown flushes it directly (<see cref="FlushClicksOnShutdown"/>),
/// so the last clicks do not depend on where Orleans would place a call during shutdown.
/// The flush's long synchronous work (draining and aggregating up to a second of clicks, and SQLite's synchronous
/// insert of the raw clicks) runs on threads of its own, not the thread pool's: on the pool it held a worker for
/// 0.1-0.5 s a second, work items (the redirects' request continuations) waited up to 200 ms for a thread, and the
/// redirect's p99 was about 100x its p99 without recording (docs/benchmarks.md, "Redirect: the tail").
/// </summary>
public sealed class ClickCollector(IGrainFactory grains, ClickWriter writer, ILogger<ClickCollector> logger)
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>Distinct user agents kept to share one string among their clicks; beyond it the set starts over.</summary>
    private const int UserAgentsLimit = 10_000;

    /// <summary>Written batches kept for reuse, and the largest kept (a backlog's batch is let go).</summary>
    private const int SpareBatches = 3, SpareCapacityLimit = 1 << 20;

    private readonly Lock _inboxLock = new();
    private ClickBatch _inbox = new(4_096);
    private readonly Stack<ClickBatch> _spare = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _userAgents = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly ClickSpamGuard _spam = new();
    private Dictionary<string, TrafficDelta> _ambassadors = [];
    private Dictionary<string, TrafficDelta> _campaigns = [];
    private Dictionary<string, TrafficDelta> _content = [];
    private ProgrammeCounters _programme = new();
    /// <summary>Counted clicks whose rows are not written yet, oldest first (a failed write stays here for the next flush).</summary>
    private List<ClickBatch> _raw = [];
    private int _drivers;
    private long _lastFlush = Environment.TickCount64;
    private long _lastWake = long.MinValue / 2;

    /// <summary>Takes one click into the inbox (a struct copied into the inbox's array: no object per click).</summary>
    public void Add(UInt128 clickId, CodeTarget target, UInt128 visitorId, DateTimeOffset at, ClickFlags flags, string? addressHash, string? userAgent)
    {
        var click = new ClickRecord(clickId, target, visitorId, at, flags, addressHash, Shared(userAgent));
        lock (_inboxLock) _inbox.Add(click);
    }

    /// <summary>Takes a click handed over by a grain call (<see cref="IClickCollectorGrain.RecordAsync"/>).</summary>
    public void Add(ClickEvent click)
    {
        if (!ClickIds.TryParseValue(click.ClickId, out var clickId)) throw new ArgumentException($"'{click.ClickId}' is not a click id.", nameof(click));
        Add(clickId, click.Target, VisitorIds.Parse(click.VisitorId), click.At,
            ClickRecord.FlagsOf(click.IsBot, click.NewForAmbassador, click.NewForCampaign, click.NewForContent), click.AddressHash, click.UserAgent);
    }

    /// <summary>
    /// One string per distinct user agent: the request's own copy dies with the request, so the inbox holds no young string
    /// that a collection would have to copy up.
    /// </summary>
    private string? Shared(string? userAgent)
    {
        if (userAgent is null) return null;
        if (_userAgents.TryGetValue(userAgent, out var shared)) return shared;
        if (_userAgents.Count >= UserAgentsLimit) _userAgents.Clear();
        return _userAgents.GetOrAdd(userAgent, userAgent);
    }

    private bool InboxIsEmpty
    {
        get
        {
            lock (_inboxLock) return _inbox.Count == 0;
        }
    }

    /// <summary>
    /// True, for one caller a second at most, when no collector grain drives this silo's flushes (not yet
    /// activated, or stopped): that caller should wake one.
    /// </summary>
    public bool ShouldWakeDriver()
    {
        var now = Environment.TickCount64;
        var idle = Volatile.Read(ref _drivers) == 0 || (now - Interlocked.Read(ref _lastFlush) > 5_000 && !InboxIsEmpty);
        if (!idle) return false;
        var last = Interlocked.Read(ref _lastWake);
        return now - last >= 1_000 && Interlocked.CompareExchange(ref _lastWake, now, last) == last;
    }

    public void Attach() => Interlocked.Increment(ref _drivers);

    public void Detach() => Interlocked.Decrement(ref _drivers);

    public async Task FlushAsync()
    {
        await _flushing.WaitAsync();
        try
        {
            Interlocked.Exchange(ref _lastFlush, Environment.TickCount64);
            var started = Stopwatch.GetTimestamp();
            if (!InboxIsEmpty) await OffThePool(DrainInboxAsync);
            if (_raw.Count == 0 && _ambassadors.Count == 0 && _campaigns.Count == 0 && _content.Count == 0 && _programme.IsEmpty) return;
            var clicks = _raw.Sum(b => b.Count);
            await SendAsync();
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Flushed {Clicks} clicks in {Milliseconds:0.0} ms", clicks, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private Task DrainInboxAsync()
    {
        ClickBatch drained;
        lock (_inboxLock)
        {
            drained = _inbox;
            _inbox = _spare.TryPop(out var spare) ? spare : new ClickBatch(Math.Min(drained.Capacity, SpareCapacityLimit));
        }
        if (drained.Count == 0)
        {
            Recycle(drained);
            return Task.CompletedTask;
        }
        for (var i = 0; i < drained.Count; i++) Aggregate(ref drained[i]);
        lock (_raw) _raw.Add(drained);
        return Task.CompletedTask;
    }

    /// <summary>A written batch, emptied, for the inbox to fill again.</summary>
    private void Recycle(ClickBatch batch)
    {
        if (batch.Capacity > SpareCapacityLimit) return;
        batch.Clear();
        lock (_inboxLock)
        {
            if (_spare.Count < SpareBatches) _spare.Push(batch);
        }
    }

    /// <summary>
    /// Runs synchronous, long work on a thread of its own (once or twice a second): a thread-pool worker held for
    /// hundreds of milliseconds delays every work item queued behind it.
    /// </summary>
    private static Task OffThePool(Func<Task> work) =>
        Task.Factory.StartNew(() =>
        {
            BackgroundThreads.Yield();
            return work();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task SendAsync()
    {
        List<ClickBatch> raw;
        lock (_raw) (raw, _raw) = (_raw, []);
        var (ambassadors, campaigns, content, programme) = (_ambassadors, _campaigns, _content, _programme);
        (_ambassadors, _campaigns, _content, _programme) = ([], [], [], new());

        // The programme's totals first: on its first activation it imports what the campaigns held before it existed,
        // which must not include this flush (docs/decisions.md, "Programme results").
        if (!programme.IsEmpty)
        {
            try
            {
                await grains.GetGrain<IProgrammeTrafficGrain>(ProgrammeTrafficGrain.Key).RecordAsync(programme);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not flush the programme's traffic; kept for the next flush");
                _programme.Add(programme);
            }
        }
        var sends = new List<Task>();
        sends.AddRange(ambassadors.Select(e => SendOrKeepAsync(_ambassadors, e.Key, e.Value, TrafficSubject.Ambassador)));
        sends.AddRange(campaigns.Select(e => SendOrKeepAsync(_campaigns, e.Key, e.Value, TrafficSubject.Campaign)));
        sends.AddRange(content.Select(e => SendOrKeepAsync(_content, e.Key, e.Value, TrafficSubject.Content)));
        // SQLite's driver does its I/O synchronously: keep it off the thread pool (and the grain's scheduler).
        // On PostgreSQL the write is asynchronous and the thread is only used until its first await.
        if (raw.Count > 0) sends.Add(OffThePool(() => WriteOrKeepAsync(raw)));
        await Task.WhenAll(sends);
    }

    private async Task SendOrKeepAsync(Dictionary<string, TrafficDelta> retry, string key, TrafficDelta delta, TrafficSubject subject)
    {
        try
        {
            await grains.Traffic(subject, key).RecordTrafficAsync(delta);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not flush traffic for {Key}; kept for the next flush", key);
            lock (retry) Merge(retry, key, delta);
        }
    }

    /// <summary>Writes the batches oldest first; from the first that fails on, they stay for the next flush.</summary>
    private async Task WriteOrKeepAsync(List<ClickBatch> raw)
    {
        for (var written = 0; written < raw.Count; written++)
        {
            try
            {
                await writer.WriteAsync(raw[written]);
            }
            catch (Exception e)
            {
                var kept = raw.GetRange(written, raw.Count - written);
                logger.LogWarning(e, "Could not write {Count} raw clicks; kept for the next flush", kept.Sum(b => b.Count));
                lock (_raw) _raw.InsertRange(0, kept);
                return;
            }
            Recycle(raw[written]);
        }
    }

    private void Aggregate(ref ClickRecord click)
    {
        var at = click.At;
        var day = DateOnly.FromDateTime(at.UtcDateTime).DayNumber;
        var flagged = !click.IsBot && click.AddressHash is { } address && _spam.Counts(address, at);
        if (flagged) click.Flags |= ClickFlags.Flagged;
        var target = click.Target;
        var ambassador = Count(_ambassadors, target.AmbassadorId, day, click, ClickFlags.NewForAmbassador, null);
        // The ambassador's split per campaign and piece counts a visitor where the ambassador first reached them, so the
        // parts add up to the ambassador's unique visitors exactly (docs/decisions.md, "My stats").
        var mine = ambassador.CampaignOf(target.CampaignId);
        Count(mine, day, click, ClickFlags.NewForAmbassador, null);
        var campaign = Count(_campaigns, target.CampaignId, day, click, ClickFlags.NewForCampaign, null);
        Count(campaign.MemberOf(target.AmbassadorId), click, ClickFlags.NewForCampaign);
        Count(TrafficDay.Of(_programme.Campaigns, target.CampaignId), click, ClickFlags.NewForCampaign);
        Count(TrafficDay.Of(_programme.Ambassadors, target.AmbassadorId), click, ClickFlags.NewForAmbassador);
        if (target.ContentId is { } contentId)
        {
            Count(campaign.PieceOf(contentId).MemberOf(target.AmbassadorId), click, ClickFlags.NewForContent);
            Count(TrafficDay.Of(_programme.Pieces, contentId), click, ClickFlags.NewForContent);
            Count(mine.PieceOf(contentId), day, click, ClickFlags.NewForAmbassador, null);
            Count(campaign.PieceOf(contentId), day, click, ClickFlags.NewForContent, click.IsBot ? null : target.AmbassadorId);
            Count(_content, contentId, day, click, ClickFlags.NewForContent, click.IsBot ? null : target.AmbassadorId);
        }
    }

    private static void Merge(Dictionary<string, TrafficDelta> buffer, string key, TrafficDelta delta)
    {
        if (buffer.TryGetValue(key, out var existing)) existing.Merge(delta);
        else buffer[key] = delta;
    }

    private static TrafficDelta Count(Dictionary<string, TrafficDelta> buffer, string key, int day, in ClickRecord click, ClickFlags newVisitor, string? clickingAmbassador)
    {
        if (!buffer.TryGetValue(key, out var delta)) buffer[key] = delta = new TrafficDelta();
        Count(delta, day, click, newVisitor, clickingAmbassador);
        return delta;
    }

    private static void Count(TrafficDelta delta, int day, in ClickRecord click, ClickFlags newVisitor, string? clickingAmbassador)
    {
        Count(delta.DayOf(day), click, newVisitor);
        if (!click.IsBot && clickingAmbassador is not null) delta.Ambassadors.Add(clickingAmbassador);
    }

    /// <summary>Counts the click in one day's counters; <paramref name="newVisitor"/> says which of its "new for" flags counts here.</summary>
    private static void Count(TrafficDay counts, in ClickRecord click, ClickFlags newVisitor)
    {
        if (click.IsBot)
        {
            counts.BotClicks++;
            return;
        }
        counts.Clicks++;
        if (click.Is(newVisitor)) counts.UniqueVisitors++;
        if (click.Flagged) counts.FlaggedClicks++;
    }
}

/// <summary>
/// Lowers the calling thread's scheduling priority by 5 (Linux nice): the collector's flush is background work that must not take a
/// core from the redirects it records while they wait. At nice 5 the scheduler still gives it about a third of a nice-0
/// thread's share under full load, so it keeps up; when the cores are idle it runs at full speed.
/// </summary>
internal static class BackgroundThreads
{
    private const int PrioProcess = 0, Nice = 5;

    public static void Yield()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            var thread = gettid();
            _ = setpriority(PrioProcess, thread, Math.Min(19, getpriority(PrioProcess, thread) + Nice));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without gettid: the flush runs at normal priority.
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the project: two int-only calls need no marshalling either way
    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int gettid();

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int setpriority(int which, int who, int prio);

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int getpriority(int which, int who);
#pragma warning restore SYSLIB1054
}

/// <summary>
/// The per-silo [StatelessWorker] face of the <see cref="ClickCollector"/>: its timer drives the silo's
/// flushes every second and keeps the activation alive; the first redirect a silo serves activates it.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class ClickCollectorGrain(ClickCollector collector) : Grain, IClickCollectorGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        collector.Attach();
        this.RegisterGrainTimer(collector.FlushAsync,
            new GrainTimerCreationOptions(ClickCollector.FlushInterval, ClickCollector.FlushInterval) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        collector.Detach();
        return collector.FlushAsync();
    }

    public Task RecordAsync(ClickEvent click)
    {
        collector.Add(click);
        return Task.CompletedTask;
    }

    public Task FlushAsync() => collector.FlushAsync();
}

/// <summary>
/// Flags click spam: more than <see cref="Limit"/> counted clicks from one address within a minute, on this
/// silo. Flagged clicks are still counted (and marked in the raw-click table for review), never dropped.
/// Owned by the collector and used only inside its one-at-a-time flush, so it needs no locks.
/// </summary>
public sealed class ClickSpamGuard
{
    public const int Limit = 30;
    private readonly Dictionary<string, (long Minute, int Count)> _recent = [];

    /// <summary>Counts one click from the address; true when it goes over the limit.</summary>
    public bool Counts(string addressHash, DateTimeOffset at)
    {
        var minute = at.ToUnixTimeSeconds() / 60;
        if (_recent.Count > 100_000)
        {
            foreach (var stale in _recent.Where(e => e.Value.Minute < minute).Select(e => e.Key).ToList()) _recent.Remove(stale);
        }
        var count = _recent.TryGetValue(addressHash, out var entry) && entry.Minute == minute ? entry.Count + 1 : 1;
        _recent[addressHash] = (minute, count);
        return count > Limit;
    }
}
