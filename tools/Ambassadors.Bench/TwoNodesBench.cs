using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;

namespace Ambassadors.Bench;

/// <summary>
/// Two nodes on one PostgreSQL database, one Orleans cluster. First the scale-out factor: redirects and conversions through
/// one node (= 1.00), then the same load split across both. Then a node killed (SIGKILL) with that load running through
/// both: how long until the survivor answers every kind of request again (redirects, conversions, /health), whether every
/// acknowledged conversion is stored, and how many redirected clicks the counters lost against the killed node's last
/// flush interval (the bound: what it redirected in the last second before it died).
/// </summary>
public static class TwoNodesBench
{
    private const int Clients = 32;

    private sealed record Answer(int Node, string Kind, long AtTicks, double Milliseconds, bool Ok);

    public static async Task<int> RunAsync(string postgres, int seconds, CancellationToken cancellationToken)
    {
        var clusterId = $"bench-{Guid.NewGuid():N}";
        var cluster = new Dictionary<string, string> { ["Ambassadors__Orleans__ClusterId"] = clusterId };
        // Both nodes start at once on a database already migrated; A drops it when it stops.
        var database = await BenchDatabases.CreatePostgresAsync(postgres, cancellationToken);
        (ServiceTarget First, ServiceTarget Second) nodesStarted;
        try
        {
            nodesStarted = await ServiceTarget.BothAsync(
                ServiceTarget.StartAsync(recordClicks: true, cancellationToken, postgresAdmin: postgres, settings: cluster, joinPostgres: database),
                ServiceTarget.StartAsync(recordClicks: true, cancellationToken, settings: cluster, joinPostgres: database));
        }
        catch
        {
            await BenchDatabases.DropPostgresAsync(postgres, database);
            throw;
        }
        await using var a = nodesStarted.First;
        var b = nodesStarted.Second;
        var bAlive = true;
        try
        {
            var merchantKey = await a.CreateKeyAsync("merchant", cancellationToken);
            var nodes = new[] { a, b };
            await a.WarmAsync(BenchMode.Scaled(20, 2), cancellationToken);
            await Console.Error.WriteLineAsync("scale-out: one node, then two…");
            var duration = TimeSpan.FromSeconds(seconds);
            var oneRedirects = await LoadAsync([a], merchantKey, a, duration, redirects: true, conversions: false, null, cancellationToken);
            var twoRedirects = await LoadAsync(nodes, merchantKey, a, duration, redirects: true, conversions: false, null, cancellationToken);
            var oneConversions = await LoadAsync([a], merchantKey, a, duration, redirects: false, conversions: true, null, cancellationToken);
            var twoConversions = await LoadAsync(nodes, merchantKey, a, duration, redirects: false, conversions: true, null, cancellationToken);

            await Console.Error.WriteLineAsync("kill: node B is killed with redirects and conversions running through both…");
            var countedBefore = (await a.SettledClicksAsync(0, cancellationToken)).Clicks;
            var killAt = 0L;
            var kill = new Func<Task>(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(2, seconds / 2.0)), cancellationToken);
                killAt = Stopwatch.GetTimestamp();
                bAlive = false;
                await b.DisposeAsync();
            });
            var killRun = await LoadAsync(nodes, merchantKey, a, duration + TimeSpan.FromSeconds(BenchMode.Scaled(8, 2)), redirects: true, conversions: true, kill, cancellationToken);
            var counted = (await a.SettledClicksAsync(0, cancellationToken)).Clicks - countedBefore;

            var survivorAfterKill = killRun.Answers.Where(x => x.Node == 0 && x.AtTicks >= killAt).ToList();
            var recovered = new Dictionary<string, double>();
            var slowest = new Dictionary<string, double>();
            foreach (var kind in new[] { "redirect", "conversion", "health" })
            {
                // The last failed or slow (over 1 s) answer of this kind from the survivor after the kill: it answers normally from then on.
                var bad = survivorAfterKill.Where(x => x.Kind == kind && (!x.Ok || x.Milliseconds > 1000)).Select(x => x.AtTicks).DefaultIfEmpty(killAt).Max();
                recovered[kind] = Stopwatch.GetElapsedTime(killAt, bad).TotalSeconds;
                slowest[kind] = survivorAfterKill.Where(x => x.Kind == kind).Select(x => x.Milliseconds).DefaultIfEmpty(0).Max();
            }
            var redirected = killRun.Answers.LongCount(x => x.Kind == "redirect" && x.Ok);
            var bLastSecond = killRun.Answers.LongCount(x => x.Node == 1 && x.Kind == "redirect" && x.Ok &&
                                                             x.AtTicks <= killAt && x.AtTicks > killAt - Stopwatch.Frequency * 2);
            var acknowledged = killRun.Acknowledged.ToList();
            var stored = await StoredAsync(a.ConnectionString, acknowledged, cancellationToken);

            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"Two nodes on PostgreSQL, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores shared by both nodes, PostgreSQL and the load; " +
                                               $"{Clients} closed-loop clients, {seconds} s per run; one node = 1.00"));
            Console.WriteLine($"{"load",-12} {"one node /s",12} {"two nodes /s",13} {"scale-out",10}");
            Console.WriteLine(string.Create(c, $"{"redirects",-12} {oneRedirects.Rate("redirect"),12:0} {twoRedirects.Rate("redirect"),13:0} {twoRedirects.Rate("redirect") / oneRedirects.Rate("redirect"),10:0.00}"));
            Console.WriteLine(string.Create(c, $"{"conversions",-12} {oneConversions.Rate("conversion"),12:0} {twoConversions.Rate("conversion"),13:0} {twoConversions.Rate("conversion") / oneConversions.Rate("conversion"),10:0.00}"));
            Console.WriteLine("(Both nodes share the same 2 cores with PostgreSQL and the load generator: the factor shows what a second node costs here, not what a second machine would add.)");
            Console.WriteLine();
            Console.WriteLine("Node B killed (SIGKILL) under load; the survivor A, from the kill until its last failed or over-1-s answer of each kind:");
            foreach (var (kind, after) in recovered)
            {
                Console.WriteLine(string.Create(c, $"  {kind,-11} answering normally {after:0.00} s after the kill (slowest answer after it {slowest[kind]:0} ms): {RedirectBench.Verdict(after <= 5)} (target <= 5 s)"));
            }
            Console.WriteLine(string.Create(c, $"  conversions acknowledged {acknowledged.Count:N0}, stored {stored:N0}: {(stored == acknowledged.Count ? "none lost" : "LOST " + (acknowledged.Count - stored))}"));
            var lost = redirected - counted;
            Console.WriteLine(string.Create(c, $"  clicks: 302s received {redirected:N0}, counted {counted:N0}, lost {lost:N0}; bound: B's 302s in its last 2 s before the kill (one flush interval, plus up to 1 s the flush itself takes under this load), {bLastSecond:N0}: " +
                                               $"{RedirectBench.Verdict(lost <= bLastSecond)}"));
            var ok = stored == acknowledged.Count && lost <= bLastSecond && recovered.Values.All(v => v <= 5);
            return ok ? 0 : BenchMode.CheckFailed;
        }
        finally
        {
            if (bAlive) await b.DisposeAsync();
        }
    }

    private sealed class Run(TimeSpan duration)
    {
        public ConcurrentBag<Answer> Answers { get; } = [];
        public ConcurrentBag<string> Acknowledged { get; } = [];

        public double Rate(string kind) => Answers.Count(x => x.Kind == kind && x.Ok) / duration.TotalSeconds;
    }

    /// <summary>
    /// Closed-loop clients spread over the nodes; when a node stops answering its clients move to the first node (as a load
    /// balancer would). A health probe per node every 100 ms. <paramref name="during"/> runs alongside (the kill).
    /// </summary>
    private static async Task<Run> LoadAsync(ServiceTarget[] nodes, string merchantKey, ServiceTarget linkOwner, TimeSpan duration,
        bool redirects, bool conversions, Func<Task>? during, CancellationToken cancellationToken)
    {
        var run = new Run(duration);
        var dead = new bool[nodes.Length];
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var next = 0;
        var tasks = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
            {
                Timeout = TimeSpan.FromSeconds(10),
            };
            http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", BrowserRequest.UserAgent);
            var home = client % nodes.Length;
            var kind = redirects && conversions ? (client % 4 == 0 ? "conversion" : "redirect") : redirects ? "redirect" : "conversion";
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                var node = dead[home] ? 0 : home;
                var started = Stopwatch.GetTimestamp();
                var ok = false;
                string? externalId = null;
                try
                {
                    if (kind == "redirect")
                    {
                        using var response = await http.GetAsync(new Uri(nodes[node].BaseAddress, $"/r/{linkOwner.ReferralCode}"), cancellationToken);
                        ok = response.StatusCode == HttpStatusCode.Found;
                    }
                    else
                    {
                        externalId = $"two-{Interlocked.Increment(ref next)}-{Guid.NewGuid():N}";
                        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(nodes[node].BaseAddress, "api/v1/conversions"))
                        {
                            Content = JsonContent.Create(new { externalId, kind = "lead", referralCode = linkOwner.ReferralCode }),
                        };
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", merchantKey);
                        using var response = await http.SendAsync(request, cancellationToken);
                        ok = response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK;
                        if (ok) run.Acknowledged.Add(externalId);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    if (node != 0) dead[node] = true; // the load balancer stops sending there
                }
                run.Answers.Add(new Answer(node, kind, Stopwatch.GetTimestamp(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok));
            }
        }, cancellationToken)).ToList();
        tasks.Add(Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = false;
                try
                {
                    using var response = await http.GetAsync(new Uri(nodes[0].BaseAddress, "/health"), cancellationToken);
                    ok = response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    ok = false;
                }
                run.Answers.Add(new Answer(0, "health", Stopwatch.GetTimestamp(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok));
                await Task.Delay(100, cancellationToken);
            }
        }, cancellationToken));
        if (during is not null) tasks.Add(during());
        await Task.WhenAll(tasks);
        return run;
    }

    private static async Task<long> StoredAsync(string connectionString, IReadOnlyList<string> externalIds, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM \"Conversions\" WHERE \"ExternalId\" = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", externalIds.ToArray());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
