using Ambassadors.Data;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ambassadors.Payouts.Workbook;
using Ambassadors.Shared;

namespace Ambassadors.Bench;

/// <summary>
/// The payout workbook export: each writer at 1k, 10k and 100k payout lines (two rewards a line, so the Lines
/// sheet has twice as many rows), each run in a fresh child process writing to a file. Measured: wall time, peak
/// memory growth (peak RSS, VmHWM, over the RSS just before writing) and bytes allocated; the baseline is the same
/// rows written as plain CSV in the same run (= 1.00 for time).
/// </summary>
public static class ExportBench
{
    public const string Csv = "csv";
    public static readonly string[] Writers = [Csv, "streaming", "closedxml"];

    /// <summary>The result a child prints as one JSON line.</summary>
    public sealed record Measurement(string Writer, int Lines, long Rows, double Seconds, long PeakGrowthBytes, long AllocatedBytes, long FileBytes, bool HwmReset);

    public static async Task<int> RunAsync(int[] sizes, int closedXmlMaxLines, CancellationToken cancellationToken)
    {
        var results = new List<Measurement>();
        foreach (var lines in sizes)
        {
            foreach (var writer in Writers)
            {
                if (writer == "closedxml" && lines > closedXmlMaxLines)
                {
                    await Console.Error.WriteLineAsync($"closedxml at {lines:N0} lines: skipped (--closedxml-max-lines {closedXmlMaxLines:N0})");
                    continue;
                }
                await Console.Error.WriteLineAsync($"{writer} at {lines:N0} lines…");
                results.Add(await RunChildAsync(writer, lines, cancellationToken));
            }
        }

        Console.WriteLine($"Payout workbook export, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
                          $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, one fresh process per run, writing to a file; " +
                          "rows = payout lines + rewards (2 per line); time ratio against plain CSV of the same rows");
        Console.WriteLine($"{"writer",-10} {"lines",8} {"rows",8} {"time s",8} {"vs csv",7} {"peak growth MB",15} {"allocated MB",13} {"file MB",8}");
        foreach (var m in results)
        {
            var csv = results.First(r => r.Writer == Csv && r.Lines == m.Lines);
            Console.WriteLine($"{m.Writer,-10} {m.Lines,8:N0} {m.Rows,8:N0} {m.Seconds,8:0.00} {m.Seconds / csv.Seconds,7:0.0} " +
                              $"{Mb(m.PeakGrowthBytes),15:0.0}{(m.HwmReset ? " " : "*")} {Mb(m.AllocatedBytes),12:0.0} {Mb(m.FileBytes),8:0.0}");
        }
        if (results.Any(r => !r.HwmReset)) Console.WriteLine("* peak RSS could not be reset before writing: growth measured from the peak so far");
        Console.WriteLine($"StreamingThresholdRows = {PayoutWorkbook.StreamingThresholdRows:N0} (lines + rewards); limit 256 MB of growth per export");
        return 0;
    }

    internal static double Mb(long bytes) => bytes / 1024.0 / 1024.0;

    private static async Task<Measurement> RunChildAsync(string writer, int lines, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ServiceBinaries.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(ExportBench).Assembly.Location, "export-run", "--writer", writer, "--lines", lines.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the export child did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var json = (await output).Trim();
        if (process.ExitCode != 0) throw new InvalidOperationException($"export-run {writer} {lines} exited with {process.ExitCode}: {json}\n{await errors}");
        return JsonSerializer.Deserialize<Measurement>(json.Split('\n')[^1])!;
    }

    /// <summary>The child: warms up on a small batch, resets the peak RSS, writes once, prints a JSON line.</summary>
    public static async Task<int> RunOneAsync(string writer, int lines, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ambassadors-export-bench-{Environment.ProcessId}");
        try
        {
            await WriteAsync(writer, Batch(20), path, cancellationToken); // JIT and first-use costs out of the measurement
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var hwmReset = ResetPeakRss();
            var before = hwmReset ? ProcStatus("VmRSS") : ProcStatus("VmHWM");
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            await WriteAsync(writer, Batch(lines), path, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            var measurement = new Measurement(writer, lines, 3L * lines, seconds, ProcStatus("VmHWM") - before,
                GC.GetTotalAllocatedBytes(precise: true) - allocated, new FileInfo(path).Length, hwmReset);
            Console.WriteLine(JsonSerializer.Serialize(measurement));
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task WriteAsync(string writer, PayoutWorkbookData data, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        if (writer == Csv)
        {
            await Task.Run(() => WriteCsv(data, file), cancellationToken);
            return;
        }
        var kind = writer == "closedxml" ? WorkbookWriterKind.ClosedXml : WorkbookWriterKind.Streaming;
        await PayoutWorkbook.WriteAsync(data, file, kind, cancellationToken: cancellationToken);
    }

    /// <summary>The baseline: the same lines and rewards as plain CSV text, amounts with their decimals.</summary>
    private static void WriteCsv(PayoutWorkbookData data, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        foreach (var l in data.Lines)
        {
            writer.WriteLine(string.Join(',', l.Number, l.Payee, l.Email, l.Country, l.Method, l.Iban, l.Bic, l.PaypalEmail, l.Currency,
                Amount(l.GrossMinor, l.Currency), Amount(l.ClawbacksMinor, l.Currency), Amount(l.NetMinor, l.Currency), l.RewardCount,
                l.PaymentReference, l.AmbassadorId));
        }
        foreach (var r in data.Rewards)
        {
            writer.WriteLine(string.Join(',', r.LineNumber, r.PaymentReference, r.AmbassadorId, r.Payee, r.ExternalId, r.CampaignId,
                r.CampaignName, r.ContentId, r.ContentTitle, r.Kind, r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Currency,
                Amount(r.AmountMinor, r.Currency)));
        }
    }

    private static string Amount(long minor, string currency) =>
        (minor / (decimal)Math.Pow(10, Ambassadors.Data.Currencies.DecimalsOf(currency))).ToString(CultureInfo.InvariantCulture);

    /// <summary><paramref name="lines"/> payout lines with two rewards each (a reward and a clawback), produced lazily.</summary>
    private static PayoutWorkbookData Batch(int lines)
    {
        string[] currencies = ["EUR", "JPY", "BHD", "USD"];
        var summary = new PayoutWorkbookSummary("Bench programme", "pay_01JBENCH0000000000000000", new DateOnly(2026, 10, 31), "approved",
            25m, new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero), "bench@example.com", null, null, null, null, null, null,
            currencies.Select(c => new PayoutWorkbookTotal(c, lines / 4, lines / 2, 1_000_000, -10_000, 990_000)).ToList(),
            lines, 2 * lines, 0);
        return new PayoutWorkbookData(summary,
            Enumerable.Range(1, lines).Select(n => new PayoutWorkbookLine(n, $"amb_01JBENCH{n:D16}", $"Payee Número {n}",
                $"payee{n}@example.com", "DE", n % 5 == 0 ? "paypal" : "bank", n % 5 == 0 ? null : $"DE89{n:D18}",
                n % 5 == 0 ? null : "COBADEFFXXX", n % 5 == 0 ? $"pp{n}@example.com" : null, currencies[n % 4],
                10_000 + n, -(n % 100), 10_000 + n - n % 100, 2, $"PAY-2026-10-{n:D6}")),
            Enumerable.Range(1, lines).SelectMany(n => new[]
            {
                Reward(n, currencies[n % 4], 0, 10_000 + n),
                Reward(n, currencies[n % 4], 1, -(n % 100)),
            }));
    }

    private static PayoutWorkbookReward Reward(int line, string currency, int index, long amount) =>
        new(line, $"PAY-2026-10-{line:D6}", $"amb_01JBENCH{line:D16}", $"Payee Número {line}", $"conv_01JBENCH{line:D12}{index}",
            $"camp_{line % 50:D4}", $"Campaign {line % 50}", index == 0 ? $"cnt_{line % 300:D5}" : null,
            index == 0 ? $"Content title {line % 300}" : null, index == 0 ? "reward" : "clawback",
            new DateOnly(2026, 10, 1 + line % 31), currency, amount);

    /// <summary>Resets VmHWM to the current RSS (Linux: writing 5 to clear_refs); false where that is not possible.</summary>
    internal static bool ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A /proc/self/status figure (kB) in bytes.</summary>
    internal static long ProcStatus(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var kilobytes = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"/proc/self/status has no {field}");
    }
}
