using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ambassadors.Tests.Support;

/// <summary>Setting up money owed and paying it, through the public API.</summary>
public static class PayoutSteps
{
    public const string Iban = "NL91 ABNA 0417 1643 00";

    public static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    /// <summary>Admin, finance and merchant clients, with everything outstanding paid first (tests in a class share a database).</summary>
    public static async Task<(HttpClient Admin, HttpClient Finance, HttpClient Merchant)> PayoutClientsAsync(this AmbassadorsApp app)
    {
        var admin = app.Admin();
        var finance = app.ClientWithKey(await admin.NewKeyAsync("finance"));
        var merchant = app.ClientWithKey(await admin.NewKeyAsync("merchant"));
        await finance.SettleEverythingAsync();
        return (admin, finance, merchant);
    }

    /// <summary>A campaign paying <paramref name="perLead"/> per lead with no holding period, and one member of it.</summary>
    public static Task<(string CampaignId, string AmbassadorId, string Code)> PayingCampaignAsync(this HttpClient admin,
        string currency = "EUR", decimal perLead = 2, int holdingPeriodDays = 0) =>
        admin.CampaignWithMemberAsync(currency, rewards: new { perLead, perSale = 10, salePercent = 5 }, holdingPeriodDays: holdingPeriodDays);

    /// <summary>Another member of the same campaign.</summary>
    public static async Task<(string AmbassadorId, string Code)> MemberAsync(this HttpClient admin, string campaignId)
    {
        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();
        var code = (await (await admin.EnrolAsync(campaignId, ambassadorId)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        return (ambassadorId, code);
    }

    /// <summary>Leads through a referral code; returns their external ids.</summary>
    public static async Task<List<string>> LeadsAsync(this HttpClient merchant, string code, int count, DateTimeOffset? occurredAt = null)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var externalId = $"lead-{Guid.NewGuid():N}";
            await (await merchant.ConvertAsync(new { externalId, kind = "lead", referralCode = code, occurredAt = occurredAt ?? DateTimeOffset.UtcNow.AddMinutes(-5) }))
                .AssertJsonAsync(HttpStatusCode.Created);
            ids.Add(externalId);
        }
        return ids;
    }

    public static async Task BankDetailsAsync(this HttpClient finance, string ambassadorId, string legalName = "Anna de Vries") =>
        await (await finance.PutAsJsonAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details",
            new { method = "bank", legalName, country = "NL", iban = Iban, bic = "ABNANL2A" })).AssertJsonAsync(HttpStatusCode.OK);

    public static Task<HttpResponseMessage> CreateBatchAsync(this HttpClient finance, string? periodEnd = null, decimal? minimumAmount = null) =>
        finance.PostJsonAsync("/api/v1/payouts", new { periodEnd = periodEnd ?? Today, minimumAmount });

    /// <summary>Pays everything outstanding, so a test starts from a ledger with nothing payable (tests in a class share a database).</summary>
    public static async Task SettleEverythingAsync(this HttpClient finance)
    {
        var response = await finance.CreateBatchAsync();
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity) return;
        var id = (await response.AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        await (await finance.PostAsync($"/api/v1/payouts/{id}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await finance.PostAsync($"/api/v1/payouts/{id}/paid", null)).AssertJsonAsync(HttpStatusCode.OK);
    }

    public static async Task<JsonObject> BatchAsync(this HttpClient finance, string id) =>
        await (await finance.GetAsync($"/api/v1/payouts/{id}")).AssertJsonAsync(HttpStatusCode.OK);

    /// <summary>The batch's line for a payee in a currency, or null.</summary>
    public static JsonNode? LineOf(this JsonObject batch, string ambassadorId, string currency = "EUR") =>
        batch["lineItems"]!.AsArray().SingleOrDefault(l => l!["ambassadorId"].Str() == ambassadorId && l["currency"].Str() == currency);
}
