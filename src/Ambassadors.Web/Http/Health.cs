using System.Text.Json;
using Ambassadors.Data;
using Orleans.Concurrency;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ambassadors.Web.Http;

/// <summary>Answers from the silo itself, proving it is up and taking grain calls.</summary>
public interface IHealthGrain : IGrainWithIntegerKey
{
    Task<string> PingAsync();
}

[StatelessWorker]
public sealed class HealthGrain(ILocalSiloDetails silo) : Grain, IHealthGrain
{
    public Task<string> PingAsync() => Task.FromResult(silo.SiloAddress.ToString());
}

public sealed class StorageHealthCheck(DatabaseMigrator migrator, StorageSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await migrator.PendingMigrationsAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{settings.Engine} reachable and migrated")
                : HealthCheckResult.Unhealthy($"{pending.Count} migrations not applied yet");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{settings.Engine} not reachable: {e.GetType().Name}");
        }
    }
}

public sealed class SiloHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silo = await grains.GetGrain<IHealthGrain>(0).PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"silo {silo} up");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"silo not answering: {e.GetType().Name}");
        }
    }
}

public static class HealthEndpoint
{
    public static IServiceCollection AddAmbassadorsHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage")
            .AddCheck<SiloHealthCheck>("silo");
        return services;
    }

    public static IEndpointRouteBuilder MapAmbassadorsHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync })
            .WithName("Health")
            .WithSummary("200 once storage is reachable and migrated and the silo is up; 503 otherwise")
            .WithTags("Operations");
        return routes;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
            }),
        });
    }
}
