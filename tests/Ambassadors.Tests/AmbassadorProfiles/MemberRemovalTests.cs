using System.Net;
using Ambassadors.Web.Conversions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.AmbassadorProfiles;

/// <summary>
/// A manager removes a member from a campaign: their place is free again, their links keep redirecting and counting clicks,
/// a conversion after the removal is recorded without a reward and says why, and rewards from before stay.
/// </summary>
public abstract class MemberRemovalTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task RemovingIsA204OnceAndAgainAndA404ForWhoWasNeverAMember()
    {
        var admin = App.Admin();
        var (campaign, ambassador, _) = await admin.CampaignWithMemberAsync();
        var stranger = (await admin.CreateAmbassadorAsync())["id"].Str();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/{ambassador}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/{ambassador}")).StatusCode);
        await (await admin.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/{stranger}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/api/v1/campaigns/cmp_nope/ambassadors/{ambassador}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/amb_nope")).AssertProblemAsync(HttpStatusCode.NotFound);
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/{ambassador}")).StatusCode);
        await using var db = App.Db();
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.EntityId == ambassador && e.Action == "membership.removed"));
    }

    [SkippableFact]
    public async Task TheRemovedMembersPlaceIsFreeForSomeoneElse()
    {
        var admin = App.Admin();
        var campaign = (await admin.CreateCampaignAsync(capacity: 1))["id"].Str();
        var first = (await admin.CreateAmbassadorAsync())["id"].Str();
        var second = (await admin.CreateAmbassadorAsync())["id"].Str();
        Assert.Equal(HttpStatusCode.Created, (await admin.EnrolAsync(campaign, first)).StatusCode);
        await (await admin.EnrolAsync(campaign, second)).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/{first}")).StatusCode);
        Assert.Equal(0, (await (await admin.GetAsync($"/api/v1/campaigns/{campaign}")).AssertJsonAsync(HttpStatusCode.OK))["members"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Created, (await admin.EnrolAsync(campaign, second)).StatusCode);
        Assert.Equal(1, (await (await admin.GetAsync($"/api/v1/campaigns/{campaign}")).AssertJsonAsync(HttpStatusCode.OK))["members"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task AfterTheRemovalTheLinkStillRedirectsAndCountsButEarnsNothingAndSaysWhy()
    {
        var admin = App.Admin();
        var (campaign, ambassador, code) = await admin.CampaignWithMemberAsync();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var before = await (await merchant.ConvertAsync(new { externalId = $"before-{Guid.NewGuid():N}", kind = "lead", referralCode = code,
            occurredAt = DateTimeOffset.UtcNow.AddMinutes(-5) })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(2m, before["reward"]!["amount"].Dec());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/{ambassador}")).StatusCode);

        var click = await App.Visitor().ClickAsync(code);
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        await admin.StatsWhenAsync($"/api/v1/campaigns/{campaign}/stats", s => s["clicks"].Long() == 1);
        var after = await (await merchant.ConvertAsync(new { externalId = $"after-{Guid.NewGuid():N}", kind = "sale", amount = "80.00", currency = "EUR",
            clickId = Clicks.ClickIdOf(click) })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Null(after["reward"]);
        Assert.Equal($"the ambassador was removed from the campaign on {DateTime.UtcNow:yyyy-MM-dd}; the conversion happened on {DateTime.UtcNow:yyyy-MM-dd}",
            after["rewardNote"].Str());
        Assert.Equal(ambassador, after["ambassadorId"].Str());

        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassador}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, stats["leads"].Long());
        Assert.Equal(1, stats["sales"].Long()); // recorded and counted
        Assert.Equal(2m, stats["rewards"]!["pending"].MoneyIn("EUR")); // the earlier reward, nothing for the sale
        var links = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassador}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Empty(links);
    }

    [SkippableFact]
    public async Task AReferrerRemovedBeforeTheConversionEarnsNoOverride()
    {
        var admin = App.Admin();
        var (campaign, referrer, code) = await admin.CampaignWithMemberAsync(rewards: new { perLead = 10, secondDegreePercent = 20 });
        var referred = (await admin.CreateAmbassadorAsync())["id"].Str();
        var joined = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaign}/ambassadors", new { ambassadorId = referred, referredBy = code }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{campaign}/ambassadors/{referrer}")).StatusCode);
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var lead = await (await merchant.ConvertAsync(new { externalId = $"lead-{Guid.NewGuid():N}", kind = "lead", referralCode = joined["referralCode"].Str() }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(10m, lead["reward"]!["amount"].Dec());
        Assert.Null(lead["secondDegree"]);
    }

    /// <summary>
    /// Concurrent conversions read their members' terms together (PostgreSQL: one query per batch, MemberTermsReader): each
    /// still gets its own member's removal and referrer, keyed by campaign and ambassador, and a non-member's code none.
    /// Eva is in both campaigns and removed from the first only.
    /// </summary>
    [SkippableFact]
    public async Task ABurstOfConversionsForManyMembersGetsEachMembersOwnTerms()
    {
        var admin = App.Admin();
        var (first, anna, annaCode) = await admin.CampaignWithMemberAsync(rewards: new { perLead = 10, secondDegreePercent = 20 });
        var (second, dirk, dirkCode) = await admin.CampaignWithMemberAsync(rewards: new { perLead = 3 });
        var bram = (await admin.CreateAmbassadorAsync())["id"].Str();
        var bramCode = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{first}/ambassadors", new { ambassadorId = bram, referredBy = annaCode }))
            .AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        var eva = (await admin.CreateAmbassadorAsync())["id"].Str();
        var evaFirstCode = (await (await admin.EnrolAsync(first, eva)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        var evaSecondCode = (await (await admin.EnrolAsync(second, eva)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/campaigns/{first}/ambassadors/{eva}")).StatusCode);
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));

        var codes = new[] { annaCode, bramCode, dirkCode, evaFirstCode, evaSecondCode };
        var sent = Enumerable.Range(0, 50).Select(i => (Code: codes[i % codes.Length], ExternalId: $"burst-{i}-{Guid.NewGuid():N}")).ToList();
        var responses = await Task.WhenAll(sent.Select(s => merchant.ConvertAsync(new { externalId = s.ExternalId, kind = "lead", referralCode = s.Code })));
        var answered = await Task.WhenAll(responses.Select(r => r.AssertJsonAsync(HttpStatusCode.Created)));

        foreach (var (conversion, (code, _)) in answered.Zip(sent))
        {
            if (code == annaCode)
            {
                Assert.Equal((anna, 10m), (conversion["ambassadorId"].Str(), conversion["reward"]!["amount"].Dec()));
                Assert.Null(conversion["secondDegree"]);
            }
            else if (code == bramCode)
            {
                Assert.Equal((bram, 10m), (conversion["ambassadorId"].Str(), conversion["reward"]!["amount"].Dec()));
                Assert.Equal((anna, 2m), (conversion["secondDegree"]!["ambassadorId"].Str(), conversion["secondDegree"]!["amount"].Dec()));
            }
            else if (code == dirkCode)
            {
                Assert.Equal((dirk, 3m), (conversion["ambassadorId"].Str(), conversion["reward"]!["amount"].Dec()));
            }
            else if (code == evaFirstCode)
            {
                Assert.Equal(eva, conversion["ambassadorId"].Str());
                Assert.Null(conversion["reward"]);
                Assert.StartsWith("the ambassador was removed from the campaign on", conversion["rewardNote"].Str());
            }
            else
            {
                Assert.Equal((eva, second, 3m), (conversion["ambassadorId"].Str(), conversion["campaignId"].Str(), conversion["reward"]!["amount"].Dec()));
                Assert.Null(conversion["rewardNote"]);
            }
        }
        var evaStats = await (await admin.GetAsync($"/api/v1/ambassadors/{eva}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(20, evaStats["leads"].Long());
        Assert.Equal(10 * 3m, evaStats["rewards"]!["pending"].MoneyIn("EUR"));
        var annaStats = await (await admin.GetAsync($"/api/v1/ambassadors/{anna}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(10 * 10m, annaStats["rewards"]!["pending"].MoneyIn("EUR"));
        Assert.Equal(10 * 2m, annaStats["secondDegree"]!["rewards"]!["pending"].MoneyIn("EUR"));

        // The reader itself, 200 reads at once (PostgreSQL batches up to 64): Eva's two memberships apart, Dirk in the first campaign none.
        var reader = App.Services.GetRequiredService<MemberTermsReader>();
        var keys = new[] { (first, eva), (second, eva), (first, bram), (first, dirk), (second, dirk) };
        var reads = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => keys[i % keys.Length])
            .Select(async k => (Key: k, Terms: await reader.ReadAsync(k.Item1, k.Item2, CancellationToken.None))));
        foreach (var ((campaign, ambassador), terms) in reads)
        {
            if (campaign == first && ambassador == dirk) Assert.Null(terms);
            else Assert.Equal((campaign, ambassador) == (first, eva), terms!.RemovedAt is not null);
            if (terms is not null) Assert.Equal(ambassador == bram ? anna : null, terms.ReferredBy);
        }
    }
}

public sealed class MemberRemovalOnSqlite(SqliteFixture fixture) : MemberRemovalTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MemberRemovalOnPostgres(PostgresFixture fixture) : MemberRemovalTests(fixture), IClassFixture<PostgresFixture>;
