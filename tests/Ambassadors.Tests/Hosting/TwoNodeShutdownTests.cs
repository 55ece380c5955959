using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Hosting;

/// <summary>One node of two leaves gracefully with clicks still in its collector: none is lost.</summary>
public sealed class TwoNodeShutdownTests
{
    [SkippableFact]
    public async Task ANodeLeavingGracefullyFlushesItsOwnClicksFirst()
    {
        await EngineFixture.WithFreshDatabaseAsync(Engine.Postgres, async database =>
        {
            var clusterId = $"leave-{Guid.NewGuid():N}";
            await using var nodeA = new AmbassadorsApp(Engine.Postgres, database, clusterId);
            var nodeB = new AmbassadorsApp(Engine.Postgres, database, clusterId);
            string campaignId, code;
            try
            {
                await Task.WhenAll(Task.Run(() => nodeA.Server.ToString()), Task.Run(() => nodeB.Server.ToString()));
                (campaignId, _, code) = await nodeA.Admin().CampaignWithMemberAsync();
                var visitor = nodeB.Visitor();
                const int clicks = 100;
                for (var i = 0; i < clicks; i++) Assert.Equal(HttpStatusCode.Redirect, (await visitor.ClickAsync(code)).StatusCode);
            }
            finally
            {
                // At once: most of the clicks are still in node B's inbox.
                await nodeB.DisposeAsync();
            }

            // Stored before node B was gone: exact at once, not eventually.
            await using var db = nodeA.Db();
            Assert.Equal(100, await db.Clicks.CountAsync(c => c.Code == code));
            var stats = await (await nodeA.Admin().GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(100, stats["clicks"].Long());
        });
    }
}
