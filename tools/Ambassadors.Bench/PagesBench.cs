using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Ambassadors.Bench;

/// <summary>
/// Server time of the staff and portal pages on the demo's data (loaded by the demo loader, <see cref="DemoData"/>) and on
/// <c>--factor</c> times it (the demo's ambassadors and everything of theirs copied in bulk), on the real service (SQLite):
/// p50 and p95 of sequential GETs on loopback, signed in with the demo's accounts (manager, finance, the Fiesta's agent),
/// against <c>GET /health</c> of the same process (= 1.00). With <c>--keep</c> the larger database stays in its temp folder,
/// for looking at its queries.
/// <para>
/// Adding a page: add a <see cref="Page"/> to <see cref="Pages"/> with the account that signs in and its path from the
/// demo's <see cref="DemoData.Programme"/>. The portal with many campaigns is in <see cref="PortalBench"/>.
/// </para>
/// </summary>
public static partial class PagesBench
{
    private static readonly int Reads = BenchMode.Scaled(60, 3);
    private static readonly int Warmup = BenchMode.Scaled(5, 1);

    /// <summary>A slow page stops after this long (with at least <see cref="MinimumReads"/> reads): the review at 100x takes seconds a read.</summary>
    private static readonly TimeSpan PerPage = TimeSpan.FromSeconds(20);
    private static readonly int MinimumReads = BenchMode.Scaled(10, 3);

    /// <param name="Account">The demo account that signs in to see it: manager, finance or agent.</param>
    public sealed record Page(string Name, string Account, Func<DemoData.Programme, string> Path);

    public static readonly IReadOnlyList<Page> Pages =
    [
        new("manage: campaigns", "manager", _ => "/manage"),
        new("manage: the Fiesta (overview)", "manager", p => $"/manage/campaigns/{p.FordId}"),
        new("manage: the Fiesta's review", "manager", p => $"/manage/campaigns/{p.FordId}/applications"),
        new("manage: the Fiesta's results", "manager", p => $"/manage/campaigns/{p.FordId}/results"),
        new("manage: the circle (overview)", "manager", p => $"/manage/campaigns/{p.VogueId}"),
        new("manage: programme results", "manager", _ => "/manage/results"),
        new("manage: ambassadors", "manager", _ => "/manage/ambassadors"),
        new("manage: an ambassador", "manager", p => $"/manage/ambassadors/{p.AgentId}"),
        new("manage: outbox", "manager", _ => "/manage/outbox"),
        new("finance: batches", "finance", _ => "/finance"),
        new("finance: the largest batch", "finance", p => $"/finance/batches/{p.BatchId}"),
        new("finance: new batch (preview)", "finance", _ => "/finance/new"),
        new("finance: missing details", "finance", _ => "/finance/missing-details"),
        new("finance: a payee", "finance", p => $"/finance/payees/{p.AgentId}"),
        new("finance: audit log", "finance", _ => "/finance/audit"),
        new("portal: home", "agent", _ => "/portal"),
        new("portal: links", "agent", _ => "/portal/links"),
        new("portal: stats", "agent", _ => "/portal/stats"),
        new("portal: the Fiesta's stats", "agent", p => $"/portal/stats/{p.FordId}"),
        new("portal: earnings", "agent", _ => "/portal/earnings"),
    ];

    /// <summary>The demo's accounts (README, "Try it with demo data").</summary>
    private static readonly Dictionary<string, (string Email, string Password)> Accounts = new()
    {
        ["manager"] = ("manager@demo.example", "Demo-Manager-2026"),
        ["finance"] = ("finance@demo.example", "Demo-Finance-2026"),
        ["agent"] = ("agent@demo.example", "Demo-Agent-2026"),
    };

    private sealed record Row(string Size, string Page, int Reads, double P50, double P95, double Health);

    public static async Task<int> RunAsync(string demoSize, int factor, bool keep, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ambassadors-bench-pages-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "demo.db");
        var c = CultureInfo.InvariantCulture;
        try
        {
            await Console.Error.WriteLineAsync($"Loading the {demoSize} demo…");
            // Migrated already (a copy of the benchmarks' template): the loader's time is the demo's data.
            await BenchDatabases.CreateSqliteAsync(database, cancellationToken);
            var clock = Stopwatch.StartNew();
            await DemoData.LoadAsync(database, demoSize, cancellationToken);
            var loaded = clock.Elapsed;
            var programme = await DemoData.ProgrammeAsync(database, cancellationToken);
            var sizes = new List<(string Name, DemoData.Counts Counts, string Made)>
            {
                ("demo", await DemoData.CountAsync(database, cancellationToken), string.Create(c, $"demo loader {loaded.TotalSeconds:0} s")),
            };
            var rows = await MeasureAsync("demo", database, programme, cancellationToken);
            if (factor > 1)
            {
                await Console.Error.WriteLineAsync($"Multiplying it by {factor}…");
                var copied = await DemoData.MultiplyAsync(database, factor, cancellationToken);
                var name = $"{factor}x demo";
                sizes.Add((name, await DemoData.CountAsync(database, cancellationToken), string.Create(c, $"bulk copy {copied.TotalSeconds:0} s")));
                // A smoke run copies (so the copy cannot rot) but does not start the service a second time: it keeps to a few seconds.
                if (!BenchMode.Smoke) rows.AddRange(await MeasureAsync(name, database, programme, cancellationToken));
            }

            Console.WriteLine(string.Create(c, $"Pages on the demo's data, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SQLite; " +
                                               $"{Reads} sequential GETs per page on loopback (fewer, at least {MinimumReads}, when they take over {PerPage.TotalSeconds:0} s) " +
                                               $"after {Warmup} unmeasured, signed in with the demo's accounts; " +
                                               $"ratio: p50 against GET /health of the same process"));
            Console.WriteLine($"{"size",-10} {"applications",13} {"ambassadors",12} {"raw clicks",11} {"conversions",12} {"ledger",9} {"batch lines",12}  made by");
            foreach (var (name, n, made) in sizes)
            {
                Console.WriteLine(string.Create(c, $"{name,-10} {n.Applications,13:N0} {n.Ambassadors,12:N0} {n.Clicks,11:N0} {n.Conversions,12:N0} {n.LedgerEntries,9:N0} {n.BatchLines,12:N0}  {made}"));
            }
            Console.WriteLine($"{"size",-10} {"page",-32} {"reads",6} {"p50 ms",8} {"p95 ms",8} {"vs /health",11} {"vs demo",8}");
            foreach (var row in rows)
            {
                var demo = rows.First(r => r.Page == row.Page).P50;
                Console.WriteLine(string.Create(c, $"{row.Size,-10} {row.Page,-32} {row.Reads,6} {row.P50,8:0.00} {row.P95,8:0.00} {row.P50 / row.Health,11:0.0} {row.P50 / demo,8:0.00}"));
            }
            if (BenchMode.Smoke && factor > 1) Console.WriteLine($"Smoke run: the {factor}x copy is made but not measured.");
            Console.WriteLine($"The copies are the demo's ambassadors with their rows; the grains' traffic counters are the demo's (not copied), so pages " +
                              "reading clicks from grains do not grow. The portal with many campaigns: `portal`.");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep)
            {
                await Console.Error.WriteLineAsync($"Kept {database}");
            }
            else
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temp folder is harmless.
                }
            }
        }
    }

    /// <summary>The service started on <paramref name="database"/>, each account signed in, every page measured.</summary>
    private static async Task<List<Row>> MeasureAsync(string size, string database, DemoData.Programme programme, CancellationToken cancellationToken)
    {
        await using var service = await ServiceTarget.StartAsync(recordClicks: true, cancellationToken, sqliteFile: database);
        var health = await TimeAsync(service.Admin, "/health", BenchMode.Scaled(50, 5), cancellationToken);
        var rows = new List<Row> { new(size, "GET /health (baseline)", health.Length, Median(health), Percentile95(health), Median(health)) };
        foreach (var account in Pages.Select(p => p.Account).Distinct())
        {
            using var signedIn = await SignInAsync(service, Accounts[account], cancellationToken);
            foreach (var page in Pages.Where(p => p.Account == account))
            {
                var path = page.Path(programme);
                await Console.Error.WriteLineAsync($"{size}: {page.Name} ({path})");
                var timings = await TimeAsync(signedIn, path, Warmup, cancellationToken);
                rows.Add(new Row(size, page.Name, timings.Length, Median(timings), Percentile95(timings), rows[0].P50));
            }
        }
        return rows;
    }

    private static double Median(double[] sorted) => sorted[sorted.Length / 2];

    private static double Percentile95(double[] sorted) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.95) - 1)];

    /// <summary>
    /// The sorted times of up to <see cref="Reads"/> sequential GETs answering 200 (fewer once <see cref="PerPage"/> has passed),
    /// after <paramref name="warmup"/> unmeasured ones.
    /// </summary>
    private static async Task<double[]> TimeAsync(HttpClient client, string path, int warmup, CancellationToken cancellationToken)
    {
        var timings = new List<double>(Reads);
        var clock = Stopwatch.StartNew();
        for (var i = -warmup; i < Reads && (timings.Count < MinimumReads || clock.Elapsed < PerPage); i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
            if (i >= 0) timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        timings.Sort();
        return [.. timings];
    }

    /// <summary>A demo account signed in through /login (antiforgery token and all).</summary>
    private static async Task<HttpClient> SignInAsync(ServiceTarget service, (string Email, string Password) account, CancellationToken cancellationToken)
    {
        var client = SignedInClient(service);
        using var response = await PostFormAsync(client, "/login",
            new Dictionary<string, string> { ["Email"] = account.Email, ["Password"] = account.Password }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Signing in as {account.Email} answered {(int)response.StatusCode}.");
        }
        return client;
    }

    /// <summary>A client that keeps cookies and shows redirects, as a browser's session.</summary>
    internal static HttpClient SignedInClient(ServiceTarget service) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = service.BaseAddress };

    /// <summary>GETs the page at <paramref name="path"/> and posts <paramref name="fields"/> back to it with its antiforgery token.</summary>
    internal static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var form = await client.GetStringAsync(path, cancellationToken);
        var token = AntiforgeryField().Match(form);
        if (!token.Success) throw new InvalidOperationException($"No antiforgery token on {path}.");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields), cancellationToken);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
