using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace Ambassadors.Bench;

/// <summary>
/// Conversions ingestion: <c>POST /api/v1/conversions</c> on the real service (merchant key, unique externalIds, N concurrent
/// clients, attributed by referral code, so each books a reward) against the baseline, a raw insert-on-conflict loop of the
/// same rows into the same Conversions table of the same database, moments later (= 1.00). The raw loop runs with one
/// connection and with N, and the faster of the two is the baseline. Every acknowledged conversion must be stored.
/// <para>
/// Two clients send the API's load. When wrk is installed, it is the one the target is judged on: a C event loop whose
/// Lua script makes each request, so the client takes little of the two cores it shares with the service and the
/// database, as the raw loop's own client takes little. The .NET HttpClient run (a task per connection, JSON per
/// request) is reported beside it: it measures the service plus a heavier client.
/// </para>
/// </summary>
public static class ConversionsBench
{
    private sealed record Run(string Name, int Count, double Seconds, double P50Ms, double P99Ms)
    {
        public double PerSecond => Count / Seconds;
    }

    public static async Task<int> RunAsync(string engine, string? postgres, int count, int concurrency, CancellationToken cancellationToken)
    {
        if (engine == "postgres" && postgres is null)
        {
            await Console.Error.WriteLineAsync("error: --engine postgres needs --postgres (an admin connection string).");
            return 2;
        }
        await using var service = await ServiceTarget.StartAsync(recordClicks: true, cancellationToken, engine == "postgres" ? postgres : null);
        var merchantKey = await service.CreateKeyAsync("merchant", cancellationToken);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", merchantKey);

        await Console.Error.WriteLineAsync("warming up…");
        await ThroughApiAsync(client, service.ReferralCode, "warm", Math.Min(BenchMode.Scaled(200, 5), count), concurrency, cancellationToken);
        await RawAsync(service, "warm", Math.Min(BenchMode.Scaled(200, 5), count), 1, cancellationToken);

        await Console.Error.WriteLineAsync($"{count:N0} conversions through the API, {concurrency} concurrent…");
        var api = await ThroughApiAsync(client, service.ReferralCode, "api", count, concurrency, cancellationToken);
        await Console.Error.WriteLineAsync($"{count:N0} raw inserts, one connection, then {concurrency}…");
        var rawSerial = await RawAsync(service, "raw1", count, 1, cancellationToken);
        var rawConcurrent = await RawAsync(service, "rawN", count, concurrency, cancellationToken);
        var baseline = rawSerial.PerSecond >= rawConcurrent.PerSecond ? rawSerial : rawConcurrent;
        var stored = await CountAsync(service, "api-", cancellationToken);
        var wrk = ChildProcess.OnPath("wrk") is { } wrkPath
            ? await ThroughWrkAsync(new WrkGenerator(wrkPath), service, merchantKey, concurrency, cancellationToken)
            : null;

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Conversions ingestion, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {(service.IsPostgres ? "PostgreSQL" : "SQLite")}, " +
                             $"{count:N0} conversions per run; baseline (= 1.00): the faster raw loop (a prepared statement); wrk measured {BenchMode.Scaled(6, 1)} s after {WarmUp.TotalSeconds:0} s of its load"));
        Console.WriteLine($"{"run",-52} {"per second",11} {"p50 ms",8} {"p99 ms",8} {"vs raw",7}");
        foreach (var run in new[] { rawSerial, rawConcurrent, api, wrk?.Run }.OfType<Run>())
        {
            Console.WriteLine(string.Create(c, $"{run.Name,-52} {run.PerSecond,11:0} {run.P50Ms,8:0.00} {run.P99Ms,8:0.00} {run.PerSecond / baseline.PerSecond,7:0.00}"));
        }
        var judged = wrk?.Run ?? api;
        var ratio = judged.PerSecond / baseline.PerSecond;
        Console.WriteLine(string.Create(c, $"Target: the API >= 0.50x the raw insert ({(wrk is null ? "HttpClient; wrk is not installed" : "wrk")}): {ratio:0.00}x, {RedirectBench.Verdict(ratio >= 0.5)}"));
        Console.WriteLine(string.Create(c, $"HttpClient: acknowledged (201) {api.Count:N0}, stored {stored:N0}: {(stored == api.Count ? "OK" : "MISMATCH")}"));
        var wrkOk = wrk is null || (wrk.Stored >= wrk.Acknowledged && wrk.Stored <= wrk.Acknowledged + wrk.MaxUnanswered && wrk.Refused == 0);
        if (wrk is not null)
        {
            Console.WriteLine(string.Create(c, $"wrk: acknowledged (201) {wrk.Acknowledged:N0}, other answers {wrk.Refused:N0}, stored {wrk.Stored:N0} " +
                $"(wrk stops without reading up to {wrk.MaxUnanswered} answers in flight, which may be stored): {(wrkOk ? "OK" : "MISMATCH")}"));
        }
        return stored == api.Count && wrkOk ? 0 : BenchMode.CheckFailed;
    }

    private sealed record WrkConversions(Run Run, long Acknowledged, long Refused, long Stored, long MaxUnanswered);

    /// <summary>How long wrk loads the service before the measured run (none in a smoke run, whose figures mean nothing).</summary>
    private static TimeSpan WarmUp => TimeSpan.FromSeconds(BenchMode.Scaled(12, 0));

    /// <summary>
    /// wrk with a Lua script that posts a new conversion per request (externalIds unique per thread and run), counts the
    /// 201s and other answers per thread and prints the totals when done: a warm-up run, then the measured one.
    /// </summary>
    private static async Task<WrkConversions> ThroughWrkAsync(WrkGenerator wrk, ServiceTarget service, string merchantKey, int connections, CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync($"conversions through the API with wrk, {connections} connections…");
        var script = Path.Combine(Path.GetTempPath(), $"conversions-{Guid.NewGuid():N}.lua");
        var duration = TimeSpan.FromSeconds(BenchMode.Scaled(6, 1));
        try
        {
            await File.WriteAllTextAsync(script, WrkScript(service.ReferralCode, merchantKey, "wrkwarm"), cancellationToken);
            // Long enough for the JIT to settle: the PostgreSQL service ran at 1,300-2,200/s while its tiered compiler was
            // still rewriting hot methods (a third of the two cores, seen with perf) and at 2,800/s once it had finished.
            if (WarmUp > TimeSpan.Zero) await wrk.RunScriptAsync(service.BaseAddress, script, connections, WarmUp, cancellationToken);
            await File.WriteAllTextAsync(script, WrkScript(service.ReferralCode, merchantKey, "wrk"), cancellationToken);
            var run = await wrk.RunScriptAsync(service.BaseAddress, script, connections, duration, cancellationToken);
            var totals = System.Text.RegularExpressions.Regex.Match(run.Output, @"^conversions created (\d+) other (\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline);
            if (!totals.Success) throw new InvalidOperationException($"The wrk script printed no totals:\n{run.Output}");
            var created = long.Parse(totals.Groups[1].Value, CultureInfo.InvariantCulture);
            var other = long.Parse(totals.Groups[2].Value, CultureInfo.InvariantCulture);
            var stored = await CountAsync(service, "wrk-", cancellationToken);
            return new WrkConversions(new Run($"API: POST /api/v1/conversions, wrk, {connections} connections", (int)run.Requests, run.Requests / run.RequestsPerSecond,
                run.P50Ms, run.P99Ms), created, other + run.SocketErrors, stored, connections + run.SocketErrors);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string WrkScript(string referralCode, string merchantKey, string prefix) => $$"""
        -- Globals, so that setup can give each thread its id and done can read each thread's counts.
        local threads = {}
        function setup(thread)
          table.insert(threads, thread)
          thread:set("id", #threads)
        end
        sent, created, other = 0, 0, 0
        local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer {{merchantKey}}" }
        function request()
          sent = sent + 1
          local body = string.format('{"externalId":"{{prefix}}-%d-%d","kind":"sale","amount":%d,"currency":"EUR","referralCode":"{{referralCode}}"}', id, sent, 20 + sent % 50)
          return wrk.format("POST", "/api/v1/conversions", headers, body)
        end
        function response(status)
          if status == 201 then created = created + 1 else other = other + 1 end
        end
        function done()
          local c, o = 0, 0
          for _, thread in ipairs(threads) do
            c = c + thread:get("created")
            o = o + thread:get("other")
          end
          print(string.format("conversions created %d other %d", c, o))
        end
        """;

    private static async Task<Run> ThroughApiAsync(HttpClient client, string referralCode, string prefix, int count, int concurrency, CancellationToken cancellationToken)
    {
        var next = -1;
        var latencies = new double[count];
        var clock = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var body = new
                {
                    externalId = $"{prefix}-{i}-{Guid.NewGuid():N}",
                    kind = "sale",
                    amount = 20m + i % 50,
                    currency = "EUR",
                    referralCode,
                    occurredAt = now,
                };
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("api/v1/conversions", body, cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"A conversion answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }
        }));
        return Summary($"API: POST /api/v1/conversions, {concurrency} concurrent", count, clock.Elapsed, latencies);
    }

    private static async Task<Run> RawAsync(ServiceTarget service, string prefix, int count, int connections, CancellationToken cancellationToken)
    {
        var next = -1;
        var latencies = new double[count];
        var clock = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var connection = Open(service);
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection)
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA busy_timeout = 10000;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var command = InsertCommand(connection, service);
            var prepared = false;
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                Bind(command, service, $"{prefix}-{i}-{Guid.NewGuid():N}", 2000 + i % 5000, now);
                // Prepared once per connection (its parameters' types from the first values): the server parses and plans
                // the insert once, as it does the service's own repeated statements.
                if (!prepared) await command.PrepareAsync(cancellationToken);
                prepared = true;
                await command.ExecuteNonQueryAsync(cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, cancellationToken)));
        return Summary($"raw INSERT … ON CONFLICT DO NOTHING, {connections} connection{(connections == 1 ? "" : "s")}", count, clock.Elapsed, latencies);
    }

    private static DbConnection Open(ServiceTarget service) =>
        service.IsPostgres ? new NpgsqlConnection(service.ConnectionString) : new SqliteConnection(service.ConnectionString);

    private static readonly string[] Columns =
    [
        "Id", "ExternalId", "Kind", "AmountMinor", "Currency", "OccurredAt", "OccurredOn", "ReceivedAt", "AmbassadorId", "CampaignId",
        "ReferralCode", "AttributedBy", "Fingerprint",
    ];

    private static DbCommand InsertCommand(DbConnection connection, ServiceTarget service)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"Conversions\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) " +
                              $"VALUES ({string.Join(", ", Columns.Select((_, i) => $"@p{i}"))}) ON CONFLICT (\"ExternalId\") DO NOTHING";
        for (var i = 0; i < Columns.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static readonly ValueConverter<DateTimeOffset, long> SqliteTime = new DateTimeOffsetToBinaryConverter();

    private static void Bind(DbCommand command, ServiceTarget service, string externalId, long amountMinor, DateTimeOffset now)
    {
        object Time(DateTimeOffset value) => service.IsPostgres ? value : SqliteTime.ConvertToProvider(value)!;
        object Day(DateTimeOffset value) => service.IsPostgres
            ? DateOnly.FromDateTime(value.UtcDateTime)
            : DateOnly.FromDateTime(value.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        object[] values =
        [
            "cnv_" + Guid.NewGuid().ToString("N"), externalId, "sale", amountMinor, "EUR", Time(now), Day(now), Time(now),
            service.AmbassadorId, service.CampaignId, service.ReferralCode, "referralCode", new string('0', 64),
        ];
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
    }

    private static async Task<long> CountAsync(ServiceTarget service, string prefix, CancellationToken cancellationToken)
    {
        await using var connection = Open(service);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"Conversions\" WHERE \"ExternalId\" LIKE '{prefix}%'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static Run Summary(string name, int count, TimeSpan elapsed, double[] latencies)
    {
        Array.Sort(latencies);
        return new Run(name, count, elapsed.TotalSeconds, latencies[latencies.Length / 2], latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))]);
    }
}
