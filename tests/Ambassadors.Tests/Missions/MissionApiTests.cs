using System.Net;
using Ambassadors.Data;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Missions;

/// <summary>
/// The missions API (API.md, "Missions and feedback"): missions made and listed with their bonus in the campaign's
/// decimals; proof reviewed: accepted once (the bonus one ledger entry, pending in stats for the holding period, then
/// approved, batched with kind missionBonus and paid), rejected with a reason and sent again; refusals with the field
/// named; who may call it; and exactly one bonus whatever the race.
/// </summary>
public abstract class MissionApiTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AManagerCreatesListsAndReadsMissionsWithTheBonusInTheCampaignsCurrency()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync();
        var created = await admin.CreateMissionAsync(campaignId, bonus: "25.5", startsIn: 0, dueIn: 30);
        var id = created["id"].Str();
        Assert.StartsWith("msn_", id);
        Assert.Equal(campaignId, created["campaignId"].Str());
        Assert.Equal("Mission 1: show the Fiesta at a landmark", created["title"].Str());
        Assert.Contains("\n", created["brief"].Str());
        Assert.Equal(MissionSteps.Day(0), created["startsOn"].Str());
        Assert.Equal(MissionSteps.Day(30), created["dueOn"].Str());
        Assert.Equal(25.50m, created["bonus"]!["amount"].Dec());
        Assert.Equal("EUR", created["bonus"]!["currency"].Str());
        Assert.Contains("\"amount\":25.50", created.ToJsonString());

        var none = await admin.CreateMissionAsync(campaignId, bonus: null, startsIn: -40, dueIn: -10, title: "Mission 0");
        Assert.Null(none["bonus"]);

        var list = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/missions")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal([id, none["id"].Str()], list.Select(m => m!["id"].Str()));
        Assert.Equal(0, list[0]!["submissions"]!["submitted"]!.GetValue<int>());
        var read = await (await admin.GetAsync($"/api/v1/missions/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(25.50m, read["bonus"]!["amount"].Dec());

        await (await admin.GetAsync("/api/v1/missions/msn_nosuchmission")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/missions/x")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/campaigns/cmp_nosuchcampaign/missions")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync("/api/v1/campaigns/cmp_nosuchcampaign/missions", new { title = "x", brief = "y", startsOn = MissionSteps.Day(0), dueOn = MissionSteps.Day(1) }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/missions/msn_nosuchmission/submissions")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task BadMissionsAre422NamingTheFieldAndNothingIsStored()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync();
        var yen = await admin.MissionCampaignAsync(currency: "JPY", name: "Yen campaign");
        var good = new Dictionary<string, object?>
        {
            ["title"] = "Mission", ["brief"] = "Do it", ["startsOn"] = MissionSteps.Day(0), ["dueOn"] = MissionSteps.Day(3), ["bonus"] = 10,
        };
        async Task Refused(string campaign, string field, Action<Dictionary<string, object?>> change)
        {
            var body = new Dictionary<string, object?>(good);
            change(body);
            var problem = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaign}/missions", body)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"{field}: {problem}");
        }
        await Refused(campaignId, "title", b => b.Remove("title"));
        await Refused(campaignId, "title", b => b["title"] = new string('t', 201));
        await Refused(campaignId, "title", b => b["title"] = "Bell\u0007");
        await Refused(campaignId, "brief", b => b["brief"] = " ");
        await Refused(campaignId, "brief", b => b["brief"] = new string('b', 20001));
        await Refused(campaignId, "startsOn", b => b.Remove("startsOn"));
        await Refused(campaignId, "dueOn", b => b["dueOn"] = MissionSteps.Day(-1));
        await Refused(campaignId, "dueOn", b => b["dueOn"] = "2026-02-30");
        await Refused(campaignId, "startsOn", b => b["startsOn"] = "1999-12-31");
        await Refused(campaignId, "bonus", b => b["bonus"] = -1);
        await Refused(campaignId, "bonus", b => b["bonus"] = "1.005");
        await Refused(campaignId, "bonus", b => b["bonus"] = "abc");
        await Refused(yen, "bonus", b => b["bonus"] = "1.5");
        var list = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/missions")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Empty(list);

        var yenMission = await admin.CreateMissionAsync(yen, bonus: 500);
        Assert.Contains("\"amount\":500,", yenMission.ToJsonString());
    }

    [SkippableFact]
    public async Task AnAcceptedBonusIsOneRewardPendingForTheHoldingPeriodAndRepeatingChangesNothing()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(holdingPeriodDays: 14);
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 25))["id"].Str();
        var (_, anna, submissionId) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);

        var listed = await admin.SubmissionOfAsync(missionId, anna);
        Assert.Equal("submitted", listed["status"].Str());
        Assert.Equal("https://instagram.example/p/fiesta-1", listed["proofUrl"].Str());
        Assert.Equal("At the Dom tower", listed["note"].Str());

        var accepted = await (await admin.PostAsync($"/api/v1/submissions/{submissionId}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", accepted["status"].Str());
        Assert.Equal(25.00m, accepted["bonus"]!["amount"].Dec());
        Assert.Equal("pending", accepted["bonus"]!["status"].Str());
        var payable = accepted["bonus"]!["availableAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(payable, DateTimeOffset.UtcNow.AddDays(14).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(14).AddMinutes(1));

        var again = await (await admin.PostAsync($"/api/v1/submissions/{submissionId}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", again["status"].Str());
        Assert.Equal(payable, again["bonus"]!["availableAt"]!.GetValue<DateTimeOffset>());

        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{anna}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(25m, MissionSteps.AmountIn(stats["rewards"]!["pending"]));
        Assert.Equal(0m, MissionSteps.AmountIn(stats["rewards"]!["approved"]));
        var campaign = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(25m, MissionSteps.AmountIn(campaign["rewards"]!["pending"]));
        // Today's window holds it (it counts on the day it was accepted); yesterday's does not.
        var yesterday = MissionSteps.Day(-1);
        var before = await (await admin.GetAsync($"/api/v1/ambassadors/{anna}/stats?from={yesterday}&to={yesterday}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0m, MissionSteps.AmountIn(before["rewards"]!["pending"]));

        await using var db = App.Db();
        var entry = Assert.Single(await db.Ledger.Where(e => e.SubmissionId == submissionId).ToListAsync());
        Assert.Equal(LedgerEntryKind.MissionBonus, entry.Kind);
        Assert.Null(entry.ConversionId);
        Assert.Equal(MissionSteps.Today, entry.EarnedOn);
        Assert.Equal(2500, entry.AmountMinor);

        var audit = await db.AuditLog.Where(a => a.EntityId == submissionId).Select(a => a.Action).ToListAsync();
        Assert.Equal(["mission-submission.accepted", "mission-submission.submitted"], audit.Order());

        // An accepted proof is final: rejecting it is a 409, and the bonus stays.
        await (await admin.PostJsonAsync($"/api/v1/submissions/{submissionId}/reject", new { reason = "Changed my mind" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await db.Ledger.CountAsync(e => e.SubmissionId == submissionId));
    }

    [SkippableFact]
    public async Task ABonusIsApprovedAfterTheHoldingGoesIntoABatchAsMissionBonusAndIsPaid()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var (admin, finance, _) = await App.PayoutClientsAsync();
        var campaignId = await admin.MissionCampaignAsync(holdingPeriodDays: 0);
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: "12.34"))["id"].Str();
        var (_, anna, submissionId) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);
        await finance.BankDetailsAsync(anna);

        var accepted = await (await admin.PostAsync($"/api/v1/submissions/{submissionId}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("approved", accepted["bonus"]!["status"].Str());
        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{anna}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(12.34m, MissionSteps.AmountIn(stats["rewards"]!["approved"]));
        Assert.Equal(0m, MissionSteps.AmountIn(stats["rewards"]!["pending"]));

        var batch = await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created);
        var batchId = batch["id"].Str();
        var line = (await finance.BatchAsync(batchId)).LineOf(anna)!;
        Assert.Equal(12.34m, line["net"]?.Dec() ?? line["amount"].Dec());
        var export = await finance.GetAsync($"/api/v1/payouts/{batchId}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using (var workbook = new XLWorkbook(new MemoryStream(await export.Content.ReadAsByteArrayAsync())))
        {
            var row = workbook.Worksheet("Lines").RowsUsed().Single(r => r.Cells().Any(c => c.GetString() == anna));
            Assert.Contains(row.Cells(), c => c.GetString() == "missionBonus");
            Assert.Contains(row.Cells(), c => c.DataType == XLDataType.Number && c.GetDouble() == 12.34);
        }
        await (await finance.PostAsync($"/api/v1/payouts/{batchId}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await finance.PostAsync($"/api/v1/payouts/{batchId}/paid", null)).AssertJsonAsync(HttpStatusCode.OK);

        var paid = await (await admin.GetAsync($"/api/v1/ambassadors/{anna}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(12.34m, MissionSteps.AmountIn(paid["rewards"]!["paid"]));
        Assert.Equal(0m, MissionSteps.AmountIn(paid["rewards"]!["approved"]));
        var campaign = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(12.34m, MissionSteps.AmountIn(campaign["rewards"]!["paid"]));
        var submission = await admin.SubmissionOfAsync(missionId, anna);
        Assert.Equal("paid", submission["bonus"]!["status"].Str());
    }

    [SkippableFact]
    public async Task ARejectedProofCarriesItsReasonCanBeSentAgainAndThenAccepted()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync();
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 10))["id"].Str();
        var (browser, anna, submissionId) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);

        await (await admin.PostJsonAsync($"/api/v1/submissions/{submissionId}/reject", new { reason = "" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var tooLong = await (await admin.PostJsonAsync($"/api/v1/submissions/{submissionId}/reject", new { reason = new string('r', 501) }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(tooLong["errors"]!.AsObject().ContainsKey("reason"));
        await (await admin.PostJsonAsync("/api/v1/submissions/sub_nosuchsubmission/reject", new { reason = "No" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync("/api/v1/submissions/sub_nosuchsubmission/accept", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        var rejected = await (await admin.PostJsonAsync($"/api/v1/submissions/{submissionId}/reject", new { reason = "The car is not in the photo." }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", rejected["status"].Str());
        Assert.Equal("The car is not in the photo.", rejected["rejectionReason"].Str());
        Assert.Null(rejected["bonus"]);
        await (await admin.PostJsonAsync($"/api/v1/submissions/{submissionId}/reject", new { reason = "The car is not in the photo." })).AssertJsonAsync(HttpStatusCode.OK);
        // A rejected proof waits for a new one: accepting it now is a 409.
        await (await admin.PostAsync($"/api/v1/submissions/{submissionId}/accept", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var byStatus = await (await admin.GetAsync($"/api/v1/missions/{missionId}/submissions?status=rejected")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Single(byStatus);
        Assert.Empty(await (await admin.GetAsync($"/api/v1/missions/{missionId}/submissions?status=accepted")).AssertJsonArrayAsync(HttpStatusCode.OK));
        var badStatus = await (await admin.GetAsync($"/api/v1/missions/{missionId}/submissions?status=maybe")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(badStatus["errors"]!.AsObject().ContainsKey("status"));

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SendProofAsync(missionId, "https://instagram.example/p/fiesta-2", "Now with the car")).StatusCode);
        var again = await admin.SubmissionOfAsync(missionId, anna);
        Assert.Equal(submissionId, again["id"].Str());
        Assert.Equal("submitted", again["status"].Str());
        Assert.Equal("https://instagram.example/p/fiesta-2", again["proofUrl"].Str());
        Assert.Null(again["rejectionReason"]);
        var accepted = await (await admin.PostAsync($"/api/v1/submissions/{submissionId}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(10m, accepted["bonus"]!["amount"].Dec());
    }

    [SkippableFact]
    public async Task AcceptingAMissionWithoutABonusAddsNothingToTheLedger()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync(holdingPeriodDays: 0);
        var missionId = (await admin.CreateMissionAsync(campaignId))["id"].Str();
        var (_, anna, submissionId) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);
        var accepted = await (await admin.PostAsync($"/api/v1/submissions/{submissionId}/accept", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", accepted["status"].Str());
        Assert.Null(accepted["bonus"]);
        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{anna}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Empty(stats["rewards"]!["approved"]!.AsArray());
        Assert.Empty(stats["rewards"]!["pending"]!.AsArray());
        await using var db = App.Db();
        Assert.False(await db.Ledger.AnyAsync(e => e.AmbassadorId == anna));
    }

    [SkippableFact]
    public async Task OnlyManagersAndAdminsReachTheMissionsApi()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync();
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 5))["id"].Str();
        var (_, _, submissionId) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);
        var manager = App.ClientWithKey(await admin.NewKeyAsync("manager"));
        var finance = App.ClientWithKey(await admin.NewKeyAsync("finance"));
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var anonymous = App.ClientWithKey(null);
        var body = new { title = "T", brief = "B", startsOn = MissionSteps.Day(0), dueOn = MissionSteps.Day(1) };

        Func<HttpClient, Task<HttpResponseMessage>>[] calls =
        [
            c => c.PostJsonAsync($"/api/v1/campaigns/{campaignId}/missions", body),
            c => c.GetAsync($"/api/v1/campaigns/{campaignId}/missions"),
            c => c.GetAsync($"/api/v1/missions/{missionId}"),
            c => c.GetAsync($"/api/v1/missions/{missionId}/submissions"),
            c => c.PostJsonAsync($"/api/v1/submissions/{submissionId}/reject", new { reason = "No" }),
            c => c.PostAsync($"/api/v1/submissions/{submissionId}/accept", null),
        ];
        foreach (var call in calls)
        {
            await (await call(finance)).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await call(merchant)).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await call(anonymous)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        // A manager key may make every call (the reject comes first, so the accept after it is the 409 of a rejected proof).
        var answers = new List<HttpStatusCode>();
        foreach (var call in calls) answers.Add((await call(manager)).StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict], answers);
    }

    [SkippableFact]
    public async Task EightSimultaneousAcceptsAddOneBonus()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync();
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 25))["id"].Str();
        var (_, anna, submissionId) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);

        var clients = Enumerable.Range(0, 8).Select(_ => App.Admin()).ToList();
        var answers = await Task.WhenAll(clients.Select(c => c.PostAsync($"/api/v1/submissions/{submissionId}/accept", null)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));

        await using var db = App.Db();
        Assert.Equal(1, await db.Ledger.CountAsync(e => e.SubmissionId == submissionId));
        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{anna}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(25m, MissionSteps.AmountIn(stats["rewards"]!["pending"]));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.EntityId == submissionId && a.Action == "mission-submission.accepted"));
    }

    [SkippableFact]
    public async Task AnAcceptRacingARejectEndsWithOneOfThemAndTheOtherIsAConflict()
    {
        Skip.IfNot(fixture.Available, TestDatabases.SkipReason);
        var admin = App.Admin();
        var campaignId = await admin.MissionCampaignAsync();
        var missionId = (await admin.CreateMissionAsync(campaignId, bonus: 7))["id"].Str();
        for (var round = 0; round < 4; round++)
        {
            var (_, anna, submissionId) = await MissionSteps.MemberWithProofAsync(App, campaignId, missionId);
            var answers = await Task.WhenAll(
                App.Admin().PostAsync($"/api/v1/submissions/{submissionId}/accept", null),
                App.Admin().PostJsonAsync($"/api/v1/submissions/{submissionId}/reject", new { reason = "Not this one" }));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            var final = await admin.SubmissionOfAsync(missionId, anna);
            await using var db = App.Db();
            var entries = await db.Ledger.CountAsync(e => e.SubmissionId == submissionId);
            Assert.Equal(final["status"].Str() == "accepted" ? 1 : 0, entries);
            Assert.Equal(answers[0].StatusCode == HttpStatusCode.OK ? "accepted" : "rejected", final["status"].Str());
        }
    }
}

public sealed class MissionApiOnSqlite(SqliteFixture fixture) : MissionApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MissionApiOnPostgres(PostgresFixture fixture) : MissionApiTests(fixture), IClassFixture<PostgresFixture>;

/// <summary>The missions' routes are in the OpenAPI document, named, with the problems they answer.</summary>
public sealed class MissionOpenApiTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [SkippableFact]
    public async Task TheMissionsRoutesAreDocumented()
    {
        var document = await (await fixture.App.ClientWithKey(null).GetAsync("/openapi/v1.json")).AssertJsonAsync(HttpStatusCode.OK);
        var paths = document["paths"]!.AsObject();
        foreach (var (path, method, name, status) in new[]
                 {
                     ("/api/v1/campaigns/{id}/missions", "post", "CreateMission", "422"),
                     ("/api/v1/campaigns/{id}/missions", "get", "ListCampaignMissions", "404"),
                     ("/api/v1/missions/{id}", "get", "GetMission", "404"),
                     ("/api/v1/missions/{id}/submissions", "get", "ListMissionSubmissions", "422"),
                     ("/api/v1/submissions/{id}/accept", "post", "AcceptSubmission", "409"),
                     ("/api/v1/submissions/{id}/reject", "post", "RejectSubmission", "409"),
                 })
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method} {path} is not documented");
            Assert.Equal(name, operation!["operationId"].Str());
            Assert.True(operation["responses"]!.AsObject().ContainsKey(status), $"{name} does not declare {status}");
            Assert.True(operation["responses"]!.AsObject().ContainsKey("403"), $"{name} does not declare 403");
        }
    }
}
