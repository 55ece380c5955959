using System.Net;
using System.Text.Json.Nodes;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using static Ambassadors.Tests.Portal.StatsHtml;

namespace Ambassadors.Tests.Stats;

/// <summary>
/// Potential reach is read from the ambassadors' stored followers total (kept by every save of a profile) and summed in SQL:
/// an ambassador's own, a campaign's current members', a piece's ambassadors who drew clicks with it. It follows profile
/// edits through the API and the portal's profile page, a member joining and a member leaving.
/// </summary>
public abstract class PotentialReachTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task ReachFollowsProfileChangesJoiningAndLeaving()
    {
        var admin = App.Admin();
        var (campaignId, annaId, _) = await admin.CampaignWithMemberAsync(followers: 1000);
        var pieceId = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { title = "Road trip" }))
            .AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var (bram, bramId, _) = await PortalBrowser.SignedInAsync(App, campaignId, name: "Bram Jansen", followers: 300);
        var carlaId = (await admin.CreateAmbassadorAsync(followers: 50))["id"].Str();

        async Task<long> ReachAsync(string path) =>
            (await (await admin.GetAsync($"/api/v1/{path}/stats")).AssertJsonAsync(HttpStatusCode.OK))["potentialReach"].Long();
        async Task<string> PortalReachAsync() => Text(Part(await bram.GetPageAsync("/portal/stats"), "potential-reach", "</dd>"));

        Assert.Equal(1300, await ReachAsync($"campaigns/{campaignId}"));
        Assert.Equal(1000, await ReachAsync($"ambassadors/{annaId}"));
        Assert.Equal(300, await ReachAsync($"ambassadors/{bramId}"));
        Assert.Equal("300 followers on your social profiles", await PortalReachAsync());

        // Bram edits his profiles in the portal; Anna's are removed through the API.
        var saved = await bram.PostFormAsync("/portal/profile", new Dictionary<string, string>
        {
            ["Name"] = "Bram Jansen",
            ["Rows[0].Network"] = "instagram", ["Rows[0].Handle"] = "@bram", ["Rows[0].Followers"] = "1500",
            ["Rows[1].Network"] = "tiktok", ["Rows[1].Handle"] = "@bramj", ["Rows[1].Followers"] = "3000",
        }, "/portal/profile?handler=Profile");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        (await admin.PatchJsonAsync($"/api/v1/ambassadors/{annaId}", new { socialProfiles = Array.Empty<object>() })).EnsureSuccessStatusCode();
        Assert.Equal(4500, await ReachAsync($"ambassadors/{bramId}"));
        Assert.Equal("4,500 followers on your social profiles", await PortalReachAsync());
        Assert.Equal(0, await ReachAsync($"ambassadors/{annaId}"));
        Assert.Equal(4500, await ReachAsync($"campaigns/{campaignId}"));

        // Carla joins and draws a click with the piece; Bram leaves (his own reach stays his).
        (await admin.EnrolAsync(campaignId, carlaId)).EnsureSuccessStatusCode();
        Assert.Equal(4550, await ReachAsync($"campaigns/{campaignId}"));
        (await admin.DeleteAsync($"/api/v1/campaigns/{campaignId}/ambassadors/{bramId}")).EnsureSuccessStatusCode();
        Assert.Equal(50, await ReachAsync($"campaigns/{campaignId}"));
        Assert.Equal(4500, await ReachAsync($"ambassadors/{bramId}"));

        string carlaPieceCode;
        await using (var db = App.Db())
        {
            carlaPieceCode = await db.ReferralCodes.Where(c => c.ContentId == pieceId && c.AmbassadorId == carlaId).Select(c => c.Code).SingleAsync();
        }
        await App.Visitor().ClickAsync(carlaPieceCode);
        var content = await admin.StatsWhenAsync($"/api/v1/content/{pieceId}/stats", s => s["clicks"].Long() == 1);
        Assert.Equal(50, content["potentialReach"].Long());
        (await admin.PatchJsonAsync($"/api/v1/ambassadors/{carlaId}", new
        {
            socialProfiles = new[] { new { network = "youtube", handle = "carla", followers = 70 }, new { network = "x", handle = "@carla", followers = 5 } },
        })).EnsureSuccessStatusCode();
        Assert.Equal(75, await ReachAsync($"content/{pieceId}"));
        var campaign = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(75, campaign["potentialReach"].Long());
        Assert.Equal(75, FunnelReach(campaign, pieceId));

        // The stored totals equal the profiles' sums.
        await using (var db = App.Db())
        {
            foreach (var ambassador in await db.Ambassadors.AsNoTracking().Where(a => new[] { annaId, bramId, carlaId }.Contains(a.Id)).ToListAsync())
            {
                Assert.Equal(ambassador.SocialProfiles.Sum(p => p.Followers), ambassador.Followers);
            }
        }
    }

    private static long FunnelReach(JsonObject campaign, string pieceId) => campaign["content"]!.AsArray()
        .Single(p => p!["contentId"].Str() == pieceId)!["funnel"]!.AsArray().Single(s => s!["stage"].Str() == "reach")!["count"].Long();
}

public sealed class PotentialReachOnSqlite(SqliteFixture fixture) : PotentialReachTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PotentialReachOnPostgres(PostgresFixture fixture) : PotentialReachTests(fixture), IClassFixture<PostgresFixture>;
