using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Missions;

/// <summary>
/// The portal's missions: the current missions of my campaigns (what to do, when due, bonus, my status) and past ones
/// with my result, in English and Dutch; a mission's page with the proof form while it runs, the review (accepted: the
/// bonus and when it becomes payable; rejected: the reason and the form again); and a mission of a campaign I am not
/// (or no longer) in, or a guessed id, answers 404.
/// </summary>
public abstract partial class MissionPortalTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static string Words(string html) => Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")).Replace('\u00a0', ' '), " ");

    [SkippableFact]
    public async Task MyMissionsListWhatRunsWhenItIsDueTheBonusAndMyStatusThenPastOnesWithMyResult()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(name: "Portal campaign");
        var other = await admin.MissionCampaignAsync(name: "Someone else's campaign");
        var current = (await admin.CreateMissionAsync(campaignId, bonus: 25, startsIn: -1, dueIn: 5, title: "Landmark photo"))["id"].Str();
        var past = (await admin.CreateMissionAsync(campaignId, bonus: 10, startsIn: -30, dueIn: -3, title: "Unboxing"))["id"].Str();
        await admin.CreateMissionAsync(other, bonus: 99, title: "Not for Anna");
        var (anna, _, _) = await PortalBrowser.SignedInAsync(App, campaignId);

        var html = await anna.GetPageAsync("/portal/missions");
        var words = Words(html);
        Assert.Contains("To do now", words);
        Assert.Contains("Landmark photo", words);
        Assert.Contains("5 days left", words);
        Assert.Contains("25.00 EUR", words);
        Assert.Contains("Not sent yet", words);
        Assert.Contains("Past missions", words);
        Assert.Contains("Ended 3 days ago", words);
        Assert.DoesNotContain("Not for Anna", words);
        Assert.Contains($"href=\"/portal/missions/{current}\"", html);
        Assert.Contains($"href=\"/portal/missions/{past}\"", html);
        Assert.True(html.IndexOf(current, StringComparison.Ordinal) < html.IndexOf(past, StringComparison.Ordinal), "Current missions come before past ones.");

        // The home page reminds of what is due within a week and waits for proof; once it is sent, the reminder goes.
        var home = await anna.GetPageAsync("/portal");
        Assert.Contains("Missions due soon", Words(home));
        Assert.Contains($"href=\"/portal/missions/{current}\"", home);
        Assert.DoesNotContain($"href=\"/portal/missions/{past}\"", home);
        Assert.Equal(HttpStatusCode.Redirect, (await anna.SendProofAsync(current)).StatusCode);
        Assert.DoesNotContain("data-testid=\"missions-due\"", await anna.GetPageAsync("/portal"));
        anna.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl");
        var dutch = Words(await anna.GetPageAsync("/portal/missions"));
        Assert.Contains("Nu te doen", dutch);
        Assert.Contains("Nog 5 dagen", dutch);
        Assert.Contains("25,00 EUR", dutch);
        Assert.Contains("Ingestuurd", dutch);
        Assert.Contains("3 dagen geleden afgelopen", dutch);
    }

    [SkippableFact]
    public async Task IsendProofSeeItWaitAndReadTheReviewAcceptedWithTheDayTheBonusBecomesPayable()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(holdingPeriodDays: 14, name: "Proof campaign");
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 25, dueIn: 4))["id"].Str();
        var (anna, annaId, _) = await PortalBrowser.SignedInAsync(App, campaignId);
        var page = $"/portal/missions/{missionId}";

        var html = await anna.GetPageAsync(page);
        Assert.Contains("Take the Fiesta somewhere people know.", html);
        Assert.Contains("data-testid=\"proof-form\"", html);
        Assert.Contains("4 days left", Words(html));

        var bad = await anna.SendProofAsync(missionId, "instagram.example/p/1", "note");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-proofUrl\"", badHtml);
        Assert.Contains("value=\"instagram.example/p/1\"", badHtml);
        var tooLong = await anna.SendProofAsync(missionId, "https://instagram.example/p/1", new string('n', 4001));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains("data-testid=\"error-note\"", await tooLong.Content.ReadAsStringAsync());
        Assert.Empty(await (await admin.GetAsync($"/api/v1/missions/{missionId}/submissions")).AssertJsonArrayAsync(HttpStatusCode.OK));

        var sent = await anna.SendProofAsync(missionId);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(page, sent.Headers.Location!.OriginalString);
        var waiting = Words(await anna.GetPageAsync(page));
        Assert.Contains("Thanks! Your proof was sent", waiting);
        Assert.Contains("Waiting for review.", waiting);
        Assert.Contains("https://instagram.example/p/fiesta-1", waiting);

        var submission = await admin.SubmissionOfAsync(missionId, annaId);
        await (await admin.PostAsync($"/api/v1/submissions/{submission["id"].Str()}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        var acceptedHtml = await anna.GetPageAsync(page);
        var accepted = Words(acceptedHtml);
        var payable = DateTime.UtcNow.AddDays(14).ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en"));
        Assert.Contains($"Accepted! Your bonus of 25.00 EUR becomes payable on {payable}", accepted);
        Assert.DoesNotContain("data-testid=\"proof-form\"", acceptedHtml);
        var final = await anna.Client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ProofUrl"] = "https://instagram.example/p/other", ["__RequestVerificationToken"] = StaffBrowser.TokenIn(acceptedHtml),
        }));
        Assert.Equal(HttpStatusCode.Conflict, final.StatusCode);
        Assert.Equal("https://instagram.example/p/fiesta-1", (await admin.SubmissionOfAsync(missionId, annaId))["proofUrl"].Str());

        anna.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl");
        Assert.Contains("Goedgekeurd! Je bonus van 25,00 EUR wordt uitbetaalbaar op", Words(await anna.GetPageAsync(page)));
        // The earnings page names it as the mission's bonus.
        Assert.Contains("Missiebonus: Mission 1: show the Fiesta at a landmark", Words(await anna.GetPageAsync("/portal/earnings")));
    }

    [SkippableFact]
    public async Task ProofIsTakenOnlyWhileTheMissionRuns()
    {
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(name: "Dates campaign");
        var upcoming = (await admin.CreateMissionAsync(campaignId, startsIn: 2, dueIn: 9, title: "Later"))["id"].Str();
        var over = (await admin.CreateMissionAsync(campaignId, startsIn: -9, dueIn: -1, title: "Over"))["id"].Str();
        var lastDay = (await admin.CreateMissionAsync(campaignId, startsIn: -3, dueIn: 0, title: "Last day"))["id"].Str();
        var (anna, _, _) = await PortalBrowser.SignedInAsync(App, campaignId);

        foreach (var (id, phrase) in new[] { (upcoming, "Starts in 2 days"), (over, "Ended 1 day ago") })
        {
            var html = await anna.GetPageAsync($"/portal/missions/{id}");
            Assert.DoesNotContain("data-testid=\"proof-form\"", html);
            Assert.Contains(phrase, Words(html));
            var post = await anna.Client.PostAsync($"/portal/missions/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["ProofUrl"] = "https://instagram.example/p/1", ["__RequestVerificationToken"] = StaffBrowser.TokenIn(html),
            }));
            Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
            Assert.Empty(await (await admin.GetAsync($"/api/v1/missions/{id}/submissions")).AssertJsonArrayAsync(HttpStatusCode.OK));
        }
        Assert.Contains("Last day today", Words(await anna.GetPageAsync($"/portal/missions/{lastDay}")));
        Assert.Equal(HttpStatusCode.Redirect, (await anna.SendProofAsync(lastDay)).StatusCode);
    }

    [SkippableFact]
    public async Task AMissionOfACampaignIAmNotOrNoLongerInAndGuessedIdsAnswer404()
    {
        var admin = App.Admin();
        var mine = await admin.MissionCampaignAsync(name: "Anna's campaign");
        var theirs = await admin.MissionCampaignAsync(name: "Bram's campaign");
        var myMission = (await admin.CreateMissionAsync(mine, bonus: 5))["id"].Str();
        var theirMission = (await admin.CreateMissionAsync(theirs, bonus: 5, title: "Bram only"))["id"].Str();
        var (anna, annaId, _) = await PortalBrowser.SignedInAsync(App, mine);
        var (bram, _, _) = await PortalBrowser.SignedInAsync(App, theirs, name: "Bram Jansen");
        Assert.Equal(HttpStatusCode.Redirect, (await bram.SendProofAsync(theirMission)).StatusCode);

        // Bram reaches his own: a 404 to Anna means "not yours".
        await bram.GetPageAsync($"/portal/missions/{theirMission}");
        foreach (var path in new[] { $"/portal/missions/{theirMission}", "/portal/missions/msn_nosuchmission", "/portal/missions/x", "/portal/missions/msn_%27or%271%27%3D%271" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync(path)).StatusCode);
        }
        var token = StaffBrowser.TokenIn(await anna.GetPageAsync($"/portal/missions/{myMission}"));
        var post = await anna.Client.PostAsync($"/portal/missions/{theirMission}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ProofUrl"] = "https://instagram.example/p/1", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain("Bram only", await anna.GetPageAsync("/portal/missions"));

        // Removed from the campaign: the mission is gone from the portal.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{mine}/ambassadors/{annaId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/portal/missions/{myMission}")).StatusCode);
        Assert.DoesNotContain(myMission, await anna.GetPageAsync("/portal/missions"));

        // Not signed in: sign in first; staff: not their portal.
        var stranger = StaffBrowser.Open(App);
        foreach (var path in new[] { "/portal/missions", $"/portal/missions/{myMission}" })
        {
            var response = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
        }
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/portal/missions")).StatusCode);
        await using var db = App.Db();
        Assert.False(await db.MissionSubmissions.AnyAsync(s => s.AmbassadorId == annaId));
    }
}

public sealed class MissionPortalOnSqlite(SqliteFixture fixture) : MissionPortalTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MissionPortalOnPostgres(PostgresFixture fixture) : MissionPortalTests(fixture), IClassFixture<PostgresFixture>;
