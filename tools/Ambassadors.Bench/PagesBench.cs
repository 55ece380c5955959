using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Ambassadors.Bench;

/// <summary>
/// Server time of staff pages on the real service (SQLite), signed in as the role that uses them: p50 of sequential GETs on
/// loopback, against <c>GET /health</c> of the same process in the same run (= 1.00), on a demo-sized programme and on
/// <c>--factor</c> times it. The programme is made through the API (campaign, members with payout details, sales past their
/// holding period, one draft payout batch).
/// <para>
/// Adding a staff page: add a <see cref="Page"/> to <see cref="Pages"/> with the role that signs in and its path from the
/// <see cref="Programme"/>; seed what it needs in <see cref="SeedAsync"/>. The portal's pages are in <see cref="PortalBench"/>.
/// </para>
/// </summary>
public static partial class PagesBench
{
    private static readonly int Reads = BenchMode.Scaled(100, 5);

    /// <summary>What the seeded programme holds, for building page paths.</summary>
    public sealed record Programme(string CampaignId, IReadOnlyList<string> AmbassadorIds, string BatchId);

    /// <param name="Role">The staff role that signs in to see it (one user per role is made).</param>
    public sealed record Page(string Name, string Role, Func<Programme, string> Path);

    public static readonly IReadOnlyList<Page> Pages =
    [
        new("finance: batches", "finance", _ => "/finance"),
        new("finance: one batch", "finance", p => $"/finance/batches/{p.BatchId}"),
        new("finance: new batch (preview)", "finance", _ => "/finance/new"),
        new("finance: missing details", "finance", _ => "/finance/missing-details"),
        new("finance: a payee", "finance", p => $"/finance/payees/{p.AmbassadorIds[0]}"),
        new("finance: audit log", "finance", _ => "/finance/audit"),
        new("manage: campaigns", "manager", _ => "/manage"),
        new("manage: a campaign", "manager", p => $"/manage/campaigns/{p.CampaignId}"),
        new("manage: review (no applicants)", "manager", p => $"/manage/campaigns/{p.CampaignId}/applications"),
        new("manage: ambassadors", "manager", _ => "/manage/ambassadors"),
        new("manage: an ambassador", "manager", p => $"/manage/ambassadors/{p.AmbassadorIds[0]}"),
        new("manage: outbox", "manager", _ => "/manage/outbox"),
        new("manage: programme results", "manager", _ => "/manage/results"),
        new("manage: a campaign's results", "manager", p => $"/manage/campaigns/{p.CampaignId}/results"),
    ];

    /// <summary>Campaigns besides the demo's, each with a KPI: the programme overview lists them all.</summary>
    public const int OtherCampaigns = 99;

    public static async Task<int> RunAsync(int demoPayees, int factor, CancellationToken cancellationToken)
    {
        var rows = new List<(string Size, string Page, double P50, double Ratio)>();
        foreach (var (size, payees) in new[] { ("demo", demoPayees), ($"{factor}x demo", demoPayees * factor) })
        {
            await Console.Error.WriteLineAsync($"{size}: {payees:N0} payees…");
            await using var service = await ServiceTarget.StartAsync(recordClicks: true, cancellationToken);
            var programme = await SeedAsync(service, payees, cancellationToken);
            var health = (await StatsBench.MeasureAsync(service.Admin, "/health", 50, Reads, cancellationToken)).P50;
            rows.Add((size, "GET /health (baseline)", health, 1));
            foreach (var role in Pages.Select(p => p.Role).Distinct())
            {
                using var signedIn = await SignInAsync(service, role, cancellationToken);
                foreach (var page in Pages.Where(p => p.Role == role))
                {
                    var p50 = (await StatsBench.MeasureAsync(signedIn, page.Path(programme), 10, Reads, cancellationToken)).P50;
                    rows.Add((size, page.Name, p50, p50 / health));
                }
            }
        }
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Pages, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SQLite; p50 of {Reads} sequential GETs on loopback, " +
                                           $"signed in; demo = {demoPayees} payees with two sales each, one draft batch and {OtherCampaigns} more campaigns; ratio against GET /health of the same process"));
        Console.WriteLine($"{"size",-12} {"page",-32} {"p50 ms",8} {"vs /health",11} {"vs demo",8}");
        foreach (var row in rows)
        {
            var demo = rows.First(r => r.Page == row.Page).P50;
            Console.WriteLine(string.Create(c, $"{row.Size,-12} {row.Page,-32} {row.P50,8:0.00} {row.Ratio,11:0.0} {row.P50 / demo,8:0.00}"));
        }
        Console.WriteLine("The review page here has no applicants (the programme is made through the API, applications come through the " +
                          "public form); its time with 4,000 applicants is in docs/decisions.md, \"Recruitment\". The portal's pages: `portal`.");
        return 0;
    }

    /// <summary>A campaign, <paramref name="payees"/> members with bank details and two approved sales each, one draft batch.</summary>
    private static async Task<Programme> SeedAsync(ServiceTarget service, int payees, CancellationToken cancellationToken)
    {
        var campaign = await service.PostAsync("api/v1/campaigns", new
        {
            name = "Demo campaign", objective = "sales", destinationUrl = "https://shop.example/", currency = "EUR",
            holdingPeriodDays = 14, rewards = new { perSale = 10m },
        }, cancellationToken);
        var campaignId = campaign.GetProperty("id").GetString()!;
        var merchant = new HttpClient { BaseAddress = service.BaseAddress };
        merchant.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await service.CreateKeyAsync("merchant", cancellationToken));
        var ids = new string[payees];
        var next = -1;
        var occurredAt = DateTimeOffset.UtcNow.AddDays(-30);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < payees)
            {
                var ambassador = await service.PostAsync("api/v1/ambassadors",
                    new { name = $"Payee {i}", email = $"payee{i}-{Guid.NewGuid():N}@example.com" }, cancellationToken);
                var id = ids[i] = ambassador.GetProperty("id").GetString()!;
                var membership = await service.PostAsync($"api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = id }, cancellationToken);
                var code = membership.GetProperty("referralCode").GetString();
                if (i % 10 != 9) // one in ten without payout details: listed as missing
                {
                    using var details = await service.Admin.PutAsJsonAsync($"api/v1/ambassadors/{id}/payout-details", new
                    {
                        method = "bank", legalName = $"Payee {i}", country = "NL", iban = "NL91 ABNA 0417 1643 00", bic = "ABNANL2A",
                    }, cancellationToken);
                    details.EnsureSuccessStatusCode();
                }
                for (var sale = 0; sale < 2; sale++)
                {
                    using var response = await merchant.PostAsJsonAsync("api/v1/conversions", new
                    {
                        externalId = $"demo-{i}-{sale}-{Guid.NewGuid():N}", kind = "sale", amount = 50m + sale, currency = "EUR",
                        referralCode = code, occurredAt,
                    }, cancellationToken);
                    if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"A sale answered {(int)response.StatusCode}.");
                }
            }
        }));
        var others = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref others)) < OtherCampaigns)
            {
                await service.PostAsync("api/v1/campaigns", new
                {
                    name = $"Campaign {i}", objective = "sales", destinationUrl = "https://shop.example/", currency = i % 2 == 0 ? "EUR" : "USD",
                    kpi = new { metric = (i % 3) switch { 0 => "sales", 1 => "clicks", _ => "revenue" }, target = 100 },
                }, cancellationToken);
            }
        }));
        var batch = await service.PostAsync("api/v1/payouts", new { periodEnd = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, cancellationToken);
        return new Programme(campaignId, ids, batch.GetProperty("id").GetString()!);
    }

    /// <summary>A staff user of <paramref name="role"/> made through the API, signed in through /login (antiforgery token and all).</summary>
    private static async Task<HttpClient> SignInAsync(ServiceTarget service, string role, CancellationToken cancellationToken)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        const string password = "Bench-Password-2026";
        await service.PostAsync("api/v1/users", new { email, password, role }, cancellationToken);
        var client = SignedInClient(service);
        using var response = await PostFormAsync(client, "/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Signing in as {role} answered {(int)response.StatusCode}.");
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
