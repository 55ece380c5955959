using System.Net;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Portal;

/// <summary>Money for an ambassador signed in to the portal, set up through the public API: campaigns, conversions, batches.</summary>
public static class EarningsSteps
{
    /// <summary>A campaign without dates paying 2 a lead (or <paramref name="perLead"/>) and 10 + 5 % a sale, with the holding period given.</summary>
    public static async Task<string> CampaignAsync(this HttpClient admin, string name, int holdingPeriodDays, decimal perLead = 2, string currency = "EUR")
    {
        var campaign = await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name,
            objective = "sales",
            destinationUrl = "https://shop.example/fiesta",
            currency,
            holdingPeriodDays,
            rewards = new { perLead, perSale = 10, salePercent = 5 },
        })).AssertJsonAsync(HttpStatusCode.Created);
        return campaign["id"].Str();
    }

    /// <summary>The ambassador's referral code in the campaign.</summary>
    public static async Task<string> CodeAsync(AmbassadorsApp app, string ambassadorId, string campaignId)
    {
        await using var db = app.Db();
        return await db.Memberships.Where(m => m.AmbassadorId == ambassadorId && m.CampaignId == campaignId).Select(m => m.ReferralCode).SingleAsync();
    }

    public static async Task<string> SaleAsync(this HttpClient merchant, string code, decimal amount, string currency = "EUR")
    {
        var externalId = $"order-{Guid.NewGuid():N}"[..20];
        await (await merchant.ConvertAsync(new { externalId, kind = "sale", amount, currency, referralCode = code, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-5) }))
            .AssertJsonAsync(HttpStatusCode.Created);
        return externalId;
    }

    /// <summary>A draft batch of everything payable now; returns its id.</summary>
    public static async Task<string> DraftAsync(this HttpClient finance) =>
        (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

    /// <summary>A batch of everything payable now, approved and paid on <paramref name="paymentDate"/>; returns its id.</summary>
    public static async Task<string> PaidBatchAsync(this HttpClient finance, string paymentDate)
    {
        var id = await finance.DraftAsync();
        await (await finance.PostAsync($"/api/v1/payouts/{id}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await finance.PostJsonAsync($"/api/v1/payouts/{id}/paid", new { paymentDate, reference = "SEPA-TEST" })).AssertJsonAsync(HttpStatusCode.OK);
        return id;
    }

    public static async Task DiscardAsync(this HttpClient finance, string batchId) =>
        await (await finance.PostAsync($"/api/v1/payouts/{batchId}/discard", null)).AssertJsonAsync(HttpStatusCode.OK);

    /// <summary>Whether the response is the sign-in page's redirect.</summary>
    public static void AssertSignInRedirect(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));
    }

    /// <summary>The texts of an element with the test id, as a rough check of what a person reads (tags stripped, spaces collapsed).</summary>
    public static string Text(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " "), @"\s+", " ")).Trim();

    /// <summary>What an element with data-testid="<paramref name="testId"/>" (up to its closing tag of the same name) reads.</summary>
    public static string Section(string html, string testId)
    {
        var at = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"No element with data-testid=\"{testId}\".");
        var open = html.LastIndexOf('<', at);
        var tag = html[(open + 1)..].Split(' ', '>')[0];
        var depth = 0;
        var i = open;
        while (i < html.Length)
        {
            var nextOpen = html.IndexOf("<" + tag, i + 1, StringComparison.Ordinal);
            var nextClose = html.IndexOf("</" + tag + ">", i + 1, StringComparison.Ordinal);
            if (nextClose < 0) break;
            if (nextOpen >= 0 && nextOpen < nextClose)
            {
                depth++;
                i = nextOpen;
                continue;
            }
            if (depth == 0) return Text(html[open..(nextClose + tag.Length + 3)]);
            depth--;
            i = nextClose;
        }
        return Text(html[open..]);
    }

    public static async Task<LedgerEntry[]> EntriesOfAsync(AmbassadorsApp app, string ambassadorId)
    {
        await using var db = app.Db();
        return await db.Ledger.AsNoTracking().Where(e => e.AmbassadorId == ambassadorId).ToArrayAsync();
    }
}
