using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ambassadors.Data;
using Ambassadors.Shared;
using Ambassadors.Web.Tracking;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ambassadors.Bench;

/// <summary>
/// Stats at scale: the real service (SQLite) with a campaign, its members and content pieces made through the API, then the
/// data of a busy year generated in bulk in the product's own shape: raw clicks through the product's <see cref="ClickWriter"/>,
/// the grains' traffic counters through <see cref="ITrafficGrain.RecordTrafficAsync"/> (the collector's call, from an Orleans
/// client at the silo's gateway, one delta per grain), conversions and their reward entries as ConversionService stores them.
/// Measured: campaign and ambassador stats at a small and a large size (the small one = 1.00), and a raw GROUP BY over the
/// large database's clicks table (per day, of the campaign), the query stats must never become.
/// </summary>
public static class StatsScaleBench
{
    private static readonly int Reads = BenchMode.Scaled(60, 5);
    private const int Days = 365;
    private static readonly ValueConverter<DateTimeOffset, long> SqliteTime = new DateTimeOffsetToBinaryConverter();

    private sealed record Size(string Name, long Clicks, long Conversions);

    private sealed record Measured(Size Size, double CampaignP50, double AmbassadorP50, double ContentP50, double RawGroupByMs, double SeedSeconds);

    public static async Task<int> RunAsync(double scale, int pieces, int members, CancellationToken cancellationToken)
    {
        var sizes = new[]
        {
            new Size("small", (long)(100_000 * Math.Max(scale, 0.01)), (long)(10_000 * Math.Max(scale, 0.01))),
            new Size("large", (long)(10_000_000 * scale), (long)(1_000_000 * scale)),
        };
        var results = new List<Measured>();
        foreach (var size in sizes)
        {
            await Console.Error.WriteLineAsync($"{size.Name}: {size.Clicks:N0} clicks, {size.Conversions:N0} conversions, {pieces} pieces, {members} members…");
            results.Add(await MeasureAsync(size, pieces, members, cancellationToken));
        }

        var c = CultureInfo.InvariantCulture;
        var (small, large) = (results[0], results[1]);
        Console.WriteLine(string.Create(c, $"Stats at scale, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SQLite; one campaign, " +
                                           $"{pieces} content pieces, {members} members, data spread over {Days} days; p50 of {Reads} sequential reads (all-time totals, last 30 days daily)"));
        Console.WriteLine($"{"size",-6} {"clicks",12} {"conversions",12} {"seed s",7} {"campaign ms",12} {"ambassador ms",14} {"content ms",11} {"raw GROUP BY ms",16}");
        foreach (var m in results)
        {
            Console.WriteLine(string.Create(c, $"{m.Size.Name,-6} {m.Size.Clicks,12:N0} {m.Size.Conversions,12:N0} {m.SeedSeconds,7:0} {m.CampaignP50,12:0.00} {m.AmbassadorP50,14:0.00} {m.ContentP50,11:0.00} {m.RawGroupByMs,16:0.0}"));
        }
        foreach (var (name, smallMs, largeMs) in new[]
                 {
                     ("campaign", small.CampaignP50, large.CampaignP50), ("ambassador", small.AmbassadorP50, large.AmbassadorP50),
                     ("content", small.ContentP50, large.ContentP50),
                 })
        {
            var growth = largeMs / smallMs;
            var againstRaw = largeMs / large.RawGroupByMs;
            Console.WriteLine(string.Create(c, $"Target: {name} stats, large <= 1.5x small: {growth:0.00}x, {RedirectBench.Verdict(growth <= 1.5)}; " +
                                               $"<= 1/50 of the raw GROUP BY: 1/{1 / againstRaw:0}, {RedirectBench.Verdict(againstRaw <= 1.0 / 50)}"));
        }
        return 0;
    }

    private static async Task<Measured> MeasureAsync(Size size, int pieces, int members, CancellationToken cancellationToken)
    {
        var gatewayPort = ServiceBinaries.FreePort();
        var clusterId = $"bench-{Guid.NewGuid():N}";
        await using var service = await ServiceTarget.StartAsync(recordClicks: true, cancellationToken, settings: new Dictionary<string, string>
        {
            ["Ambassadors__Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Ambassadors__Orleans__ClusterId"] = clusterId,
        });
        var clock = Stopwatch.StartNew();
        var shape = await ShapeAsync(service, pieces, members, cancellationToken);
        await SeedClicksAsync(service, shape, size.Clicks, gatewayPort, clusterId, cancellationToken);
        await SeedConversionsAsync(service, shape, size.Conversions, cancellationToken);
        var seedSeconds = clock.Elapsed.TotalSeconds;
        await Console.Error.WriteLineAsync($"  seeded in {seedSeconds:0} s; reading stats…");

        var campaign = await P50Async(service.Admin, $"api/v1/campaigns/{service.CampaignId}/stats", cancellationToken);
        var ambassador = await P50Async(service.Admin, $"api/v1/ambassadors/{shape.Members[0]}/stats", cancellationToken);
        var content = await P50Async(service.Admin, $"api/v1/content/{shape.Pieces[0]}/stats", cancellationToken);
        var raw = await RawGroupByAsync(service, cancellationToken);
        return new Measured(size, campaign, ambassador, content, raw, seedSeconds);
    }

    private sealed record Shape(IReadOnlyList<string> Members, IReadOnlyList<string> Pieces, Dictionary<(string Member, string? Piece), string> Codes);

    /// <summary>Members (with followers) and content pieces through the API, so every record, link and grain is the product's own.</summary>
    private static async Task<Shape> ShapeAsync(ServiceTarget service, int pieces, int members, CancellationToken cancellationToken)
    {
        var ids = new List<string> { service.AmbassadorId };
        var codes = new Dictionary<(string, string?), string> { [(service.AmbassadorId, null)] = service.ReferralCode };
        for (var i = 1; i < members; i++)
        {
            var ambassador = await service.PostAsync("api/v1/ambassadors", new
            {
                name = $"Member {i}",
                email = $"member{i}-{Guid.NewGuid():N}@example.com",
                socialProfiles = new[] { new { network = "instagram", handle = $"member{i}", followers = 1_000 + i } },
            }, cancellationToken);
            var id = ambassador.GetProperty("id").GetString()!;
            var membership = await service.PostAsync($"api/v1/campaigns/{service.CampaignId}/ambassadors", new { ambassadorId = id }, cancellationToken);
            ids.Add(id);
            codes[(id, null)] = membership.GetProperty("referralCode").GetString()!;
        }
        var pieceIds = new List<string>();
        for (var i = 0; i < pieces; i++)
        {
            var piece = await service.PostAsync($"api/v1/campaigns/{service.CampaignId}/content", new { title = $"Piece {i}" }, cancellationToken);
            pieceIds.Add(piece.GetProperty("id").GetString()!);
        }
        await using var connection = new SqliteConnection(service.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"AmbassadorId\", \"ContentId\", \"Code\" FROM \"ReferralCodes\" WHERE \"ContentId\" IS NOT NULL";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) codes[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        return new Shape(ids, pieceIds, codes);
    }

    /// <summary>
    /// Raw clicks through the product's writer, and the same clicks as one traffic delta per grain through the collector's own
    /// grain call. Four clicks in five come through a content piece's link; seven in ten are a visitor's first.
    /// </summary>
    private static async Task SeedClicksAsync(ServiceTarget service, Shape shape, long count, int gatewayPort, string clusterId, CancellationToken cancellationToken)
    {
        var writer = new ClickWriter(new AppDbContextFactory(new StorageSettings(StorageEngine.Sqlite, service.ConnectionString)));
        var random = new Random(42);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var deltas = new Dictionary<(TrafficSubject, string), TrafficDelta>();
        TrafficDelta DeltaOf(TrafficSubject subject, string id) =>
            deltas.TryGetValue((subject, id), out var delta) ? delta : deltas[(subject, id)] = new TrafficDelta();
        var batch = new ClickBatch(100_000);
        var targets = new Dictionary<(string, string?), CodeTarget>();
        for (long i = 0; i < count; i++)
        {
            var member = shape.Members[random.Next(shape.Members.Count)];
            var piece = random.Next(5) == 0 ? null : shape.Pieces[random.Next(shape.Pieces.Count)];
            var day = today.AddDays(-random.Next(Days));
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(random.Next(24), random.Next(60))), TimeSpan.Zero);
            var first = random.Next(10) < 7;
            if (!targets.TryGetValue((member, piece), out var target))
            {
                targets[(member, piece)] = target = new CodeTarget(shape.Codes[(member, piece)], member, service.CampaignId, piece);
            }
            batch.Add(new ClickRecord(ClickIds.NewValue(at), target, System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(Guid.NewGuid().ToByteArray()), at,
                first ? ClickFlags.NewForAmbassador | ClickFlags.NewForCampaign | ClickFlags.NewForContent : ClickFlags.None,
                Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + "0000000000000000", BrowserRequest.UserAgent));
            foreach (var (subject, id) in new[] { (TrafficSubject.Ambassador, member), (TrafficSubject.Campaign, service.CampaignId) })
            {
                Count(DeltaOf(subject, id), day, first, null);
            }
            if (piece is not null)
            {
                Count(DeltaOf(TrafficSubject.Campaign, service.CampaignId).PieceOf(piece), day, first, member);
                Count(DeltaOf(TrafficSubject.Content, piece), day, first, member);
            }
            if (batch.Count == 100_000)
            {
                await writer.WriteAsync(batch);
                batch.Clear();
            }
        }
        await writer.WriteAsync(batch);

        using var host = new HostBuilder()
            .UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, Ambassadors.Web.Hosting.OrleansHosting.ServiceId, clusterId))
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync(cancellationToken);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        foreach (var ((subject, id), delta) in deltas) await grains.Traffic(subject, id).RecordTrafficAsync(delta);
        await host.StopAsync(cancellationToken);
    }

    private static void Count(TrafficDelta delta, DateOnly day, bool first, string? clickingAmbassador)
    {
        var counts = delta.DayOf(day.DayNumber);
        counts.Clicks++;
        if (first) counts.UniqueVisitors++;
        if (clickingAmbassador is not null) delta.Ambassadors.Add(clickingAmbassador);
    }

    /// <summary>
    /// Conversions as ConversionService stores them (attributed by referral code, a sale in three with an amount, the rest
    /// leads), each with its first-degree reward entry (the campaign's default rules), a tenth of them paid, one in fifty reversed.
    /// </summary>
    private static async Task SeedConversionsAsync(ServiceTarget service, Shape shape, long count, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(service.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 10000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        const int chunk = 20_000;
        for (long first = 0; first < count; first += chunk)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var conversion = connection.CreateCommand();
            conversion.Transaction = transaction;
            conversion.CommandText = "INSERT INTO \"Conversions\" (\"Id\", \"ExternalId\", \"Kind\", \"AmountMinor\", \"Currency\", \"OccurredAt\", \"OccurredOn\", " +
                                     "\"ReceivedAt\", \"AmbassadorId\", \"CampaignId\", \"ContentId\", \"ReferralCode\", \"AttributedBy\", \"Fingerprint\", \"ReversedAt\", \"ReversalReason\") " +
                                     "VALUES ($id, $external, $kind, $amount, 'EUR', $at, $on, $at, $ambassador, $campaign, $content, $code, 'referralCode', $fingerprint, $reversed, $reason)";
            var names = new[] { "$id", "$external", "$kind", "$amount", "$at", "$on", "$ambassador", "$campaign", "$content", "$code", "$fingerprint", "$reversed", "$reason" };
            var p = names.ToDictionary(n => n, n => conversion.Parameters.Add(new SqliteParameter { ParameterName = n }));
            await using var entry = connection.CreateCommand();
            entry.Transaction = transaction;
            entry.CommandText = "INSERT INTO \"Ledger\" (\"AmbassadorId\", \"AmountMinor\", \"AvailableAt\", \"CampaignId\", \"ContentId\", \"ConversionId\", \"CreatedAt\", " +
                                "\"Currency\", \"Kind\", \"PaidAt\", \"State\", \"VoidedAt\", \"CountsOn\", \"SecondDegree\") " +
                                "VALUES ($ambassador, $amount, $available, $campaign, $content, $conversion, $created, 'EUR', 'reward', $paid, $state, $voided, $on, 0)";
            var e = new[] { "$ambassador", "$amount", "$available", "$campaign", "$content", "$conversion", "$created", "$paid", "$state", "$voided", "$on" }
                .ToDictionary(n => n, n => entry.Parameters.Add(new SqliteParameter { ParameterName = n }));
            for (var i = first; i < Math.Min(count, first + chunk); i++)
            {
                var member = shape.Members[random.Next(shape.Members.Count)];
                var piece = random.Next(5) == 0 ? null : shape.Pieces[random.Next(shape.Pieces.Count)];
                var day = today.AddDays(-random.Next(Days));
                var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(random.Next(24), random.Next(60))), TimeSpan.Zero);
                var sale = i % 3 == 0;
                var reversed = i % 50 == 0;
                var id = "cnv_" + Guid.NewGuid().ToString("N")[..26];
                object?[] values =
                [
                    id, $"bulk-{i}", sale ? "sale" : "lead", sale ? 2_000 + i % 10_000 : null, SqliteTime.ConvertToProvider(at),
                    day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), member, service.CampaignId, piece, shape.Codes[(member, piece)],
                    Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                    reversed ? SqliteTime.ConvertToProvider(at.AddDays(1)) : null, reversed ? "refund" : null,
                ];
                for (var n = 0; n < names.Length; n++) p[names[n]].Value = values[n] ?? DBNull.Value;
                await conversion.ExecuteNonQueryAsync(cancellationToken);

                var paid = !reversed && i % 10 == 1;
                object?[] entryValues =
                [
                    member, sale ? 200 + i % 1_000 : 500, SqliteTime.ConvertToProvider(at.AddDays(30)), service.CampaignId, piece, id,
                    SqliteTime.ConvertToProvider(at), paid ? SqliteTime.ConvertToProvider(at.AddDays(35)) : null,
                    reversed ? "voided" : paid ? "paid" : "open", reversed ? SqliteTime.ConvertToProvider(at.AddDays(1)) : null,
                    day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ];
                var keys = e.Keys.ToArray();
                for (var n = 0; n < keys.Length; n++) e[keys[n]].Value = entryValues[n] ?? DBNull.Value;
                await entry.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        // The stats' conversion and reward counts, as the product's transactions keep them: its recount of the rows just written.
        await using var recount = connection.CreateCommand();
        recount.CommandText = "DELETE FROM \"ConversionCounts\";\nDELETE FROM \"RewardCounts\";\n" +
                              string.Join(";\n", ConversionCounts.Recount.Concat(RewardCounts.Recount(StorageEngine.Sqlite)));
        await recount.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// p50 of up to <see cref="Reads"/> sequential reads, but no more than fit in 30 s (at least 5): a stats request that reads
    /// every conversion takes seconds at the large size, and 60 of them would take the benchmark's whole budget.
    /// </summary>
    private static async Task<double> P50Async(HttpClient admin, string url, CancellationToken cancellationToken)
    {
        var first = Stopwatch.GetTimestamp();
        (await admin.GetAsync(url, cancellationToken)).EnsureSuccessStatusCode(); // warm-up
        var one = Stopwatch.GetElapsedTime(first).TotalMilliseconds;
        var reads = (int)Math.Clamp(30_000 / Math.Max(one, 1), 5, Reads);
        return (await StatsBench.MeasureAsync(admin, url, 2, reads, cancellationToken)).P50;
    }

    /// <summary>The campaign's clicks per day straight from the raw table: the best of three runs.</summary>
    private static async Task<double> RawGroupByAsync(ServiceTarget service, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(service.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var best = double.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"At\" / 864000000000 AS day, COUNT(*), SUM(\"IsBot\") FROM \"Clicks\" WHERE \"CampaignId\" = $campaign GROUP BY day";
            command.Parameters.AddWithValue("$campaign", service.CampaignId);
            var started = Stopwatch.GetTimestamp();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    // read every row
                }
            }
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return best;
    }
}
