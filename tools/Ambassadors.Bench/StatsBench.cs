using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Ambassadors.Bench;

/// <summary>
/// Stats come from grain day counters and ledger aggregates, never from scanning raw clicks, so their cost should
/// follow the days asked for and the conversions in them, not the clicks. Measured on the real service: a fresh
/// campaign is the baseline (1.00); then after many clicks and conversions; then for a year and ten years of days.
/// </summary>
public static class StatsBench
{
    private static readonly int Reads = BenchMode.Scaled(300, 10);

    public static async Task<int> RunAsync(int clicks, int conversions, CancellationToken cancellationToken)
    {
        await using var service = await ServiceTarget.StartAsync(recordClicks: true, cancellationToken);
        var url = $"api/v1/campaigns/{service.CampaignId}/stats";
        var rows = new List<(string Scenario, double P50, double P99)>();

        await Console.Error.WriteLineAsync("baseline: stats of a fresh campaign…");
        rows.Add(Row("fresh campaign, last 30 days", await MeasureAsync(service.Admin, url, cancellationToken)));

        await Console.Error.WriteLineAsync($"sending {clicks:N0} clicks and {conversions:N0} conversions…");
        var clock = Stopwatch.StartNew();
        await SendClicksAsync(service, clicks, cancellationToken);
        var settled = await service.SettledClicksAsync(clicks, cancellationToken);
        await Console.Error.WriteLineAsync($"clicks sent in {clock.Elapsed.TotalSeconds:0.0} s; the campaign counts {settled.Clicks:N0}");
        rows.Add(Row($"after {clicks:N0} clicks, last 30 days", await MeasureAsync(service.Admin, url, cancellationToken)));

        await SendConversionsAsync(service, conversions, cancellationToken);
        rows.Add(Row($"and {conversions:N0} conversions over 300 days, last 30 days", await MeasureAsync(service.Admin, url, cancellationToken)));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var days in new[] { 365, 3650 })
        {
            var from = today.AddDays(-(days - 1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            rows.Add(Row($"same, {days} days (from={from})", await MeasureAsync(service.Admin, $"{url}?from={from}", cancellationToken)));
        }

        Console.WriteLine($"Stats benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SQLite, {Reads} sequential reads per scenario");
        Console.WriteLine($"{"scenario",-62} {"p50 ms",8} {"p99 ms",8} {"p50 vs fresh",13}");
        foreach (var (scenario, p50, p99) in rows)
        {
            Console.WriteLine($"{scenario,-62} {p50,8:0.00} {p99,8:0.00} {p50 / rows[0].P50,13:0.00}");
        }
        return settled.Clicks == clicks ? 0 : BenchMode.CheckFailed;
    }

    private static (string Scenario, double P50, double P99) Row(string scenario, (double P50, double P99) timing) =>
        (scenario, timing.P50, timing.P99);

    private static Task<(double P50, double P99)> MeasureAsync(HttpClient admin, string url, CancellationToken cancellationToken) =>
        MeasureAsync(admin, url, BenchMode.Scaled(1000, 10), Reads, cancellationToken);

    /// <summary>p50 and p99 of <paramref name="reads"/> sequential GETs answering 200, after <paramref name="warmup"/> unmeasured ones.</summary>
    internal static async Task<(double P50, double P99)> MeasureAsync(HttpClient admin, string url, int warmup, int reads, CancellationToken cancellationToken)
    {
        for (var i = 0; i < warmup; i++) (await admin.GetAsync(url, cancellationToken)).EnsureSuccessStatusCode(); // warm-up (JIT, caches)
        var timings = new double[reads];
        for (var i = 0; i < reads; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await admin.GetAsync(url, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}.");
        }
        Array.Sort(timings);
        return (timings[reads / 2], timings[(int)(reads * 0.99)]);
    }

    private static async Task SendClicksAsync(ServiceTarget service, int clicks, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", BrowserRequest.UserAgent);
            while (Interlocked.Increment(ref next) < clicks)
            {
                using var response = await client.GetAsync(service.RedirectUrl, cancellationToken);
                if (response.StatusCode != HttpStatusCode.Found) throw new InvalidOperationException($"A click answered {(int)response.StatusCode}.");
            }
        }));
    }

    private static async Task SendConversionsAsync(ServiceTarget service, int conversions, CancellationToken cancellationToken)
    {
        var next = -1;
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < conversions)
            {
                // Spread over the last 300 days, so the longer windows have conversions in them.
                var body = new
                {
                    externalId = $"bench-{i}-{Guid.NewGuid():N}",
                    kind = i % 3 == 0 ? "sale" : "lead",
                    amount = i % 3 == 0 ? 25m + i % 50 : (decimal?)null,
                    currency = i % 3 == 0 ? "EUR" : null,
                    referralCode = service.ReferralCode,
                    occurredAt = now.AddDays(-(i % 300)),
                };
                using var response = await service.Admin.PostAsJsonAsync("api/v1/conversions", body, cancellationToken);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"A conversion answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }
        }));
    }
}
