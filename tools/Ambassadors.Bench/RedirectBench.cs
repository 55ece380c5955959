using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Ambassadors.Bench;

public sealed record RedirectBenchOptions(int Seconds, int Connections, string Generator, bool Json);

public sealed record ScenarioResult(
    string Scenario, string Status, double? RequestsPerSecond, double? P50Ms, double? P99Ms, double? RatioToBaseline,
    long? MeasuredRequests, long? OtherResponses, long? Errors, string? Note);

public sealed record ClickAccounting(long ClicksCounted, long BotClicks, long RedirectsReceived, long Difference, long ExpectedDifferenceMax, bool Matches);

public sealed record RedirectReport(
    DateTimeOffset StartedAt, string Machine, string Runtime, string Generator, int Seconds, int WarmupSeconds, int Connections,
    IReadOnlyList<ScenarioResult> Scenarios, ClickAccounting? Clicks);

/// <summary>
/// GET /r/{code} on the real service with recording on and off, against bare Kestrel answering 302 (the baseline, 1.00)
/// and nginx <c>return 302</c>, all in one run on the same machine. Only ratios within a run mean anything.
/// </summary>
public static class RedirectBench
{
    private static readonly int WarmupSeconds = BenchMode.Scaled(2, 0);
    private const int WarmClicks = 20;
    private static readonly int SettleSeconds = BenchMode.Scaled(15, 0);

    /// <summary>
    /// Rounds of every scenario; each row is its median round (one round in a smoke run). Five, not three: in a run of three
    /// rounds recording off's spread 52,250-67,052 req/s, so the median of three moved the on/off ratio by several hundredths
    /// from run to run of the same build (0.89-0.97x).
    /// </summary>
    private static readonly int Rounds = BenchMode.Scaled(5, 1);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(RedirectBenchOptions options, CancellationToken cancellationToken)
    {
        var wrk = options.Generator == "builtin" ? null : ChildProcess.OnPath("wrk");
        if (options.Generator == "wrk" && wrk is null)
        {
            await Console.Error.WriteLineAsync("error: --generator wrk, but wrk is not installed.");
            return 2;
        }
        ILoadGenerator generator = wrk is null ? new BuiltInGenerator() : new WrkGenerator(wrk);
        var warmup = TimeSpan.FromSeconds(WarmupSeconds);
        var duration = TimeSpan.FromSeconds(options.Seconds);
        var machine = $"{Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.OSArchitecture}; " +
            "the load generator and the server under test share these cores";
        var startedAt = DateTimeOffset.UtcNow;
        var progress = Console.Error; // stdout carries only the table or the JSON
        await progress.WriteLineAsync($"Machine: {machine}.");
        await progress.WriteLineAsync($"Load: {generator.Description}, {options.Connections} connections, {WarmupSeconds} s warm-up + {options.Seconds} s per scenario.");

        var scenarios = new List<ScenarioResult>();
        ClickAccounting? clicks = null;

        // Every target is started first and stays up, idle between its runs; then the rounds load them one after the
        // other, the same order each round, and each target's row is its median round by throughput. One 10 s run per
        // target swung the ratios by a third between idle runs of the same build (docs/decisions.md, "Conversions: the path").
        await progress.WriteLineAsync("kestrel-302: starting...");
        var baselineServer = await BaselineTarget.StartAsync(cancellationToken);
        await using var baselineProcess = baselineServer.Process;
        var nginx = NginxTarget.Find();
        (ChildProcess Process, Uri Url)? nginxServer = null;
        if (nginx is null) await progress.WriteLineAsync("nginx not installed: skipped");
        else
        {
            await progress.WriteLineAsync("nginx-302: starting...");
            nginxServer = await NginxTarget.StartAsync(nginx, cancellationToken);
        }
        await using var nginxProcess = nginxServer?.Process;
        // The service with recording off and on: a fresh process and database each.
        await progress.WriteLineAsync("ambassadors /r: starting the service twice, recording off and on...");
        var services = await ServiceTarget.BothAsync(ServiceTarget.StartAsync(false, cancellationToken), ServiceTarget.StartAsync(true, cancellationToken));
        await using var off = services.First;
        await using var on = services.Second;
        await off.WarmAsync(WarmClicks, cancellationToken);
        var warmed = await on.WarmAsync(WarmClicks, cancellationToken);
        // Both services are loaded once, unmeasured, until the JIT has settled: the conversions bench measured a third of
        // the cores going to the tiered compiler for the first 10-20 s of load.
        var settled = new List<LoadResult>();
        if (SettleSeconds > 0)
        {
            foreach (var (service, name) in new[] { (off, "recording off"), (on, "recording on") })
            {
                await progress.WriteLineAsync($"ambassadors /r {name}: {SettleSeconds} s of load until the JIT settles (not measured)...");
                var run = await generator.RunAsync(service.RedirectUrl, options.Connections, warmup, TimeSpan.FromSeconds(SettleSeconds), cancellationToken);
                if (service == on) settled.Add(run);
            }
        }

        var targets = new List<(string Name, Uri Url, string Note)>
        {
            ("kestrel-302 (baseline)", baselineServer.Url, "minimal API app, one endpoint, child process"),
        };
        if (nginxServer is { } n) targets.Add(("nginx-302", n.Url, "return 302, worker_processes auto, access_log off"));
        targets.Add(("ambassadors /r recording off", off.RedirectUrl, "Ambassadors__Tracking__RecordClicks=false"));
        targets.Add(("ambassadors /r recording on", on.RedirectUrl, "clicks recorded (default)"));
        var runs = targets.Select(_ => new List<LoadResult>()).ToList();
        for (var round = 1; round <= Rounds; round++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                await progress.WriteLineAsync($"round {round} of {Rounds}: {targets[t].Name}...");
                runs[t].Add(await generator.RunAsync(targets[t].Url, options.Connections, warmup, duration, cancellationToken));
            }
        }
        var medians = runs.Select(r => r.OrderBy(x => x.RequestsPerSecond).ElementAt(r.Count / 2)).ToList();
        var baseline = medians[0];
        for (var t = 0; t < targets.Count; t++)
        {
            var spread = Rounds > 1
                ? string.Create(CultureInfo.InvariantCulture, $"; rounds {string.Join(" / ", runs[t].Select(r => $"{r.RequestsPerSecond:0}"))} req/s")
                : "";
            scenarios.Add(Row(targets[t].Name, medians[t], baseline, targets[t].Note + spread));
        }
        if (nginxServer is null)
        {
            scenarios.Insert(1, new ScenarioResult("nginx-302", "skipped", null, null, null, null, null, null, null, "nginx not installed: skipped"));
        }

        // Every 302 the recording service sent, over all rounds (warm-up runs included), is counted once.
        var onRuns = runs[^1];
        var received = warmed + onRuns.Concat(settled).Sum(r => r.RedirectsReceived);
        await progress.WriteLineAsync("Reading the campaign's stats...");
        var (counted, bots) = await on.SettledClicksAsync(received, cancellationToken);
        var difference = counted + bots - received;
        var maxAbandoned = onRuns.Concat(settled).Sum(r => r.MaxAbandoned);
        clicks = new ClickAccounting(counted, bots, received, difference, maxAbandoned, bots == 0 && difference >= 0 && difference <= maxAbandoned);

        var report = new RedirectReport(startedAt, machine, RuntimeInformation.FrameworkDescription, generator.Description,
            options.Seconds, WarmupSeconds, options.Connections, scenarios, clicks);
        Console.Out.Write(options.Json ? JsonSerializer.Serialize(report, JsonOptions) + Environment.NewLine : Table(report));
        return clicks is { Matches: false } ? BenchMode.CheckFailed : 0;
    }

    private static ScenarioResult Row(string name, LoadResult result, LoadResult baseline, string note) => new(
        name, "measured", Math.Round(result.RequestsPerSecond, 1), Math.Round(result.P50Ms, 3), Math.Round(result.P99Ms, 3),
        baseline.RequestsPerSecond > 0 ? Math.Round(result.RequestsPerSecond / baseline.RequestsPerSecond, 2) : null,
        result.MeasuredRequests, result.OtherResponses, result.Errors, note);

    internal static string Verdict(bool met) => met ? "met" : "MISSED";

    private static string Table(RedirectReport report)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Redirect benchmark, {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.Runtime}");
        text.AppendLine(c, $"Machine: {report.Machine}.");
        var rounds = Rounds > 1 ? $", in {Rounds} rounds (each round loads every target in turn; each row is its median round by throughput)" : "";
        text.AppendLine(c, $"Load: {report.Generator}; {report.Connections} connections; {report.WarmupSeconds} s warm-up + {report.Seconds} s measured per scenario{rounds}.");
        if (SettleSeconds > 0)
        {
            text.AppendLine(c, $"Before the rounds, each service target ran {SettleSeconds} s of the same load unmeasured, until its JIT settled; its redirects are in the click check.");
        }
        text.AppendLine("Ratios are against bare Kestrel measured in this same run (= 1.00); compare them, not the absolute figures, across machines.");
        text.AppendLine();
        text.AppendLine(c, $"{"scenario",-32} {"requests/s",12} {"p50 ms",9} {"p99 ms",9} {"vs baseline",12}  {"non-3xx",8} {"errors",7}  (non-3xx and errors: whole run, warm-up included)");
        foreach (var row in report.Scenarios)
        {
            if (row.Status != "measured")
            {
                text.AppendLine(c, $"{row.Scenario,-32} {row.Note}");
                continue;
            }
            text.AppendLine(c,
                $"{row.Scenario,-32} {row.RequestsPerSecond,12:0} {row.P50Ms,9:0.000} {row.P99Ms,9:0.000} {row.RatioToBaseline,12:0.00}  {row.OtherResponses,8} {row.Errors,7}");
        }
        if (Rounds > 1)
        {
            foreach (var row in report.Scenarios.Where(r => r.Status == "measured")) text.AppendLine(c, $"  {row.Scenario}: {row.Note}");
        }
        text.AppendLine();
        var on = report.Scenarios.FirstOrDefault(r => r.Scenario == "ambassadors /r recording on" && r.Status == "measured");
        var off = report.Scenarios.FirstOrDefault(r => r.Scenario == "ambassadors /r recording off" && r.Status == "measured");
        var nginx = report.Scenarios.FirstOrDefault(r => r.Scenario == "nginx-302" && r.Status == "measured");
        var kestrel = report.Scenarios[0];
        if (on is not null && off is not null)
        {
            text.AppendLine(c, $"Target: recording on >= 0.90x recording off (throughput): {on.RequestsPerSecond / off.RequestsPerSecond:0.00}x, {Verdict(on.RequestsPerSecond / off.RequestsPerSecond >= 0.9)}");
            if (nginx is not null)
            {
                text.AppendLine(c, $"Target: recording on >= 0.50x nginx (throughput): {on.RequestsPerSecond / nginx.RequestsPerSecond:0.00}x, {Verdict(on.RequestsPerSecond / nginx.RequestsPerSecond >= 0.5)}");
            }
            text.AppendLine(c, $"Target: p99 with recording <= 2x bare Kestrel's p99: {on.P99Ms / kestrel.P99Ms:0.00}x, {Verdict(on.P99Ms / kestrel.P99Ms <= 2)}");
            text.AppendLine(c, $"Recording off against bare Kestrel: {off.RatioToBaseline:0.00}x throughput, p99 {off.P99Ms / kestrel.P99Ms:0.00}x; recording on against off: p99 {on.P99Ms / off.P99Ms:0.00}x");
        }
        if (report.Clicks is { } clicks)
        {
            var bound = clicks.ExpectedDifferenceMax == 0
                ? "must match exactly"
                : $"wrk does not wait for requests in flight when its runs stop nor for those it counts as errors, so counted may exceed received by 0..{clicks.ExpectedDifferenceMax}";
            text.AppendLine(c,
                $"Clicks (recording on): counted {clicks.ClicksCounted} (+{clicks.BotClicks} bot), 302s received {clicks.RedirectsReceived}, difference {clicks.Difference:+0;-0;0} ({bound}): {(clicks.Matches ? "OK" : "MISMATCH")}");
        }
        return text.ToString();
    }
}
