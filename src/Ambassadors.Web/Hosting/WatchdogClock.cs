namespace Ambassadors.Web.Hosting;

/// <summary>
/// The clock Orleans' silo watchdog reads: the membership clock, with timestamps counted from the watchdog's start
/// instead of from the machine's boot.
/// </summary>
/// <remarks>
/// Orleans 10.4.2's <c>Watchdog.Start</c> starts its platform thread before it stamps the component check's start, and
/// that thread's first tick measures "participant check thread has not completed" from the unset stamp, 0. With the
/// system clock 0 is the machine's boot, so every start logged a warning whose duration was the machine's uptime
/// (measured in docs/decisions.md, "The watchdog's warning at start-up"): nothing had stalled. Timestamps are only
/// compared with each other, so counting them from the first one read (Start's own) changes no real measurement: the
/// unset stamp now reads as "since the watchdog started", and a component check thread that really does not finish
/// within twice <c>LocalHealthDegradationMonitoringPeriod</c> is still reported.
/// </remarks>
internal sealed class WatchdogClock(TimeProvider inner) : TimeProvider
{
    /// <summary>The Orleans type whose clock this is; internal to Orleans, so named here rather than referenced.</summary>
    internal const string WatchdogTypeName = "Orleans.Runtime.Watchdog";

    private const long NotStarted = long.MinValue;
    private long _origin = NotStarted;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long GetTimestamp()
    {
        var now = inner.GetTimestamp();
        var origin = Interlocked.CompareExchange(ref _origin, now, NotStarted);
        return origin == NotStarted ? 0 : now - origin;
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Builds the silo's watchdog with this clock (the membership clock it would otherwise get, counted from its start).
    /// Leaves the registration alone when Orleans no longer has that type: then there is nothing to correct here.
    /// </summary>
    public static void UseForSiloWatchdog(IServiceCollection services)
    {
        var registration = services.SingleOrDefault(service =>
            !service.IsKeyedService && service.ServiceType.FullName == WatchdogTypeName && service.ImplementationType is not null);
        if (registration is null) return;
        var watchdog = registration.ImplementationType!;
        services.Remove(registration);
        services.Add(ServiceDescriptor.Singleton(registration.ServiceType, provider =>
        {
            var membershipClock = provider.GetRequiredKeyedService<TimeProvider>(Orleans.Runtime.TimeProviderNames.Membership);
            return ActivatorUtilities.CreateInstance(provider, watchdog, new WatchdogClock(membershipClock));
        }));
    }
}
