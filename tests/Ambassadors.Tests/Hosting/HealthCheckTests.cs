using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ambassadors.Tests.Hosting;

/// <summary>/health must not say ready when storage is unreachable or not migrated.</summary>
public class HealthCheckTests
{
    private static StorageHealthCheck CheckFor(StorageSettings settings) =>
        new(new DatabaseMigrator(settings, new AppDbContextFactory(settings), NullLogger<DatabaseMigrator>.Instance), settings);

    [Fact]
    public async Task AnUnmigratedDatabaseIsNotHealthy()
    {
        var file = TestDatabases.NewSqliteFile();
        try
        {
            var result = await CheckFor(new StorageSettings(StorageEngine.Sqlite, $"Data Source={file}"))
                .CheckHealthAsync(new HealthCheckContext());
            Assert.Equal(HealthStatus.Unhealthy, result.Status);
            Assert.Contains("migrations not applied", result.Description);
        }
        finally
        {
            TestDatabases.DeleteSqlite(file);
        }
    }

    [Fact]
    public async Task AnUnreachableDatabaseIsNotHealthyAndTheMessageKeepsThePasswordOut()
    {
        var settings = new StorageSettings(StorageEngine.Postgres,
            "Host=127.0.0.1;Port=1;Database=nowhere;Username=u;Password=secret-password;Timeout=2");
        var result = await CheckFor(settings).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("not reachable", result.Description);
        Assert.DoesNotContain("secret-password", result.Description);
    }
}
