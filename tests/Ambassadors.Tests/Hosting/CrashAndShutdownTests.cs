using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Ambassadors.Tests.Hosting;

/// <summary>
/// What survives a stop of the real service process: on SIGTERM no click whose 302 was received is lost; on kill -9 at
/// most the last flush interval of clicks is lost, and no acknowledged (201) conversion is.
/// </summary>
public abstract class CrashAndShutdownTests(Engine engine, ITestOutputHelper output)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private const int ClickConcurrency = 8;

    [SkippableFact]
    public async Task GracefulShutdownLosesNoClick()
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            const int sent = 200;
            string campaignId, ambassadorId, code;
            await using (var first = await StartAsync(database, "first"))
            {
                (campaignId, ambassadorId, code) = await first.Admin().CampaignWithMemberAsync();

                var clock = Stopwatch.StartNew();
                var statuses = await ClickManyAsync(first.Client(), code, sent);
                output.WriteLine($"{sent} clicks ({ClickConcurrency} at a time) answered in {clock.Elapsed.TotalSeconds:0.00} s");
                Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Redirect, s));

                // SIGTERM at once: the last clicks are still in the collector's buffer.
                clock.Restart();
                var exitCode = await first.StopGracefullyAsync(StopTimeout);
                output.WriteLine($"first process stopped on SIGTERM in {clock.Elapsed.TotalSeconds:0.00} s with exit code {exitCode}");
                Assert.True(exitCode == 0, $"Exit code {exitCode}. Output:\n{first.Output}");
                Assert.DoesNotContain("The last flush of clicks before shutdown failed", first.Output);
            }

            // What the first process left in the database, before anything else touches it.
            var rawBeforeRestart = await RawClicksAsync(database, code);
            output.WriteLine($"raw clicks stored after the stop: {rawBeforeRestart} of {sent}");

            await using var second = await StartAsync(database, "second");
            var admin = second.Admin();
            var ambassador = await StatsSettledAsync(admin, $"/api/v1/ambassadors/{ambassadorId}/stats", sent);
            var campaign = await StatsSettledAsync(admin, $"/api/v1/campaigns/{campaignId}/stats", sent);
            output.WriteLine($"sent {sent}; counted after restart: ambassador {ambassador["clicks"].Long()}, campaign {campaign["clicks"].Long()}, raw {rawBeforeRestart}");

            Assert.Equal(sent, ambassador["clicks"].Long());
            Assert.Equal(sent, campaign["clicks"].Long());
            Assert.Equal(sent, ambassador["uniqueVisitors"].Long()); // no cookies sent back: each click is a new visitor
            Assert.Equal(0, ambassador["botClicks"].Long());
            Assert.Equal(sent, rawBeforeRestart);
            Assert.Equal(sent, await RawClicksAsync(database, code));
        });
    }

    [SkippableFact]
    public async Task KillNineLosesAtMostOneFlushOfClicks()
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            const int flushed = 50, unflushed = 20;
            string campaignId, ambassadorId, code;
            await using (var first = await StartAsync(database, "first"))
            {
                var admin = first.Admin();
                (campaignId, ambassadorId, code) = await admin.CampaignWithMemberAsync();
                var visitor = first.Client();

                Assert.All(await ClickManyAsync(visitor, code, flushed), s => Assert.Equal(HttpStatusCode.Redirect, s));
                var clock = Stopwatch.StartNew();
                await admin.StatsWhenAsync($"/api/v1/ambassadors/{ambassadorId}/stats", s => s["clicks"].Long() == flushed);
                await admin.StatsWhenAsync($"/api/v1/campaigns/{campaignId}/stats", s => s["clicks"].Long() == flushed);
                // A flush sends the counters and writes the raw clicks side by side: flushed means both are stored.
                await Clicks.EventuallyAsync(async () => await RawClicksAsync(database, code) == flushed);
                output.WriteLine($"{flushed} clicks visible in stats and stored raw {clock.Elapsed.TotalSeconds:0.00} s after the last 302");

                Assert.All(await ClickManyAsync(visitor, code, unflushed), s => Assert.Equal(HttpStatusCode.Redirect, s));
                await first.KillAsync();
                output.WriteLine($"killed (kill -9) right after {unflushed} more 302s");
            }

            await using var second = await StartAsync(database, "second");
            var stats = second.Admin();
            var ambassador = (await (await stats.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK))["clicks"].Long();
            var campaign = (await (await stats.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK))["clicks"].Long();
            var raw = await RawClicksAsync(database, code);
            output.WriteLine($"sent {flushed + unflushed} ({flushed} flushed before the kill); counted after restart: ambassador {ambassador}, campaign {campaign}, raw {raw}");

            foreach (var counted in new[] { ambassador, campaign, raw })
            {
                Assert.InRange(counted, flushed, flushed + unflushed);
            }
        });
    }

    [SkippableFact]
    public async Task AnAcknowledgedConversionSurvivesKillNine()
    {
        await EngineFixture.WithFreshDatabaseAsync(engine, async database =>
        {
            string campaignId, ambassadorId, code, conversionId;
            var externalId = $"lead-{Guid.NewGuid():N}";
            await using (var first = await StartAsync(database, "first"))
            {
                (campaignId, ambassadorId, code) = await first.Admin().CampaignWithMemberAsync();
                var created = await (await first.Admin().ConvertAsync(new { externalId, kind = "lead", referralCode = code }))
                    .AssertJsonAsync(HttpStatusCode.Created);
                conversionId = created["id"].Str();
                await first.KillAsync();
            }

            // A burst of 20 conversions, killed as soon as the first is answered, so that others are still in flight.
            const int burst = 20;
            var burstIds = Enumerable.Range(0, burst).Select(i => $"burst-{i:00}-{Guid.NewGuid():N}").ToList();
            var acknowledged = new ConcurrentDictionary<string, string>(); // externalId -> id
            var outcomes = new ConcurrentBag<string>();
            await using (var second = await StartAsync(database, "second"))
            {
                var stored = await (await second.Admin().GetAsync($"/api/v1/conversions/{externalId}")).AssertJsonAsync(HttpStatusCode.OK);
                Assert.Equal(conversionId, stored["id"].Str());
                var stats = await (await second.Admin().GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
                Assert.Equal(1, stats["leads"].Long());
                Assert.Equal(2.00m, stats["rewards"]!["pending"].MoneyIn("EUR"));
                Assert.Single(stats["rewards"]!["pending"]!.AsArray());

                var merchant = second.Admin();
                var firstAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var answered = 0;
                var requests = burstIds.Select(async id =>
                {
                    try
                    {
                        using var response = await merchant.ConvertAsync(new { externalId = id, kind = "lead", referralCode = code });
                        var text = await response.Content.ReadAsStringAsync();
                        outcomes.Add(((int)response.StatusCode).ToString());
                        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{id}: {(int)response.StatusCode} {text}");
                        acknowledged[id] = JsonNode.Parse(text)!["id"].Str();
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        outcomes.Add(e.GetType().Name);
                    }
                    finally
                    {
                        if (Interlocked.Increment(ref answered) == 1) firstAnswered.TrySetResult();
                    }
                }).ToList();
                await Task.WhenAny(firstAnswered.Task, Task.WhenAll(requests));
                await second.KillAsync();
                await Task.WhenAll(requests);
            }
            output.WriteLine($"burst of {burst}: {acknowledged.Count} acknowledged (201) before kill -9; outcomes: " +
                string.Join(", ", outcomes.GroupBy(o => o).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));

            await using var third = await StartAsync(database, "third");
            var reader = third.Admin();
            var storedIds = new List<string>();
            foreach (var id in burstIds)
            {
                using var response = await reader.GetAsync($"/api/v1/conversions/{id}");
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    Assert.False(acknowledged.ContainsKey(id), $"Conversion {id} was acknowledged with 201 but is gone after kill -9.");
                    continue;
                }
                var body = await response.AssertJsonAsync(HttpStatusCode.OK);
                if (acknowledged.TryGetValue(id, out var expected)) Assert.Equal(expected, body["id"].Str());
                Assert.Equal("pending", body["reward"]!["status"].Str());
                storedIds.Add(id);
            }
            output.WriteLine($"after restart: {storedIds.Count} of the burst stored ({acknowledged.Count} acknowledged, {storedIds.Count - acknowledged.Count} committed without an answer)");
            Assert.Superset(acknowledged.Keys.ToHashSet(), storedIds.ToHashSet());

            var totalStored = 1 + storedIds.Count;
            var after = await (await reader.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(totalStored, after["leads"].Long());
            Assert.Equal(2.00m * totalStored, after["rewards"]!["pending"].MoneyIn("EUR"));
            var campaign = await (await reader.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(totalStored, campaign["leads"].Long());

            // Each stored conversion has exactly one reward entry; no entry without its conversion.
            await using var db = Db(database);
            var conversions = await db.Conversions.Where(c => c.CampaignId == campaignId).Select(c => c.Id).ToListAsync();
            var entries = await db.Ledger.Where(e => e.CampaignId == campaignId).Select(e => new { e.ConversionId, e.Kind }).ToListAsync();
            Assert.Equal(totalStored, conversions.Count);
            Assert.All(conversions, id => Assert.Single(entries, e => e.ConversionId == id && e.Kind == LedgerEntryKind.Reward));
            Assert.Equal(conversions.Count, entries.Count);
        });
    }

    private readonly string _clusterId = $"crash-{Guid.NewGuid():N}";
    private readonly int _siloPort = TestDatabases.FreePort();
    private readonly int _gatewayPort = TestDatabases.FreePort();

    private async Task<ServiceProcess> StartAsync(string database, string name)
    {
        // A restart is the same node again: same cluster id and silo address. After kill -9 the new silo finds
        // the dead one's membership entry (on PostgreSQL); being the same address, it supersedes it at once.
        // (A node coming back at another address would wait for the dead entry to be voted out instead.)
        var process = await ServiceProcess.StartAsync(engine, database, _clusterId, _siloPort, _gatewayPort);
        output.WriteLine($"{name} process (pid {process.Pid}) healthy after {process.StartupTime.TotalSeconds:0.00} s");
        return process;
    }

    /// <summary>Sends the clicks, a few at a time, and returns every status once all are answered.</summary>
    private static async Task<List<HttpStatusCode>> ClickManyAsync(HttpClient visitor, string code, int count)
    {
        var statuses = new ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = ClickConcurrency }, async (_, _) =>
        {
            using var response = await visitor.ClickAsync(code, Clicks.Browser);
            statuses.Add(response.StatusCode);
        });
        Assert.Equal(count, statuses.Count);
        return [.. statuses];
    }

    /// <summary>Stats once clicks reach the expected number, or as they are after 5 s (the caller asserts exact values).</summary>
    private static async Task<JsonObject> StatsSettledAsync(HttpClient admin, string url, long clicks)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var stats = await (await admin.GetAsync(url)).AssertJsonAsync(HttpStatusCode.OK);
            if (stats["clicks"].Long() == clicks || DateTime.UtcNow > deadline) return stats;
            await Task.Delay(100);
        }
    }

    private AppDbContext Db(string connectionString) =>
        new AppDbContextFactory(new StorageSettings(engine == Engine.Sqlite ? StorageEngine.Sqlite : StorageEngine.Postgres, connectionString))
            .CreateDbContext();

    private async Task<long> RawClicksAsync(string connectionString, string code)
    {
        await using var db = Db(connectionString);
        return await db.Clicks.LongCountAsync(c => c.Code == code);
    }
}

public sealed class CrashAndShutdownOnSqlite(ITestOutputHelper output) : CrashAndShutdownTests(Engine.Sqlite, output);

public sealed class CrashAndShutdownOnPostgres(ITestOutputHelper output) : CrashAndShutdownTests(Engine.Postgres, output);
