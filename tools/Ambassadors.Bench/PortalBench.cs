using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ambassadors.Bench;

/// <summary>
/// Server time of the ambassadors' portal pages for one ambassador, on the real service (SQLite): p50 of sequential GETs on
/// loopback, signed in as that ambassador (through the invitation's page, as a person would), against <c>GET /health</c> of
/// the same process (= 1.00), with one campaign's worth of data and with <c>--campaigns</c> campaigns' worth (issue 13:
/// under 50 ms each with 100 campaigns). Each campaign has the ambassador and other members, a content piece, real clicks
/// through <c>/r/{code}</c>, leads and sales (paid out in one batch, so the ambassador has a statement) and some pending.
/// </summary>
public static class PortalBench
{
    private static readonly int Reads = BenchMode.Scaled(100, 5);

    /// <summary>The target of issue 13, in milliseconds of server time per page.</summary>
    public const double TargetMs = 50;

    /// <summary>What the seeded data holds, for building page paths.</summary>
    public sealed record Seeded(string AmbassadorId, string CampaignId, string Code, string BatchId);

    public sealed record Page(string Name, Func<Seeded, string> Path);

    public static readonly IReadOnlyList<Page> Pages =
    [
        new("home", _ => "/portal"),
        new("links", _ => "/portal/links"),
        new("a link's QR code (PNG)", s => $"/portal/links/{s.Code}/qr.png"),
        new("stats", _ => "/portal/stats"),
        new("a campaign's stats", s => $"/portal/stats/{s.CampaignId}"),
        new("earnings", _ => "/portal/earnings"),
        new("a statement", s => $"/portal/earnings/statements/{s.BatchId}"),
        new("a statement (.xlsx)", s => $"/portal/earnings/statements/{s.BatchId}.xlsx"),
        new("profile", _ => "/portal/profile"),
    ];

    public static async Task<int> RunAsync(int campaigns, int members, int clicks, CancellationToken cancellationToken)
    {
        var rows = new List<(string Size, string Page, double P50, double Ratio)>();
        // A smoke run measures the larger size only: one service start fewer, and both sizes run the same code.
        (string Size, int Count)[] sizes = BenchMode.Smoke
            ? [($"{campaigns} campaigns", campaigns)]
            : [("1 campaign", 1), ($"{campaigns} campaigns", campaigns)];
        foreach (var (size, count) in sizes)
        {
            await Console.Error.WriteLineAsync($"{size}: seeding…");
            await using var service = await ServiceTarget.StartAsync(recordClicks: true, cancellationToken);
            var seeded = await SeedAsync(service, count, members, clicks, cancellationToken);
            using var ambassador = await SignInAsync(service, seeded.AmbassadorId, cancellationToken);
            var health = (await StatsBench.MeasureAsync(service.Admin, "/health", 50, Reads, cancellationToken)).P50;
            rows.Add((size, "GET /health (baseline)", health, 1));
            foreach (var page in Pages)
            {
                var p50 = (await StatsBench.MeasureAsync(ambassador, page.Path(seeded), 10, Reads, cancellationToken)).P50;
                rows.Add((size, page.Name, p50, p50 / health));
            }
        }
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Portal pages, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SQLite; p50 of {Reads} " +
                                           $"sequential GETs on loopback, signed in as one ambassador who is in every campaign with {members} other members, " +
                                           $"{clicks} clicks of theirs per campaign; ratio against GET /health of the same process; target < {TargetMs} ms at {campaigns} campaigns"));
        Console.WriteLine($"{"size",-14} {"page",-26} {"p50 ms",8} {"vs /health",11} {"vs 1",8} {"target",7}");
        var missed = 0;
        foreach (var row in rows)
        {
            var one = rows.First(r => r.Page == row.Page).P50;
            var met = row.P50 < TargetMs ? "met" : "MISSED";
            if (row.P50 >= TargetMs && row.Size != "1 campaign") missed++;
            Console.WriteLine(string.Create(c, $"{row.Size,-14} {row.Page,-26} {row.P50,8:0.00} {row.Ratio,11:0.0} {row.P50 / one,8:0.00} {met,7}"));
        }
        Console.WriteLine(missed == 0 ? "Every portal page met the target." : $"{missed} portal page(s) missed the target.");
        return 0;
    }

    /// <summary>
    /// <paramref name="campaigns"/> campaigns with the ambassador and <paramref name="members"/> others each, one piece each,
    /// clicks, two leads and three sales of the ambassador per campaign (sales 30 days old, so approved; one lead today,
    /// pending), one sale per other member; the approved rewards paid in one batch.
    /// </summary>
    private static async Task<Seeded> SeedAsync(ServiceTarget service, int campaigns, int members, int clicks, CancellationToken cancellationToken)
    {
        var me = (await service.PostAsync("api/v1/ambassadors", new
        {
            name = "Anna de Vries", email = $"anna-{Guid.NewGuid():N}@example.com",
            socialProfiles = new[] { new { network = "instagram", handle = "@anna", followers = 12_400 } },
        }, cancellationToken)).GetProperty("id").GetString()!;
        using (var details = await service.Admin.PutAsJsonAsync($"api/v1/ambassadors/{me}/payout-details", new
               {
                   method = "bank", legalName = "Anna de Vries", country = "NL", iban = "NL91 ABNA 0417 1643 00", bic = "ABNANL2A",
               }, cancellationToken))
        {
            details.EnsureSuccessStatusCode();
        }
        var merchant = new HttpClient { BaseAddress = service.BaseAddress };
        merchant.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await service.CreateKeyAsync("merchant", cancellationToken));
        var redirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = service.BaseAddress };
        var firstCampaign = "";
        var firstCode = "";
        var next = -1;
        var old = DateTimeOffset.UtcNow.AddDays(-30);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(4, campaigns)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < campaigns)
            {
                var campaignId = (await service.PostAsync("api/v1/campaigns", new
                {
                    name = $"Campaign {i + 1}", objective = "sales", destinationUrl = "https://shop.example/?utm_source=ambassadors",
                    currency = "EUR", startsOn = "2026-01-01", holdingPeriodDays = 14, rewards = new { perLead = 2m, perSale = 10m, salePercent = 5m },
                }, cancellationToken)).GetProperty("id").GetString()!;
                await service.PostAsync($"api/v1/campaigns/{campaignId}/content", new { title = $"Piece {i + 1}" }, cancellationToken);
                var code = (await service.PostAsync($"api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = me }, cancellationToken))
                    .GetProperty("referralCode").GetString()!;
                if (i == 0) (firstCampaign, firstCode) = (campaignId, code);
                var codes = new List<string> { code };
                for (var m = 0; m < members; m++)
                {
                    var other = (await service.PostAsync("api/v1/ambassadors", new
                    {
                        name = $"Member {m} Example", email = $"member-{Guid.NewGuid():N}@example.com",
                    }, cancellationToken)).GetProperty("id").GetString()!;
                    var theirs = (await service.PostAsync($"api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = other }, cancellationToken))
                        .GetProperty("referralCode").GetString()!;
                    codes.Add(theirs);
                    await ConvertAsync(merchant, theirs, "sale", old, cancellationToken);
                }
                for (var k = 0; k < clicks; k++)
                {
                    using var click = await redirects.GetAsync($"/r/{codes[k % codes.Count]}", cancellationToken);
                    if (click.StatusCode != HttpStatusCode.Found) throw new InvalidOperationException($"/r answered {(int)click.StatusCode}.");
                }
                for (var s = 0; s < 3; s++) await ConvertAsync(merchant, code, "sale", old, cancellationToken);
                await ConvertAsync(merchant, code, "lead", old, cancellationToken);
                await ConvertAsync(merchant, code, "lead", DateTimeOffset.UtcNow.AddMinutes(-5), cancellationToken);
            }
        }));
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var batch = (await service.PostAsync("api/v1/payouts", new { periodEnd = today }, cancellationToken)).GetProperty("id").GetString()!;
        foreach (var step in new[] { "approve", "paid" })
        {
            using var response = await service.Admin.PostAsync($"api/v1/payouts/{batch}/{step}", null, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        return new Seeded(me, firstCampaign, firstCode, batch);
    }

    private static async Task ConvertAsync(HttpClient merchant, string code, string kind, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        using var response = await merchant.PostAsJsonAsync("api/v1/conversions", new
        {
            externalId = $"portal-{Guid.NewGuid():N}", kind, amount = kind == "sale" ? 80m : (decimal?)null, currency = kind == "sale" ? "EUR" : null,
            referralCode = code, occurredAt,
        }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"A {kind} answered {(int)response.StatusCode}.");
    }

    /// <summary>The ambassador's invitation made through the API, its page opened and its form posted: the client is signed in.</summary>
    private static async Task<HttpClient> SignInAsync(ServiceTarget service, string ambassadorId, CancellationToken cancellationToken)
    {
        var invitation = await service.PostAsync($"api/v1/ambassadors/{ambassadorId}/invitation", new { }, cancellationToken);
        var path = new Uri(invitation.GetProperty("url").GetString()!).PathAndQuery;
        var client = PagesBench.SignedInClient(service);
        const string password = "Bench-Portal-2026";
        using var response = await PagesBench.PostFormAsync(client, path,
            new Dictionary<string, string> { ["Password"] = password, ["Confirm"] = password }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Accepting the invitation answered {(int)response.StatusCode}.");
        }
        return client;
    }
}
