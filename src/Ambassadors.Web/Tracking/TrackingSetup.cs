namespace Ambassadors.Web.Tracking;

public static class TrackingSetup
{
    public static IServiceCollection AddTracking(this IServiceCollection services)
    {
        services.AddSingleton<CodeCache>();
        services.AddSingleton<ClickWriter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, FlushClicksOnShutdown>();
        return services;
    }
}

/// <summary>
/// A graceful shutdown loses no click: when the silo leaves its Active stage (the web server has already
/// stopped taking requests, and every grain is still reachable) the collector flushes once more.
/// </summary>
public sealed class FlushClicksOnShutdown(IGrainFactory grains, ILogger<FlushClicksOnShutdown> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FlushClicksOnShutdown), ServiceLifecycleStage.Active, _ => Task.CompletedTask, async _ =>
        {
            try
            {
                await grains.GetGrain<IClickCollectorGrain>(0).FlushAsync();
            }
            catch (Exception e)
            {
                logger.LogError(e, "The last flush of clicks before shutdown failed");
            }
        });
}
