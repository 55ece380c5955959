using Ambassadors.Data.Model;
using Ambassadors.Web.AmbassadorProfiles;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Content;
using Ambassadors.Web.ReferralCodes;
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
    /// <summary>Takes a click into this silo's buffer; it reaches the counters and the raw-click table at the next flush.</summary>
    Task RecordAsync(ClickEvent click);

    /// <summary>Sends everything buffered now (the timer does this every second; shutdown does it once more).</summary>
    Task FlushAsync();
}

/// <summary>
/// Per-silo collector: pre-aggregates clicks per ambassador, campaign and content piece and day, and flushes
/// every second with one call per entity grain plus one batched insert of raw clicks. Reentrant so that
/// clicks keep arriving while a flush awaits its calls; Orleans still runs one turn at a time, so the
/// buffers need no locks. What a flush cannot deliver stays buffered for the next one.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class ClickCollectorGrain(
    IGrainFactory grains,
    ClickWriter writer,
    ILogger<ClickCollectorGrain> logger) : Grain, IClickCollectorGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private Dictionary<string, TrafficDelta> _ambassadors = [];
    private Dictionary<string, TrafficDelta> _campaigns = [];
    private Dictionary<string, TrafficDelta> _content = [];
    private List<Click> _raw = [];
    private readonly ClickSpamGuard _spam = new();
    private Task? _flushing;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushInterval, FlushInterval) { Interleave = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    public Task RecordAsync(ClickEvent click)
    {
        var day = DateOnly.FromDateTime(click.At.UtcDateTime).DayNumber;
        var flagged = !click.IsBot && click.AddressHash is { } address && _spam.Counts(address, click.At);
        var target = click.Target;
        Count(_ambassadors, target.AmbassadorId, day, click, click.NewForAmbassador, flagged, null);
        Count(_campaigns, target.CampaignId, day, click, click.NewForCampaign, flagged, null);
        if (target.ContentId is { } contentId)
        {
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
        return Task.CompletedTask;
    }

    public async Task FlushAsync()
    {
        // A flush already under way (the timer's) is awaited, then whatever arrived meanwhile goes too.
        while (_flushing is { IsCompleted: false } running) await running;
        if (_raw.Count == 0 && _ambassadors.Count == 0 && _campaigns.Count == 0 && _content.Count == 0) return;
        _flushing = SendAsync();
        await _flushing;
    }

    private async Task SendAsync()
    {
        var (ambassadors, campaigns, content, raw) = (_ambassadors, _campaigns, _content, _raw);
        (_ambassadors, _campaigns, _content, _raw) = ([], [], [], []);

        var sends = new List<Task>();
        sends.AddRange(ambassadors.Select(e => SendOrKeepAsync(_ambassadors, e.Key, e.Value, () => grains.GetGrain<IAmbassadorGrain>(e.Key).RecordTrafficAsync(e.Value))));
        sends.AddRange(campaigns.Select(e => SendOrKeepAsync(_campaigns, e.Key, e.Value, () => grains.GetGrain<ICampaignGrain>(e.Key).RecordTrafficAsync(e.Value))));
        sends.AddRange(content.Select(e => SendOrKeepAsync(_content, e.Key, e.Value, () => grains.GetGrain<IContentGrain>(e.Key).RecordTrafficAsync(e.Value))));
        sends.Add(WriteOrKeepAsync(raw));
        await Task.WhenAll(sends);
    }

    private async Task SendOrKeepAsync(Dictionary<string, TrafficDelta> retry, string key, TrafficDelta delta, Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not flush traffic for {Key}; kept for the next flush", key);
            Count(retry, key, delta);
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
            _raw.InsertRange(0, raw);
        }
    }

    private static void Count(Dictionary<string, TrafficDelta> buffer, string key, TrafficDelta delta)
    {
        if (buffer.TryGetValue(key, out var existing)) existing.Merge(delta);
        else buffer[key] = delta;
    }

    private static void Count(Dictionary<string, TrafficDelta> buffer, string key, int day, ClickEvent click, bool newVisitor, bool flagged, string? clickingAmbassador)
    {
        if (!buffer.TryGetValue(key, out var delta)) buffer[key] = delta = new TrafficDelta();
        var counts = delta.DayOf(day);
        if (click.IsBot)
        {
            counts.BotClicks++;
            return;
        }
        counts.Clicks++;
        if (newVisitor) counts.UniqueVisitors++;
        if (flagged) counts.FlaggedClicks++;
        if (clickingAmbassador is not null) delta.Ambassadors.Add(clickingAmbassador);
    }
}

/// <summary>
/// Flags click spam: more than <see cref="Limit"/> counted clicks from one address within a minute, on this
/// silo. Flagged clicks are still counted (and marked in the raw-click table for review), never dropped.
/// Owned by the collector and used only in its turns, so it needs no locks.
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
