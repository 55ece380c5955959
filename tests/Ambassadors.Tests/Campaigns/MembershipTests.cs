using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Campaigns;

public abstract class MembershipTests(EngineFixture fixture)
{
    private const string Unambiguous = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task JoiningGivesAReadableCodeAndAnAbsoluteTrackedLink()
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync())["id"].Str();
        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();

        var joined = await (await admin.EnrolAsync(campaignId, ambassadorId)).AssertJsonAsync(HttpStatusCode.Created);
        var code = joined["referralCode"].Str();
        Assert.Equal(ambassadorId, joined["ambassadorId"].Str());
        Assert.Equal(campaignId, joined["campaignId"].Str());
        Assert.InRange(code.Length, 6, 10);
        Assert.All(code, c => Assert.Contains(c, Unambiguous));
        Assert.Equal($"http://localhost/r/{code}", joined["url"].Str());

        // Joining again changes nothing and answers with the same membership.
        var again = await (await admin.EnrolAsync(campaignId, ambassadorId)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(code, again["referralCode"].Str());
        var campaign = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, (int)campaign["members"]!);
    }

    [SkippableFact]
    public async Task ACodeIsUniqueAcrossTheSystemWhateverItsCase()
    {
        var admin = App.Admin();
        var first = (await admin.CreateCampaignAsync())["id"].Str();
        var second = (await admin.CreateCampaignAsync())["id"].Str();
        var anna = (await admin.CreateAmbassadorAsync())["id"].Str();
        var bram = (await admin.CreateAmbassadorAsync())["id"].Str();
        var code = $"anna-{Guid.NewGuid():N}"[..16];

        var joined = await (await admin.EnrolAsync(first, anna, code)).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(code.ToUpperInvariant(), joined["referralCode"].Str());

        await (await admin.EnrolAsync(second, bram, code.ToUpperInvariant())).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await admin.EnrolAsync(first, bram, code)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await admin.EnrolAsync(first, anna, "something-else")).AssertProblemAsync(HttpStatusCode.Conflict);

        var lookedUp = await (await admin.GetAsync($"/api/v1/referral-codes/{code.ToLowerInvariant()}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(anna, lookedUp["ambassadorId"].Str());
        Assert.Equal("https://shop.example/fiesta?utm_source=ambassadors", lookedUp["destination"].Str());

        await using var db = App.Db();
        Assert.False(await db.Memberships.AnyAsync(m => m.AmbassadorId == bram));
    }

    [SkippableFact]
    public async Task BadCodesAndUnknownIdsAreRefused()
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync())["id"].Str();
        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();

        await (await admin.EnrolAsync(campaignId, ambassadorId, "no spaces!")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.EnrolAsync(campaignId, ambassadorId, "ab")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.EnrolAsync(campaignId, ambassadorId, new string('a', 33))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.EnrolAsync(campaignId, "amb_abcdefghijkmnpqr")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.EnrolAsync("cmp_abcdefghijkmnpqr", ambassadorId)).AssertProblemAsync(HttpStatusCode.NotFound);

        await using var db = App.Db();
        Assert.False(await db.Memberships.AnyAsync(m => m.AmbassadorId == ambassadorId));
        Assert.False(await db.ReferralCodes.AnyAsync(c => c.AmbassadorId == ambassadorId));
    }

    [SkippableFact]
    public async Task AFullCampaignTakesNobodyElseEvenUnderARush()
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync(capacity: 3))["id"].Str();
        var ambassadors = new List<string>();
        for (var i = 0; i < 8; i++) ambassadors.Add((await admin.CreateAmbassadorAsync())["id"].Str());

        var responses = await Task.WhenAll(ambassadors.Select(id => admin.EnrolAsync(campaignId, id)));
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("full", problem["detail"].Str());
        }

        await using var db = App.Db();
        Assert.Equal(3, await db.Memberships.CountAsync(m => m.CampaignId == campaignId));
        Assert.Equal(3, (await db.Campaigns.SingleAsync(c => c.Id == campaignId)).MemberCount);
    }

    [SkippableFact]
    public async Task EachMemberGetsALinkPerContentPiecePublishedBeforeOrAfterJoining()
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync())["id"].Str();
        var before = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new
        {
            title = "Mission 1: road trip", body = "Take the Fiesta somewhere new.", mediaUrl = "https://cdn.example/m1.jpg",
        })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal("https://shop.example/fiesta?utm_source=ambassadors", before["destinationUrl"].Str());

        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();
        var code = (await (await admin.EnrolAsync(campaignId, ambassadorId)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        var after = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new
        {
            title = "Mission 2: the city", destinationUrl = "https://shop.example/fiesta/city",
        })).AssertJsonAsync(HttpStatusCode.Created);

        var links = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal(3, links.Count);
        Assert.Equal(code, links[0]!["code"].Str());
        Assert.Null(links[0]!["contentId"]);
        Assert.Equal(before["id"].Str(), links[1]!["contentId"].Str());
        Assert.Equal(after["id"].Str(), links[2]!["contentId"].Str());
        Assert.Equal(3, links.Select(l => l!["code"].Str()).Distinct().Count());
        Assert.All(links, l => Assert.Equal($"http://localhost/r/{l!["code"].Str()}", l["url"].Str()));

        var contentLink = await (await admin.GetAsync($"/api/v1/referral-codes/{links[2]!["code"].Str()}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("https://shop.example/fiesta/city", contentLink["destination"].Str());
        Assert.Equal(after["id"].Str(), contentLink["contentId"].Str());

        var other = (await admin.CreateAmbassadorAsync())["id"].Str();
        Assert.Empty(await (await admin.GetAsync($"/api/v1/ambassadors/{other}/links")).AssertJsonArrayAsync(HttpStatusCode.OK));
    }

    [SkippableFact]
    public async Task ContentPublishedWhileAmbassadorsJoinReachesEveryone()
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync())["id"].Str();
        var ambassadors = new List<string>();
        for (var i = 0; i < 6; i++) ambassadors.Add((await admin.CreateAmbassadorAsync())["id"].Str());

        var joins = ambassadors.Select(id => admin.EnrolAsync(campaignId, id));
        var pieces = Enumerable.Range(1, 3).Select(n => admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { title = $"Mission {n}" }));
        var responses = await Task.WhenAll(joins.Concat(pieces));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        foreach (var id in ambassadors)
        {
            var links = await (await admin.GetAsync($"/api/v1/ambassadors/{id}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
            Assert.Equal(4, links.Count);
        }
    }

    [SkippableFact]
    public async Task ContentNeedsATitleAndValidUrls()
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync())["id"].Str();
        var problem = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { body = "no title", mediaUrl = "ftp://x" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["title"]);
        Assert.NotNull(problem["errors"]!["mediaUrl"]);
        await (await admin.GetAsync("/api/v1/content/cnt_abcdefghijkmnpqr")).AssertProblemAsync(HttpStatusCode.NotFound);
        await using var db = App.Db();
        Assert.False(await db.Content.AnyAsync(c => c.CampaignId == campaignId));
    }
}

public sealed class MembershipOnSqlite(SqliteFixture fixture) : MembershipTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MembershipOnPostgres(PostgresFixture fixture) : MembershipTests(fixture), IClassFixture<PostgresFixture>;
