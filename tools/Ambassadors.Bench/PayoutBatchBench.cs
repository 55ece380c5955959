using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Ambassadors.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ambassadors.Bench;

/// <summary>
/// A payout run end to end on a real database: a ledger with N payees owed money (a reward and a smaller clawback
/// each, so 2N entries), then the batch made (<see cref="PayoutService.CreateAsync"/>) and exported from the database
/// (<see cref="PayoutService.WorkbookDataAsync"/> into <see cref="PayoutWorkbook.WriteAsync"/>, the writer chosen by size).
/// Each size runs in a fresh process; peak memory growth is VmHWM over the RSS before each phase. The baseline is
/// the same workbook written from rows already in memory (the writer alone), so the ratio is the cost of the database.
/// </summary>
public static class PayoutBatchBench
{
    public sealed record Measurement(string Engine, int Lines, long Entries, double SeedSeconds, double CreateSeconds, long CreateGrowthBytes,
        double ExportSeconds, long ExportGrowthBytes, string Writer, double WriterOnlySeconds, long FileBytes);

    public static async Task<int> RunAsync(int[] sizes, string engine, string? postgres, CancellationToken cancellationToken)
    {
        var results = new List<Measurement>();
        foreach (var lines in sizes)
        {
            await Console.Error.WriteLineAsync($"{engine} at {lines:N0} payees…");
            var start = new ProcessStartInfo(ServiceBinaries.DotnetHost()) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { typeof(PayoutBatchBench).Assembly.Location, "payout-batch-run", "--lines", lines.ToString(CultureInfo.InvariantCulture), "--engine", engine })
            {
                start.ArgumentList.Add(argument);
            }
            if (postgres is not null) start.Environment["AMBASSADORS_BENCH_POSTGRES"] = postgres;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the child did not start");
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0) throw new InvalidOperationException($"payout-batch-run {lines} exited with {process.ExitCode}: {output}");
            results.Add(JsonSerializer.Deserialize<Measurement>(output.Trim().Split('\n')[^1])!);
        }

        Console.WriteLine($"Payout batch end to end, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, one fresh process per size; " +
                          "2 ledger entries per payee (reward and clawback); export ratio against the same writer fed from memory");
        Console.WriteLine($"{"engine",-9} {"payees",8} {"entries",8} {"seed s",7} {"create s",9} {"create MB",10} {"export s",9} {"export MB",10} {"writer",-10} {"writer-only s",14} {"ratio",6} {"file MB",8}");
        foreach (var m in results)
        {
            Console.WriteLine($"{m.Engine,-9} {m.Lines,8:N0} {m.Entries,8:N0} {m.SeedSeconds,7:0.0} {m.CreateSeconds,9:0.00} {ExportBench.Mb(m.CreateGrowthBytes),10:0.0} " +
                              $"{m.ExportSeconds,9:0.00} {ExportBench.Mb(m.ExportGrowthBytes),10:0.0} {m.Writer,-10} {m.WriterOnlySeconds,14:0.00} " +
                              $"{m.ExportSeconds / m.WriterOnlySeconds,6:0.00} {ExportBench.Mb(m.FileBytes),8:0.0}");
        }
        return 0;
    }

    public static async Task<int> RunOneAsync(int lines, string engine, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ambassadors-payout-bench-{Environment.ProcessId}.db");
        string? postgresDatabase = null;
        StorageSettings settings;
        if (engine == "postgres")
        {
            var admin = Environment.GetEnvironmentVariable("AMBASSADORS_BENCH_POSTGRES")
                        ?? throw new InvalidOperationException("--postgres (an admin connection string) is needed for --engine postgres");
            postgresDatabase = $"bench_payouts_{Environment.ProcessId}";
            settings = new StorageSettings(StorageEngine.Postgres, await BenchDatabases.CreatePostgresAsync(admin, cancellationToken, postgresDatabase));
        }
        else
        {
            await BenchDatabases.CreateSqliteAsync(file, cancellationToken);
            settings = new StorageSettings(StorageEngine.Sqlite, $"Data Source={file}");
        }
        var output = Path.Combine(Path.GetTempPath(), $"ambassadors-payout-bench-{Environment.ProcessId}.xlsx");
        try
        {
            var contexts = new AppDbContextFactory(settings);
            await new DatabaseMigrator(settings, contexts, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(cancellationToken);
            var clock = Stopwatch.StartNew();
            await SeedAsync(contexts, lines, cancellationToken);
            var seedSeconds = clock.Elapsed.TotalSeconds;
            var service = new PayoutService(contexts, TimeProvider.System, new PayoutOptions { ProgrammeName = "Bench" });
            var actor = new Actor("bench", "bench");

            var (created, createSeconds, createGrowth) = await MeasureAsync(() => service.CreateAsync(new BatchRequest(DateOnly.FromDateTime(DateTime.UtcNow)), actor, cancellationToken));
            var batch = created.Value ?? throw new InvalidOperationException(created.Failure!.Detail);

            var (writer, exportSeconds, exportGrowth) = await MeasureAsync(async () =>
            {
                var data = (await service.WorkbookDataAsync(batch.Id, cancellationToken))!;
                await using var stream = new FileStream(output, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
                await PayoutWorkbook.WriteAsync(data, stream, cancellationToken: cancellationToken);
                return PayoutWorkbook.ChooseWriter(data.Summary).ToString();
            });
            var fileBytes = new FileInfo(output).Length;

            // The baseline: the same workbook from rows already in memory.
            var inMemory = (await service.WorkbookDataAsync(batch.Id, cancellationToken))!;
            var materialised = inMemory with { Lines = inMemory.Lines.ToList(), Rewards = inMemory.Rewards.ToList() };
            clock.Restart();
            await using (var stream = new FileStream(output, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                await PayoutWorkbook.WriteAsync(materialised, stream, cancellationToken: cancellationToken);
            }
            var writerOnly = clock.Elapsed.TotalSeconds;

            Console.WriteLine(JsonSerializer.Serialize(new Measurement(engine, lines, 2L * lines, seedSeconds, createSeconds, createGrowth,
                exportSeconds, exportGrowth, writer, writerOnly, fileBytes)));
            return 0;
        }
        finally
        {
            File.Delete(output);
            BenchDatabases.DeleteSqlite(file);
            if (postgresDatabase is not null)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await using var connection = new Npgsql.NpgsqlConnection(Environment.GetEnvironmentVariable("AMBASSADORS_BENCH_POSTGRES"));
                await connection.OpenAsync(CancellationToken.None);
                await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {postgresDatabase} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<(T Result, double Seconds, long GrowthBytes)> MeasureAsync<T>(Func<Task<T>> run)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var before = ExportBench.ResetPeakRss() ? ExportBench.ProcStatus("VmRSS") : ExportBench.ProcStatus("VmHWM");
        var clock = Stopwatch.StartNew();
        var result = await run();
        return (result, clock.Elapsed.TotalSeconds, ExportBench.ProcStatus("VmHWM") - before);
    }

    /// <summary>One campaign, N payees with bank details, a 10.00 reward and a 2.50 clawback each.</summary>
    private static async Task SeedAsync(IDbContextFactory<AppDbContext> contexts, int lines, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await using (var db = contexts.CreateDbContext())
        {
            db.Campaigns.Add(new Campaign
            {
                Id = "cmp_bench", Name = "Bench campaign", DestinationUrl = "https://shop.example/", Currency = "EUR",
                Status = CampaignStatus.Active, CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        const int chunk = 5_000;
        for (var first = 0; first < lines; first += chunk)
        {
            await using var db = contexts.CreateDbContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = first; i < Math.Min(lines, first + chunk); i++)
            {
                var ambassadorId = $"amb_bench{i:D7}";
                var email = $"payee{i}@example.com";
                db.Ambassadors.Add(new Ambassador { Id = ambassadorId, Name = $"Payee {i}", Email = email, NormalizedEmail = email, CreatedAt = now });
                db.PayoutDetails.Add(new PayoutDetails
                {
                    AmbassadorId = ambassadorId, Method = PayoutMethod.Bank, LegalName = $"Payee {i}", Country = "NL",
                    Iban = "NL91ABNA0417164300", UpdatedAt = now, UpdatedBy = "bench",
                });
                foreach (var (kind, amount, suffix) in new[] { (LedgerEntryKind.Reward, 1000L, "a"), (LedgerEntryKind.Clawback, -250L, "b") })
                {
                    var conversionId = $"cnv_bench{i:D7}{suffix}";
                    db.Conversions.Add(new Conversion
                    {
                        Id = conversionId, ExternalId = $"order-{i}-{suffix}", Kind = ConversionKind.Lead, Currency = "EUR",
                        OccurredAt = now.AddDays(-3), OccurredOn = DateOnly.FromDateTime(now.AddDays(-3).UtcDateTime), ReceivedAt = now,
                        AmbassadorId = ambassadorId, CampaignId = "cmp_bench", ReferralCode = "BENCH", AttributedBy = "referralCode", Fingerprint = "bench",
                    });
                    db.Ledger.Add(new LedgerEntry
                    {
                        ConversionId = conversionId, AmbassadorId = ambassadorId, CampaignId = "cmp_bench", Kind = kind, AmountMinor = amount,
                        Currency = "EUR", State = LedgerEntryState.Open, AvailableAt = now.AddDays(-1), CreatedAt = now,
                        CountsOn = DateOnly.FromDateTime(now.AddDays(-3).UtcDateTime),
                    });
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
