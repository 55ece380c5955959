using Xunit.Abstractions;

namespace Ambassadors.Tests.Hosting;

/// <summary>
/// The real service, started as a newcomer starts it, logs no stall warning from Orleans' watchdog. Until
/// <c>WatchdogClock</c>, every start logged "Participant check thread has not completed for {the machine's uptime}"
/// within seconds (docs/decisions.md, "The watchdog's warning at start-up").
/// </summary>
public abstract class StartupWarningTests(Engine engine, ITestOutputHelper output)
{
    /// <summary>Longer than one component health check period of the watchdog (10 s), as asked: start-up plus 15 s.</summary>
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public async Task TheWatchdogReportsNoStall_InTheFirst15SecondsAfterStartUp()
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            // The watchdog's category at the level a newcomer sees it (Program.cs: "Orleans" at Warning).
            await using var service = await ServiceProcess.StartAsync(engine, database,
                settings: new Dictionary<string, string> { ["Logging__LogLevel__Orleans.Runtime"] = "Warning" });
            output.WriteLine($"healthy after {service.StartupTime.TotalSeconds:0.00} s");
            await Task.Delay(Watch);

            Assert.False(service.HasExited, service.Output);
            Assert.DoesNotContain("Participant check thread has not completed", service.Output);
        });
    }
}

public sealed class StartupWarningsOnSqlite(ITestOutputHelper output) : StartupWarningTests(Engine.Sqlite, output);

public sealed class StartupWarningsOnPostgres(ITestOutputHelper output) : StartupWarningTests(Engine.Postgres, output);
