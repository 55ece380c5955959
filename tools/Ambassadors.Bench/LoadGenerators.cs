using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Ambassadors.Bench;

/// <summary>What one scenario's load run saw.</summary>
/// <param name="MeasuredRequests">Responses completed in the measured window.</param>
/// <param name="RedirectsReceived">3xx responses received over the whole run, warm-up included (the click accounting compares these).</param>
/// <param name="OtherResponses">Responses other than 3xx, warm-up included.</param>
/// <param name="Errors">Connection errors and timeouts, warm-up included.</param>
/// <param name="MaxAbandoned">Requests the generator may have sent but not waited for when it stopped (0: it drains them).</param>
public sealed record LoadResult(
    long MeasuredRequests, double RequestsPerSecond, double P50Ms, double P99Ms,
    long RedirectsReceived, long OtherResponses, long Errors, long MaxAbandoned);

public interface ILoadGenerator
{
    string Description { get; }

    /// <summary>Warms up for <paramref name="warmup"/>, then measures for <paramref name="duration"/>.</summary>
    Task<LoadResult> RunAsync(Uri url, int connections, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken);
}

/// <summary>The request every generator sends: a browser's first click on a link, no cookies.</summary>
public static class BrowserRequest
{
    public const string UserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    public const string Accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
}

/// <summary>
/// Closed loop: one task per connection, each with its own HttpClient (keep-alive, no redirects, no cookies), sending the
/// next request as soon as the previous answer is read. Latency per request from a Stopwatch; percentiles from the
/// sorted samples. When time is up every task finishes the request it has in flight, so nothing is abandoned.
/// </summary>
public sealed class BuiltInGenerator : ILoadGenerator
{
    public string Description => "built-in (closed loop, one HttpClient per connection)";

    public async Task<LoadResult> RunAsync(Uri url, int connections, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        var measureTo = measureFrom + duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        var workers = Enumerable.Range(0, connections)
            .Select(_ => Task.Run(() => WorkAsync(url, clock, measureFrom, measureTo, cancellationToken), cancellationToken))
            .ToArray();
        var results = await Task.WhenAll(workers);

        var samples = new long[results.Sum(r => r.Latencies.Count)];
        var offset = 0;
        foreach (var result in results)
        {
            result.Latencies.CopyTo(samples, offset);
            offset += result.Latencies.Count;
        }
        Array.Sort(samples);
        return new LoadResult(
            samples.Length,
            samples.Length / duration.TotalSeconds,
            Percentile(samples, 0.50),
            Percentile(samples, 0.99),
            results.Sum(r => r.Redirects),
            results.Sum(r => r.Other),
            results.Sum(r => r.Errors),
            MaxAbandoned: 0);
    }

    private sealed class WorkerResult
    {
        public List<long> Latencies { get; } = new(1 << 15);
        public long Redirects { get; set; }
        public long Other { get; set; }
        public long Errors { get; set; }
    }

    private static async Task<WorkerResult> WorkAsync(Uri url, Stopwatch clock, long measureFrom, long measureTo, CancellationToken cancellationToken)
    {
        var result = new WorkerResult();
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", BrowserRequest.UserAgent);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", BrowserRequest.Accept);

        while (clock.ElapsedTicks < measureTo && !cancellationToken.IsCancellationRequested)
        {
            var started = clock.ElapsedTicks;
            try
            {
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var finished = clock.ElapsedTicks;
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400) result.Redirects++;
                else result.Other++;
                if (finished >= measureFrom && finished < measureTo) result.Latencies.Add(finished - started);
            }
            catch (HttpRequestException)
            {
                result.Errors++;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result.Errors++; // timeout
            }
        }
        return result;
    }

    private static double Percentile(long[] sorted, double quantile)
    {
        if (sorted.Length == 0) return double.NaN;
        var index = (int)Math.Ceiling(quantile * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>
/// wrk (C, event loop per thread, one thread per core): a warm-up run, then the measured run with --latency; output parsed.
/// wrk closes its connections when time is up without waiting for requests in flight, so up to one per connection per
/// run may have reached the server without being counted here; so may requests it gave up on (socket errors, timeouts: 2 s).
/// </summary>
public sealed partial class WrkGenerator(string wrkPath) : ILoadGenerator
{
    public string Description => $"wrk ({wrkPath}, {Threads(int.MaxValue)} threads)";

    public async Task<LoadResult> RunAsync(Uri url, int connections, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        // No warm-up run for a zero warm-up (a smoke run): wrk itself runs at least a second.
        var warm = warmup > TimeSpan.Zero ? await RunOnceAsync(url, connections, warmup, cancellationToken) : new WrkRun(0, 0, 0, 0, 0, 0, "");
        var measured = await RunOnceAsync(url, connections, duration, cancellationToken);
        return new LoadResult(
            measured.Requests,
            measured.RequestsPerSecond,
            measured.P50Ms,
            measured.P99Ms,
            warm.Requests + measured.Requests - warm.Non3xx - measured.Non3xx,
            warm.Non3xx + measured.Non3xx,
            warm.SocketErrors + measured.SocketErrors,
            // Up to one request per connection in flight at the end of each of the two runs, plus any that timed out or failed.
            MaxAbandoned: 2L * connections + warm.SocketErrors + measured.SocketErrors);
    }

    /// <summary>One wrk run; <paramref name="Output"/> is what it printed, a Lua script's <c>done</c> lines included.</summary>
    public sealed record WrkRun(long Requests, double RequestsPerSecond, double P50Ms, double P99Ms, long Non3xx, long SocketErrors, string Output);

    /// <summary>One run of wrk with a Lua script that makes each request (method, headers, body) and may print a summary when done.</summary>
    public Task<WrkRun> RunScriptAsync(Uri url, string script, int connections, TimeSpan duration, CancellationToken cancellationToken) =>
        RunOnceAsync(url, connections, duration, cancellationToken, ["-s", script]);

    private static int Threads(int connections) => Math.Max(1, Math.Min(Environment.ProcessorCount, connections));

    private async Task<WrkRun> RunOnceAsync(Uri url, int connections, TimeSpan duration, CancellationToken cancellationToken, string[]? script = null)
    {
        var start = new ProcessStartInfo(wrkPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            "-t", Threads(connections).ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s",
            "--latency",
            "-H", $"User-Agent: {BrowserRequest.UserAgent}",
            "-H", $"Accept: {BrowserRequest.Accept}",
            .. script ?? [],
            url.ToString(),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {wrkPath}.");
        var errorTask = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var error = await errorTask;
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk exited with {process.ExitCode}:\n{output}\n{error}");
        return Parse(output);
    }

    private static WrkRun Parse(string output)
    {
        var requests = RequestsLine().Match(output);
        var rate = RateLine().Match(output);
        var p50 = PercentileLine("50").Match(output);
        var p99 = PercentileLine("99").Match(output);
        if (!requests.Success || !rate.Success || !p50.Success || !p99.Success)
        {
            throw new InvalidOperationException($"Could not read wrk's output:\n{output}");
        }
        var non3xx = NonSuccessLine().Match(output);
        var socket = SocketErrorsLine().Match(output);
        var socketErrors = socket.Success
            ? Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkRun(
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(p50.Groups[1].Value, p50.Groups[2].Value),
            Milliseconds(p99.Groups[1].Value, p99.Groups[2].Value),
            non3xx.Success ? long.Parse(non3xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors,
            output);
    }

    private static double Milliseconds(string value, string unit)
    {
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => number / 1000,
            "ms" => number,
            "s" => number * 1000,
            "m" => number * 60_000,
            "h" => number * 3_600_000,
            _ => throw new InvalidOperationException($"Unknown wrk latency unit '{unit}'."),
        };
    }

    private static Regex PercentileLine(string percent) =>
        new($@"^\s*{percent}(?:\.0+)?%\s+([0-9.]+)(us|ms|s|m|h)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^\s*(\d+) requests in ", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"^Requests/sec:\s+([0-9.]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SocketErrorsLine();
}
