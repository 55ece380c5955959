using System.Net;
using System.Text.RegularExpressions;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Missions;

/// <summary>
/// The managers' missions pages: a campaign's missions (current, upcoming, past, with human dates in English and Dutch,
/// counts and who completed each) and the form that makes one; a mission's page with its submissions and the bulk
/// review (a confirmation naming how many and the bonus, then the result); the edit page; and who may open them.
/// </summary>
public abstract partial class MissionPagesTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private static string Text(string html) => WebUtility.HtmlDecode(Tags().Replace(html, " ")).Replace('\u00a0', ' ');

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static string Words(string html) => Spaces().Replace(Text(html), " ");

    [SkippableFact]
    public async Task ACampaignsMissionsShowWhenTheyRunTheirCountsAndWhoCompletedThemInBothLanguages()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(name: "Movement pages");
        var current = (await admin.CreateMissionAsync(campaignId, bonus: 25, startsIn: -1, dueIn: 3, title: "Landmark photo"))["id"].Str();
        await admin.CreateMissionAsync(campaignId, startsIn: 3, dueIn: 20, title: "Road trip video");
        await admin.CreateMissionAsync(campaignId, bonus: 10, startsIn: -20, dueIn: -2, title: "Unboxing");
        var (_, _, accepted) = await MissionSteps.MemberWithProofAsync(App, campaignId, current);
        await MissionSteps.MemberWithProofAsync(App, campaignId, current);
        await (await admin.PostAsync($"/api/v1/submissions/{accepted}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);

        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var html = await manager.GetPageAsync($"/manage/campaigns/{campaignId}/missions");
        var words = Words(html);
        Assert.Contains("data-testid=\"tab-missions\"", html);
        Assert.Contains("aria-current=\"page\" data-testid=\"tab-missions\"", html);
        Assert.Contains("Running now (1)", words);
        Assert.Contains("Landmark photo", words);
        Assert.Contains("3 days left", words);
        Assert.Contains("Starts in 3 days", words);
        Assert.Contains("Ended 2 days ago", words);
        Assert.Contains("25.00 EUR", words);
        Assert.Contains("No bonus", words);
        Assert.Contains("1 of 2 members completed it (50%)", words);
        Assert.Contains($"href=\"/manage/missions/{current}\"", html);

        manager.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl");
        var dutch = Words(await manager.GetPageAsync($"/manage/campaigns/{campaignId}/missions"));
        Assert.Contains("Nu bezig (1)", dutch);
        Assert.Contains("Nog 3 dagen", dutch);
        Assert.Contains("Begint over 3 dagen", dutch);
        Assert.Contains("2 dagen geleden afgelopen", dutch);
        Assert.Contains("25,00 EUR", dutch);
        Assert.Contains("1 van 2 leden voltooiden hem (50%)", dutch);
    }

    [SkippableFact]
    public async Task TheFormRefusesBadFieldsBesideThemAndStoresNothingThenMakesTheMission()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(name: "Form campaign");
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var page = $"/manage/campaigns/{campaignId}/missions";
        var bad = await manager.PostFormAsync(page, new Dictionary<string, string>
        {
            ["Form.Title"] = "", ["Form.Brief"] = "Do it", ["Form.StartsOn"] = MissionSteps.Day(5), ["Form.DueOn"] = MissionSteps.Day(1), ["Form.Bonus"] = "1,005",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-title\"", html);
        Assert.Contains("data-testid=\"error-dueOn\"", html);
        Assert.Contains("at most 2 decimals (EUR)", Words(html));
        Assert.DoesNotContain("data-testid=\"error-brief\"", html);
        Assert.Contains("value=\"1,005\"", html);
        Assert.Empty(await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/missions")).AssertJsonArrayAsync(HttpStatusCode.OK));

        var unreadable = await manager.PostFormAsync(page, new Dictionary<string, string>
        {
            ["Form.Title"] = "T", ["Form.Brief"] = "B", ["Form.StartsOn"] = "2026-02-30", ["Form.DueOn"] = "soon",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unreadable.StatusCode);
        var unreadableHtml = await unreadable.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-startsOn\"", unreadableHtml);
        Assert.Contains("data-testid=\"error-dueOn\"", unreadableHtml);

        var made = await manager.PostFormAsync(page, new Dictionary<string, string>
        {
            ["Form.Title"] = "Mission 2: a road trip", ["Form.Brief"] = "Drive somewhere new.\nShow us.", ["Form.StartsOn"] = MissionSteps.Day(0),
            ["Form.DueOn"] = MissionSteps.Day(10), ["Form.Bonus"] = "17,50",
        });
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var location = made.Headers.Location!.OriginalString;
        Assert.StartsWith("/manage/missions/msn_", location);
        var missionPage = Words(await manager.GetPageAsync(location));
        Assert.Contains("Mission \u201cMission 2: a road trip\u201d created.", missionPage);
        Assert.Contains("17.50 EUR", missionPage);
        Assert.Contains("10 days left", missionPage);
        var stored = Assert.Single(await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/missions")).AssertJsonArrayAsync(HttpStatusCode.OK))!;
        Assert.Equal(17.50m, stored["bonus"]!["amount"].Dec());
        Assert.Equal("Drive somewhere new.\nShow us.", stored["brief"].Str());
    }

    [SkippableFact]
    public async Task BulkAcceptAsksFirstNamingHowManyAndTheBonusThenSaysWhatHappened()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(name: "Bulk campaign");
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 25))["id"].Str();
        var ids = new List<string>();
        var people = new List<string>();
        foreach (var name in new[] { "Anna de Vries", "Bram Jansen", "Carla Smit" })
        {
            var (_, ambassador, submission) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId, name);
            ids.Add(submission);
            people.Add(ambassador);
        }
        await (await admin.PostAsync($"/api/v1/submissions/{ids[0]}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);

        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var page = $"/manage/missions/{missionId}";
        var html = await manager.GetPageAsync(page);
        Assert.Contains($"href=\"/manage/ambassadors/{people[1]}\"", html);
        Assert.Contains("href=\"https://instagram.example/p/fiesta-1\" rel=\"noopener noreferrer\" target=\"_blank\"", html);
        Assert.Contains("At the Dom tower", html);
        Assert.Contains("data-testid=\"tab-missions\"", html);

        var form = ids.Select(i => new KeyValuePair<string, string>("ids", i)).Append(new("decision", "accept")).ToList();
        var ask = await PostAsync(manager, page, $"{page}?handler=Review", form);
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        var askHtml = await ask.Content.ReadAsStringAsync();
        var asked = Words(askHtml);
        Assert.Contains("Accept 3 submissions?", asked);
        Assert.Contains("2 \u00d7 25.00 EUR = 50.00 EUR will be added to the ledger", asked);
        Assert.Contains("1 of them were already reviewed", asked);
        await using (var db = App.Db()) Assert.Equal(1, await db.Ledger.CountAsync(e => e.SubmissionId != null && ids.Contains(e.SubmissionId)));

        var confirm = ids.Select(i => new KeyValuePair<string, string>("ids", i)).Append(new("decision", "accept")).Append(new("confirmed", "true")).ToList();
        var done = await PostAsync(manager, page, $"{page}?handler=Review", confirm);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var after = Words(await manager.GetPageAsync(done.Headers.Location!.OriginalString));
        Assert.Contains("2 accepted, 1 already accepted", after);
        await using (var db = App.Db()) Assert.Equal(3, await db.Ledger.CountAsync(e => e.SubmissionId != null && ids.Contains(e.SubmissionId)));

        // The filter shows one status; the accepted ones carry their bonus.
        var acceptedOnly = await manager.GetPageAsync($"{page}?status=accepted");
        Assert.Equal(3, Regex.Matches(acceptedOnly, "data-testid=\"submission\"").Count);
        Assert.Contains("Bonus 25.00 EUR", Words(acceptedOnly));
        Assert.DoesNotContain("data-testid=\"submission\"", await manager.GetPageAsync($"{page}?status=submitted"));
    }

    [SkippableFact]
    public async Task BulkRejectNeedsAReasonWhichTheAmbassadorThenReads()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(name: "Reject campaign");
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 5))["id"].Str();
        var (anna, _, first) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);
        var (_, _, second) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var page = $"/manage/missions/{missionId}";

        var noReason = await PostAsync(manager, page, $"{page}?handler=Review", [new("ids", first), new("ids", second), new("decision", "reject"), new("reason", " ")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Contains("data-testid=\"error-reason\"", await noReason.Content.ReadAsStringAsync());

        var none = await PostAsync(manager, page, $"{page}?handler=Review", [new("decision", "reject"), new("reason", "x")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        Assert.Contains("Select at least one submission first.", await none.Content.ReadAsStringAsync());

        var reason = "The Fiesta is not in the photo.";
        var ask = await PostAsync(manager, page, $"{page}?handler=Review", [new("ids", first), new("ids", second), new("decision", "reject"), new("reason", reason)]);
        var asked = Words(await ask.Content.ReadAsStringAsync());
        Assert.Contains("Reject 2 submissions?", asked);
        Assert.Contains(reason, asked);
        var done = await PostAsync(manager, page, $"{page}?handler=Review",
            [new("ids", first), new("ids", second), new("decision", "reject"), new("reason", reason), new("confirmed", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Contains("2 rejected", Words(await manager.GetPageAsync(done.Headers.Location!.OriginalString)));

        var portal = Words(await anna.GetPageAsync($"/portal/missions/{missionId}"));
        Assert.Contains(reason, portal);
        Assert.Contains("Send your proof again", portal);
    }

    [SkippableFact]
    public async Task TheEditPageChangesAMissionWithTheSameRules()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(name: "Edit campaign");
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 5))["id"].Str();
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var page = $"/manage/missions/{missionId}/edit";
        var form = await manager.GetPageAsync(page);
        Assert.Contains("value=\"Mission 1: show the Fiesta at a landmark\"", form);
        Assert.Contains("value=\"5.00\"", form);

        var bad = await manager.PostFormAsync(page, new Dictionary<string, string>
        {
            ["Form.Title"] = "Renamed", ["Form.Brief"] = "B", ["Form.StartsOn"] = MissionSteps.Day(0), ["Form.DueOn"] = MissionSteps.Day(-3), ["Form.Bonus"] = "",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("data-testid=\"error-dueOn\"", await bad.Content.ReadAsStringAsync());

        var saved = await manager.PostFormAsync(page, new Dictionary<string, string>
        {
            ["Form.Title"] = "Renamed", ["Form.Brief"] = "New brief", ["Form.StartsOn"] = MissionSteps.Day(0), ["Form.DueOn"] = MissionSteps.Day(7), ["Form.Bonus"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/manage/missions/{missionId}", saved.Headers.Location!.OriginalString);
        var mission = await (await admin.GetAsync($"/api/v1/missions/{missionId}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", mission["title"].Str());
        Assert.Null(mission["bonus"]);
        await using var db = App.Db();
        Assert.Contains(await db.AuditLog.Where(a => a.EntityId == missionId).Select(a => a.Action).ToListAsync(), a => a == "mission.updated");
    }

    [SkippableFact]
    public async Task StrangersSignInOtherRolesGet403AndUnknownIds404()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(name: "Access campaign");
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 5))["id"].Str();
        var paths = new[] { $"/manage/campaigns/{campaignId}/missions", $"/manage/missions/{missionId}", $"/manage/missions/{missionId}/edit" };
        var stranger = StaffBrowser.Open(App);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        var (ambassador, _, _) = await PortalBrowser.SignedInAsync(App, campaignId);
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var (adminUser, _) = await StaffBrowser.SignedInAsync(App, "admin");
        foreach (var path in paths)
        {
            var anonymous = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal("/login", anonymous.Headers.Location!.AbsolutePath);
            foreach (var refused in new[] { finance, ambassador })
            {
                var response = await refused.GetAsync(path);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Null(response.Headers.Location);
            }
            await manager.GetPageAsync(path);
            await adminUser.GetPageAsync(path);
        }
        foreach (var path in new[] { "/manage/campaigns/cmp_nosuchcampaign/missions", "/manage/missions/msn_nosuchmission", "/manage/missions/msn_nosuchmission/edit", "/manage/missions/x" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync(path)).StatusCode);
        }
        var post = await finance.Client.PostAsync($"/manage/missions/{missionId}?handler=Review",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["decision"] = "accept" }));
        Assert.True(post.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"A finance post answered {post.StatusCode}.");
    }

    /// <summary>Posts form fields (repeatable names) with the antiforgery token of <paramref name="pageUrl"/>.</summary>
    private static async Task<HttpResponseMessage> PostAsync(StaffBrowser browser, string pageUrl, string action, List<KeyValuePair<string, string>> fields)
    {
        var token = StaffBrowser.TokenIn(await browser.GetPageAsync(pageUrl));
        fields.Add(new("__RequestVerificationToken", token));
        return await browser.Client.PostAsync(action, new FormUrlEncodedContent(fields));
    }
}

public sealed class MissionPagesOnSqlite(SqliteFixture fixture) : MissionPagesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MissionPagesOnPostgres(PostgresFixture fixture) : MissionPagesTests(fixture), IClassFixture<PostgresFixture>;
