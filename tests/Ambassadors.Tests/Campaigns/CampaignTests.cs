using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Campaigns;

public abstract class CampaignTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task ACreatedCampaignComesBackWithEveryFieldAndTheDefaults()
    {
        var manager = App.ClientWithKey(await App.Admin().NewKeyAsync("manager"));
        var response = await manager.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Fiesta Movement",
            objective = "product",
            destinationUrl = "https://ford.example/fiesta",
            currency = "EUR",
            startsOn = "2027-01-01",
            endsOn = "2027-06-30",
            capacity = 100,
            rewards = new { perLead = "2.5", perSale = 10, salePercent = 2.5 },
        });
        var created = await response.AssertJsonAsync(HttpStatusCode.Created);
        var id = created["id"].Str();
        Assert.StartsWith("cmp_", id);
        Assert.Equal($"/api/v1/campaigns/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("active", created["status"].Str());
        Assert.Equal(30, (int)created["attributionWindowDays"]!);
        Assert.Equal(14, (int)created["holdingPeriodDays"]!);

        var text = await (await manager.GetAsync($"/api/v1/campaigns/{id}")).Content.ReadAsStringAsync();
        // Money answers carry the currency's decimals.
        Assert.Contains("\"perLead\":2.50", text);
        Assert.Contains("\"perSale\":10.00", text);
        Assert.Contains("\"salePercent\":2.5", text);
        Assert.Contains("\"objective\":\"product\"", text);
        Assert.Contains("\"startsOn\":\"2027-01-01\"", text);
        Assert.Contains("\"endsOn\":\"2027-06-30\"", text);
        Assert.Contains("\"capacity\":100", text);
        Assert.Contains("\"currency\":\"EUR\"", text);
        Assert.Contains("\"name\":\"Fiesta Movement\"", text);
    }

    [SkippableFact]
    public async Task YenRewardsHaveNoDecimals()
    {
        var admin = App.Admin();
        var created = await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Tokyo", objective = "sales", destinationUrl = "https://shop.example/jp", currency = "JPY",
            rewards = new { perLead = 500 },
        });
        var campaign = await created.AssertJsonAsync(HttpStatusCode.Created);
        Assert.Contains("\"perLead\":500,", campaign.ToJsonString());

        var refused = await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Tokyo", objective = "sales", destinationUrl = "https://shop.example/jp", currency = "JPY",
            rewards = new { perLead = 1.5 },
        });
        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("JPY", problem["errors"]!["rewards.perLead"]![0].Str());
    }

    public static TheoryData<string, HttpStatusCode, string> BadCampaigns => new()
    {
        { "{\"name\": \"x\",", HttpStatusCode.BadRequest, "" },
        { "", HttpStatusCode.BadRequest, "" },
        { "[]", HttpStatusCode.BadRequest, "" },
        { "not json at all", HttpStatusCode.BadRequest, "" },
        { Body("\"capacity\": \"many\""), HttpStatusCode.UnprocessableEntity, "capacity" },
        { Body("\"startsOn\": \"next tuesday\""), HttpStatusCode.UnprocessableEntity, "startsOn" },
        { Body("\"objective\": \"fame\""), HttpStatusCode.UnprocessableEntity, "objective" },
        { Body("\"objective\": \"Sales\""), HttpStatusCode.UnprocessableEntity, "objective" },
        { Body("\"objective\": \"brand,sales\""), HttpStatusCode.UnprocessableEntity, "objective" },
        { Body("\"objective\": \"2\""), HttpStatusCode.UnprocessableEntity, "objective" },
        { Body("\"name\": null"), HttpStatusCode.UnprocessableEntity, "name" },
        { Body($"\"name\": \"{new string('x', 201)}\""), HttpStatusCode.UnprocessableEntity, "name" },
        { Body("\"currency\": \"EURO\""), HttpStatusCode.UnprocessableEntity, "currency" },
        { Body("\"currency\": \"XYZ\""), HttpStatusCode.UnprocessableEntity, "currency" },
        { Body("\"destinationUrl\": \"javascript:alert(1)\""), HttpStatusCode.UnprocessableEntity, "destinationUrl" },
        { Body("\"capacity\": 0"), HttpStatusCode.UnprocessableEntity, "capacity" },
        { Body("\"attributionWindowDays\": -3"), HttpStatusCode.UnprocessableEntity, "attributionWindowDays" },
        { Body("\"rewards\": {\"perLead\": -1}"), HttpStatusCode.UnprocessableEntity, "rewards.perLead" },
        { Body("\"rewards\": {\"perSale\": 1.999}"), HttpStatusCode.UnprocessableEntity, "rewards.perSale" },
        { Body("\"rewards\": {\"salePercent\": 120}"), HttpStatusCode.UnprocessableEntity, "rewards.salePercent" },
        { Body("\"status\": \"archived\""), HttpStatusCode.UnprocessableEntity, "status" },
        { Body("\"startsOn\": \"2027-02-01\", \"endsOn\": \"2027-01-01\""), HttpStatusCode.UnprocessableEntity, "endsOn" },
    };

    /// <summary>A valid campaign body with one field replaced (a later duplicate key wins in System.Text.Json).</summary>
    private static string Body(string replacement) =>
        "{\"name\":\"Valid\",\"objective\":\"sales\",\"destinationUrl\":\"https://shop.example\",\"currency\":\"EUR\"," + replacement + "}";

    [SkippableTheory]
    [MemberData(nameof(BadCampaigns))]
    public async Task BadCampaignsAreRefusedWithAProblemAndNothingIsStored(string json, HttpStatusCode status, string field)
    {
        await using var before = App.Db();
        var count = await before.Campaigns.CountAsync();

        var problem = await (await App.Admin().PostRawAsync("/api/v1/campaigns", json)).AssertProblemAsync(status);
        if (field.Length > 0) Assert.NotNull(problem["errors"]![field]);

        await using var after = App.Db();
        Assert.Equal(count, await after.Campaigns.CountAsync());
    }

    [SkippableFact]
    public async Task AnUnknownCampaignIs404()
    {
        var admin = App.Admin();
        await (await admin.GetAsync("/api/v1/campaigns/cmp_abcdefghijkmnpqr")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/campaigns/whatever")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PatchJsonAsync("/api/v1/campaigns/cmp_abcdefghijkmnpqr", new { name = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync("/api/v1/campaigns/cmp_abcdefghijkmnpqr/content", new { title = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task ACampaignCanBeChangedButNotItsCurrency()
    {
        var admin = App.Admin();
        var id = (await admin.CreateCampaignAsync())["id"].Str();

        var changed = await (await admin.PatchJsonAsync($"/api/v1/campaigns/{id}", new { name = "Fiesta Movement II", status = "recruiting", capacity = 50 }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Fiesta Movement II", changed["name"].Str());
        Assert.Equal("recruiting", changed["status"].Str());
        Assert.Equal(50, (int)changed["capacity"]!);
        Assert.Equal("sales", changed["objective"].Str());

        await (await admin.PatchJsonAsync($"/api/v1/campaigns/{id}", new { currency = "USD" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.PatchJsonAsync($"/api/v1/campaigns/{id}", new { name = "" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var stored = await (await admin.GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Fiesta Movement II", stored["name"].Str());
        Assert.Equal("EUR", stored["currency"].Str());
    }

    [SkippableFact]
    public async Task CampaignsAreListedNewestFirstByStatusAndPage()
    {
        var admin = App.Admin();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await admin.CreateCampaignAsync(name: $"List {tag} {i}"))["id"].Str());
        await admin.PatchJsonAsync($"/api/v1/campaigns/{ids[1]}", new { status = "paused" });

        var all = await (await admin.GetAsync("/api/v1/campaigns?limit=200")).AssertJsonAsync(HttpStatusCode.OK);
        var listed = all["items"]!.AsArray().Select(c => c!["id"].Str()).Where(ids.Contains).ToList();
        Assert.Equal(ids.AsEnumerable().Reverse(), listed);
        Assert.True((int)all["total"]! >= 3);

        var paused = await (await admin.GetAsync("/api/v1/campaigns?status=paused&limit=200")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Contains(ids[1], paused["items"]!.AsArray().Select(c => c!["id"].Str()));
        Assert.All(paused["items"]!.AsArray(), c => Assert.Equal("paused", c!["status"].Str()));

        var page = await (await admin.GetAsync("/api/v1/campaigns?limit=1&offset=1")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Single(page["items"]!.AsArray());
        await (await admin.GetAsync("/api/v1/campaigns?limit=0")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.GetAsync("/api/v1/campaigns?status=gone")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var unreadable = await (await admin.GetAsync("/api/v1/campaigns?limit=lots")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(unreadable["errors"]!["limit"]);
    }

    [SkippableFact]
    public async Task TheRosterShowsWhoJoinedWithTheirLinks()
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync())["id"].Str();
        var first = await admin.CreateAmbassadorAsync();
        var second = await admin.CreateAmbassadorAsync();
        (await admin.EnrolAsync(campaignId, first["id"].Str(), $"first-{Guid.NewGuid():N}"[..14])).EnsureSuccessStatusCode();
        (await admin.EnrolAsync(campaignId, second["id"].Str())).EnsureSuccessStatusCode();

        var roster = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/ambassadors")).AssertJsonAsync(HttpStatusCode.OK);
        var items = roster["items"]!.AsArray();
        Assert.Equal(2, (int)roster["total"]!);
        Assert.Equal(first["id"].Str(), items[0]!["ambassadorId"].Str());
        Assert.Equal(first["email"].Str(), items[0]!["email"].Str());
        Assert.StartsWith("FIRST-", items[0]!["referralCode"].Str());
        Assert.Equal($"http://localhost/r/{items[1]!["referralCode"].Str()}", items[1]!["url"].Str());
        await (await admin.GetAsync("/api/v1/campaigns/cmp_abcdefghijkmnpqr/ambassadors")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task CapacityCannotGoBelowTheMembersAlreadyIn()
    {
        var admin = App.Admin();
        var id = (await admin.CreateCampaignAsync(capacity: 5))["id"].Str();
        for (var i = 0; i < 3; i++)
        {
            var ambassador = await admin.CreateAmbassadorAsync();
            (await admin.EnrolAsync(id, ambassador["id"].Str())).EnsureSuccessStatusCode();
        }
        await (await admin.PatchJsonAsync($"/api/v1/campaigns/{id}", new { capacity = 2 })).AssertProblemAsync(HttpStatusCode.Conflict);
        var stored = await (await admin.GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, (int)stored["capacity"]!);
        Assert.Equal(3, (int)stored["members"]!);
    }
}

public sealed class CampaignsOnSqlite(SqliteFixture fixture) : CampaignTests(fixture), IClassFixture<SqliteFixture>;

public sealed class CampaignsOnPostgres(PostgresFixture fixture) : CampaignTests(fixture), IClassFixture<PostgresFixture>;
