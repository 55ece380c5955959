using System.Net;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Missions;

/// <summary>
/// Two web nodes against one PostgreSQL database (as in Hosting/TwoNodeTests): simultaneous accepts of one submission
/// through both nodes add its bonus once. The exactly-once rests on the database (a conditional update of the
/// submission's status in the transaction that adds the entry; the unique SubmissionId behind it), not on a grain.
/// </summary>
public sealed class MissionTwoNodeTests : IAsyncLifetime
{
    private string? _database;
    private AmbassadorsApp? _nodeA;
    private AmbassadorsApp? _nodeB;

    public async Task InitializeAsync()
    {
        if (TestDatabases.PostgresAdmin is null) return;
        _database = await TestDatabases.CreatePostgresAsync();
        var clusterId = $"missions-{Guid.NewGuid():N}";
        _nodeA = new AmbassadorsApp(Engine.Postgres, _database, clusterId);
        _nodeB = new AmbassadorsApp(Engine.Postgres, _database, clusterId);
        await Task.WhenAll(Task.Run(() => _nodeA.Server.ToString()), Task.Run(() => _nodeB.Server.ToString()));
    }

    public async Task DisposeAsync()
    {
        if (_nodeB is not null) await _nodeB.DisposeAsync();
        if (_nodeA is not null) await _nodeA.DisposeAsync();
        if (_database is not null) await TestDatabases.DropPostgresAsync(_database);
    }

    [SkippableFact]
    public async Task EightSimultaneousAcceptsSplitAcrossTwoNodesAddOneBonus()
    {
        Skip.If(_nodeA is null, TestDatabases.SkipReason);
        var a = _nodeA!.Admin();
        var campaignId = await a.MissionCampaignAsync(holdingPeriodDays: 14);
        var missionId = (await a.CreateMissionAsync(campaignId, bonus: "40.00"))["id"].Str();
        var submissions = new List<(string Ambassador, string Submission)>();
        for (var i = 0; i < 3; i++)
        {
            var (_, ambassador, submission) = await MissionSteps.MemberWithProofAsync(_nodeA!, campaignId, missionId);
            submissions.Add((ambassador, submission));
        }

        foreach (var (ambassador, submission) in submissions)
        {
            var clients = Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? _nodeA! : _nodeB!).Admin()).ToList();
            using var start = new SemaphoreSlim(0);
            var calls = clients.Select(async c =>
            {
                await start.WaitAsync();
                return await c.PostAsync($"/api/v1/submissions/{submission}/accept", null);
            }).ToList();
            start.Release(clients.Count);
            var answers = await Task.WhenAll(calls);
            Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

            await using var db = _nodeB!.Db();
            Assert.Equal(1, await db.Ledger.CountAsync(e => e.SubmissionId == submission));
            Assert.Equal(1, await db.AuditLog.CountAsync(e => e.EntityId == submission && e.Action == "mission-submission.accepted"));
            foreach (var node in new[] { a, _nodeB!.Admin() })
            {
                var stats = await (await node.GetAsync($"/api/v1/ambassadors/{ambassador}/stats")).AssertJsonAsync(HttpStatusCode.OK);
                Assert.Equal(40m, MissionSteps.AmountIn(stats["rewards"]!["pending"]));
            }
        }
        var campaign = await (await _nodeB!.Admin().GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(120m, MissionSteps.AmountIn(campaign["rewards"]!["pending"]));
    }
}
