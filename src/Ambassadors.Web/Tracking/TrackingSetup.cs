namespace Ambassadors.Web.Tracking;

public static class TrackingSetup
{
    public static IServiceCollection AddTracking(this IServiceCollection services)
    {
        services.AddSingleton(provider => new TrackingOptions(
            provider.GetRequiredService<IConfiguration>().GetValue("Ambassadors:Tracking:RecordClicks", true)));
        services.AddSingleton<ClickCollector>();
        services.AddSingleton<ClickWriter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, FlushClicksOnShutdown>();
        return services;
    }
}

/// <param name="RecordClicks">Off only to measure what recording costs; clicks are then not counted.</param>
public sealed record TrackingOptions(bool RecordClicks);

/// <summary>
/// A graceful shutdown loses no click: when the silo leaves its Active stage (the web server has already
/// stopped taking requests, and every grain is still reachable) this silo's collector flushes once more.
/// </summary>
public sealed class FlushClicksOnShutdown(ClickCollector collector, ILogger<FlushClicksOnShutdown> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FlushClicksOnShutdown), ServiceLifecycleStage.Active,
            _ => Task.CompletedTask, async _ =>
        {
            try
            {
                await collector.FlushAsync();
            }
            catch (Exception e)
            {
                logger.LogError(e, "The last flush of clicks before shutdown failed");
            }
        });
}
