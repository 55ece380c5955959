using System.Net;
using System.Text.Json.Nodes;

namespace Ambassadors.Tests.Support;

/// <summary>Ambassadors in the portal: invited through the API, onboarded through the invitation's page, signed in.</summary>
public static class PortalBrowser
{
    public const string Password = "Portal-Anna-2026";

    /// <summary>A new invitation link for the ambassador, through <c>POST /api/v1/ambassadors/{id}/invitation</c>; returns its path.</summary>
    public static async Task<string> InvitationPathAsync(AmbassadorsApp app, string ambassadorId)
    {
        var invitation = await (await app.Admin().PostJsonAsync($"/api/v1/ambassadors/{ambassadorId}/invitation", new { }))
            .AssertJsonAsync(HttpStatusCode.Created);
        return new Uri(invitation["url"].Str()).PathAndQuery;
    }

    /// <summary>Posts the invitation page's form (with its antiforgery token) with the password typed twice.</summary>
    public static Task<HttpResponseMessage> AcceptInvitationAsync(StaffBrowser browser, string path, string password = Password) =>
        browser.PostFormAsync(path, new Dictionary<string, string> { ["Password"] = password, ["Confirm"] = password });

    /// <summary>
    /// A new ambassador (optionally a member of <paramref name="campaignId"/>) who accepted an invitation: the browser is
    /// signed in to the portal.
    /// </summary>
    public static async Task<(StaffBrowser Browser, string AmbassadorId, string Email)> SignedInAsync(
        AmbassadorsApp app, string? campaignId = null, string? name = null, long followers = 1000)
    {
        var email = $"anna.{Guid.NewGuid():N}@example.com";
        var created = await (await app.Admin().PostJsonAsync("/api/v1/ambassadors", new
        {
            name = name ?? "Anna de Vries",
            email,
            socialProfiles = new[] { new { network = "instagram", handle = "@anna", followers } },
        })).AssertJsonAsync(HttpStatusCode.Created);
        var id = created["id"].Str();
        if (campaignId is not null) await (await app.Admin().EnrolAsync(campaignId, id)).AssertJsonAsync(HttpStatusCode.Created);
        var browser = StaffBrowser.Open(app);
        var accepted = await AcceptInvitationAsync(browser, await InvitationPathAsync(app, id));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/portal", accepted.Headers.Location!.OriginalString);
        return (browser, id, email);
    }

    /// <summary>The ambassador's referral code in the campaign (from the membership's API).</summary>
    public static async Task<JsonObject> EnrolAsync(AmbassadorsApp app, string campaignId, string ambassadorId) =>
        await (await app.Admin().EnrolAsync(campaignId, ambassadorId)).AssertJsonAsync(HttpStatusCode.Created);
}
