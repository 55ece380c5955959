using System.Net;
using System.Text.Json.Nodes;

namespace Ambassadors.Tests.Support;

/// <summary>Short ways to set up what most tests need, through the public API.</summary>
public static class Scenario
{
    public static async Task<JsonObject> CreateCampaignAsync(this HttpClient client, string currency = "EUR", int? capacity = null, string name = "Fiesta Movement")
    {
        var response = await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name,
            objective = "sales",
            destinationUrl = "https://shop.example/fiesta?utm_source=ambassadors",
            currency,
            startsOn = "2026-09-01",
            endsOn = "2027-02-28",
            capacity,
            rewards = new { perLead = 2, perSale = 10, salePercent = 5 },
        });
        return await response.AssertJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonObject> CreateAmbassadorAsync(this HttpClient client, string? email = null, long followers = 1000)
    {
        var response = await client.PostJsonAsync("/api/v1/ambassadors", new
        {
            name = "Anna de Vries",
            email = email ?? $"anna.{Guid.NewGuid():N}@example.com",
            socialProfiles = new[] { new { network = "instagram", handle = "@anna", followers } },
        });
        return await response.AssertJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<HttpResponseMessage> EnrolAsync(this HttpClient client, string campaignId, string ambassadorId, string? referralCode = null) =>
        await client.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId, referralCode });

    public static async Task<string> NewKeyAsync(this HttpClient admin, string role)
    {
        var response = await admin.PostJsonAsync("/api/v1/api-keys", new { name = $"{role} key", role });
        return (await response.AssertJsonAsync(HttpStatusCode.Created))["key"].Str();
    }
}
