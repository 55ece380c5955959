using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Ambassadors.Tests.Hosting;

/// <summary>The service as a real OS process: it stops cleanly on SIGTERM and what it stored is there after a restart.</summary>
public sealed class ServiceProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StopsGracefullyOnSigtermAndARestartedProcessReadsWhatTheFirstStored()
    {
        await EngineFixture.WithFreshDatabaseAsync(Engine.Sqlite, async database =>
        {
            string campaignId;
            await using (var first = await ServiceProcess.StartAsync(Engine.Sqlite, database))
            {
                output.WriteLine($"first process (pid {first.Pid}) healthy after {first.StartupTime.TotalSeconds:0.00} s");
                var created = await first.Admin().PostJsonAsync("/api/v1/campaigns", new
                {
                    name = "Process Restart", objective = "sales", destinationUrl = "https://shop.example/", currency = "EUR",
                });
                campaignId = (await created.AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

                var clock = Stopwatch.StartNew();
                var exitCode = await first.StopGracefullyAsync(TimeSpan.FromSeconds(30));
                output.WriteLine($"first process stopped on SIGTERM in {clock.Elapsed.TotalSeconds:0.00} s with exit code {exitCode}");
                Assert.True(exitCode == 0, $"Exit code {exitCode}. Output:\n{first.Output}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
                Assert.Contains("Application is shutting down", first.Output); // the host's own stop path ran
            }

            await using var second = await ServiceProcess.StartAsync(Engine.Sqlite, database);
            output.WriteLine($"second process (pid {second.Pid}) healthy after {second.StartupTime.TotalSeconds:0.00} s");
            var campaign = await (await second.Admin().GetAsync($"/api/v1/campaigns/{campaignId}")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal("Process Restart", campaign["name"].Str());
            Assert.Equal(campaignId, campaign["id"].Str());
        });
    }
}
