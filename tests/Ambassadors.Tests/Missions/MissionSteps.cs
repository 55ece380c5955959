using System.Net;
using System.Text.Json.Nodes;

namespace Ambassadors.Tests.Missions;

/// <summary>Missions set up through the public API and the portal's form, as managers and ambassadors do.</summary>
public static class MissionSteps
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd");

    /// <summary>A campaign (EUR unless told) with its holding period, for missions.</summary>
    public static async Task<string> MissionCampaignAsync(this HttpClient admin, int holdingPeriodDays = 14, string currency = "EUR", string name = "Fiesta Movement")
    {
        var campaign = await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name, objective = "brand", destinationUrl = "https://shop.example/fiesta", currency, holdingPeriodDays,
            rewards = new { perLead = 2 },
        })).AssertJsonAsync(HttpStatusCode.Created);
        return campaign["id"].Str();
    }

    /// <summary>A mission running from <paramref name="startsIn"/> to <paramref name="dueIn"/> days from today.</summary>
    public static async Task<JsonObject> CreateMissionAsync(this HttpClient admin, string campaignId, object? bonus = null, int startsIn = -2, int dueIn = 5,
        string title = "Mission 1: show the Fiesta at a landmark")
    {
        var response = await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/missions", new
        {
            title, brief = "Take the Fiesta somewhere people know.\nPost a photo or a video with #FiestaMovement.",
            startsOn = Day(startsIn), dueOn = Day(dueIn), bonus,
        });
        return await response.AssertJsonAsync(HttpStatusCode.Created);
    }

    /// <summary>Sends proof through the portal's form (with its antiforgery token).</summary>
    public static Task<HttpResponseMessage> SendProofAsync(this StaffBrowser ambassador, string missionId, string proofUrl = "https://instagram.example/p/fiesta-1",
        string note = "At the Dom tower") =>
        ambassador.PostFormAsync($"/portal/missions/{missionId}", new Dictionary<string, string> { ["ProofUrl"] = proofUrl, ["Note"] = note });

    /// <summary>The ambassador's submission of the mission, through the API (manager).</summary>
    public static async Task<JsonObject> SubmissionOfAsync(this HttpClient admin, string missionId, string ambassadorId) =>
        (await (await admin.GetAsync($"/api/v1/missions/{missionId}/submissions")).AssertJsonArrayAsync(HttpStatusCode.OK))
        .Single(s => s!["ambassadorId"].Str() == ambassadorId)!.AsObject();

    /// <summary>A member of the campaign, signed in to the portal, who sent proof for the mission; returns the submission's id.</summary>
    public static async Task<(StaffBrowser Browser, string AmbassadorId, string SubmissionId)> MemberWithProofAsync(AmbassadorsApp app, string campaignId,
        string missionId, string? name = null)
    {
        var (browser, ambassadorId, _) = await PortalBrowser.SignedInAsync(app, campaignId, name);
        var sent = await browser.SendProofAsync(missionId);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        return (browser, ambassadorId, (await app.Admin().SubmissionOfAsync(missionId, ambassadorId))["id"].Str());
    }

    /// <summary>The amount of a currency in a stats money list (0 when absent).</summary>
    public static decimal AmountIn(JsonNode? list, string currency = "EUR") =>
        list!.AsArray().Where(m => m!["currency"].Str() == currency).Sum(m => m!["amount"].Dec());
}
