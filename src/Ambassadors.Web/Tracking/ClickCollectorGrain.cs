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
/// Per-silo collector: a singleton of the silo's services. The redirect drops clicks into its lock-free inbox
/// (no grain call on the hot path); every second the silo's <see cref="ClickCollectorGrain"/> makes it drain
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

    private readonly System.Collections.Concurrent.ConcurrentQueue<ClickEvent> _inbox = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly ClickSpamGuard _spam = new();
    private Dictionary<string, TrafficDelta> _ambassadors = [];
    private Dictionary<string, TrafficDelta> _campaigns = [];
    private Dictionary<string, TrafficDelta> _content = [];
    private ProgrammeCounters _programme = new();
    private List<Click> _raw = [];
    private int _drivers;
    private long _lastFlush = Environment.TickCount64;
    private long _lastWake = long.MinValue / 2;

    public void Add(ClickEvent click) => _inbox.Enqueue(click);

    /// <summary>
    /// True, for one caller a second at most, when no collector grain drives this silo's flushes (not yet
    /// activated, or stopped): that caller should wake one.
    /// </summary>
    public bool ShouldWakeDriver()
    {
        var now = Environment.TickCount64;
        var idle = Volatile.Read(ref _drivers) == 0 || (!_inbox.IsEmpty && now - Interlocked.Read(ref _lastFlush) > 5_000);
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
            if (!_inbox.IsEmpty) await OffThePool(DrainInboxAsync);
            if (_raw.Count == 0 && _ambassadors.Count == 0 && _campaigns.Count == 0 && _content.Count == 0 && _programme.IsEmpty) return;
            var clicks = _raw.Count;
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
        while (_inbox.TryDequeue(out var click)) Aggregate(click);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs synchronous, long work on a thread of its own (once or twice a second): a thread-pool worker held for
    /// hundreds of milliseconds delays every work item queued behind it.
    /// </summary>
    private static Task OffThePool(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task SendAsync()
    {
        var (ambassadors, campaigns, content, raw, programme) = (_ambassadors, _campaigns, _content, _raw, _programme);
        (_ambassadors, _campaigns, _content, _raw, _programme) = ([], [], [], [], new());

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
        sends.Add(OffThePool(() => WriteOrKeepAsync(raw)));
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

    private async Task WriteOrKeepAsync(List<Click> raw)
    {
        if (raw.Count == 0) return;
        try
        {
            await writer.WriteAsync(raw);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not write {Count} raw clicks; kept for the next flush", raw.Count);
            lock (_raw) _raw.InsertRange(0, raw);
        }
    }

    private void Aggregate(ClickEvent click)
    {
        var day = DateOnly.FromDateTime(click.At.UtcDateTime).DayNumber;
        var flagged = !click.IsBot && click.AddressHash is { } address && _spam.Counts(address, click.At);
        var target = click.Target;
        var ambassador = Count(_ambassadors, target.AmbassadorId, day, click, click.NewForAmbassador, flagged, null);
        // The ambassador's split per campaign and piece counts a visitor where the ambassador first reached them, so the
        // parts add up to the ambassador's unique visitors exactly (docs/decisions.md, "My stats").
        var mine = ambassador.CampaignOf(target.CampaignId);
        Count(mine, day, click, click.NewForAmbassador, flagged, null);
        var campaign = Count(_campaigns, target.CampaignId, day, click, click.NewForCampaign, flagged, null);
        Count(campaign.MemberOf(target.AmbassadorId), click, click.NewForCampaign, flagged);
        Count(TrafficDay.Of(_programme.Campaigns, target.CampaignId), click, click.NewForCampaign, flagged);
        Count(TrafficDay.Of(_programme.Ambassadors, target.AmbassadorId), click, click.NewForAmbassador, flagged);
        if (target.ContentId is { } contentId)
        {
            Count(campaign.PieceOf(contentId).MemberOf(target.AmbassadorId), click, click.NewForContent, flagged);
            Count(TrafficDay.Of(_programme.Pieces, contentId), click, click.NewForContent, flagged);
            Count(mine.PieceOf(contentId), day, click, click.NewForAmbassador, flagged, null);
            Count(campaign.PieceOf(contentId), day, click, click.NewForContent, flagged, click.IsBot ? null : target.AmbassadorId);
            Count(_content, contentId, day, click, click.NewForContent, flagged, click.IsBot ? null : target.AmbassadorId);
        }
        _raw.Add(new Click
        {
            Id = click.ClickId,
            Code = target.Code,
            AmbassadorId = target.AmbassadorId,
            CampaignId = target.CampaignId,
            ContentId = target.ContentId,
            VisitorId = click.VisitorId,
            At = click.At,
            IsBot = click.IsBot,
            Flagged = flagged,
            AddressHash = click.AddressHash,
            UserAgent = click.UserAgent,
        });
    }

    private static void Merge(Dictionary<string, TrafficDelta> buffer, string key, TrafficDelta delta)
    {
        if (buffer.TryGetValue(key, out var existing)) existing.Merge(delta);
        else buffer[key] = delta;
    }

    private static TrafficDelta Count(Dictionary<string, TrafficDelta> buffer, string key, int day, ClickEvent click, bool newVisitor, bool flagged, string? clickingAmbassador)
    {
        if (!buffer.TryGetValue(key, out var delta)) buffer[key] = delta = new TrafficDelta();
        Count(delta, day, click, newVisitor, flagged, clickingAmbassador);
        return delta;
    }

    private static void Count(TrafficDelta delta, int day, ClickEvent click, bool newVisitor, bool flagged, string? clickingAmbassador)
    {
        Count(delta.DayOf(day), click, newVisitor, flagged);
        if (!click.IsBot && clickingAmbassador is not null) delta.Ambassadors.Add(clickingAmbassador);
    }

    private static void Count(TrafficDay counts, ClickEvent click, bool newVisitor, bool flagged)
    {
        if (click.IsBot)
        {
            counts.BotClicks++;
            return;
        }
        counts.Clicks++;
        if (newVisitor) counts.UniqueVisitors++;
        if (flagged) counts.FlaggedClicks++;
    }
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
