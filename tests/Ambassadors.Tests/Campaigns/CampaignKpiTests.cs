using System.Net;

namespace Ambassadors.Tests.Campaigns;

/// <summary>A campaign's KPI, texts, target countries and scoring weights through the API, and the KPI's progress in its stats.</summary>
public abstract class CampaignKpiTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task ACampaignKeepsItsKpiTextsCountriesAndWeights()
    {
        var admin = App.Admin();
        var response = await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Vogue Circle", objective = "brand", destinationUrl = "https://vogue.example", currency = "EUR",
            kpi = new { metric = "revenue", target = "5000" },
            description = "Early access to the collection.\nShare what you love.",
            terms = "You post at least once a month.",
            targetCountries = new[] { "nl", " BE ", "NL" },
            scoring = new { reach = 2, motivation = 3.5, pastResults = 0 },
        });
        var created = await response.AssertJsonAsync(HttpStatusCode.Created);
        var text = await (await admin.GetAsync($"/api/v1/campaigns/{created["id"].Str()}")).Content.ReadAsStringAsync();

        Assert.Contains("\"kpi\":{\"metric\":\"revenue\",\"target\":5000.00}", text);
        Assert.Contains("\"description\":\"Early access to the collection.\\nShare what you love.\"", text);
        Assert.Contains("\"terms\":\"You post at least once a month.\"", text);
        Assert.Contains("\"targetCountries\":[\"NL\",\"BE\"]", text);
        Assert.Contains("\"scoring\":{\"reach\":2,\"engagement\":1,\"motivation\":3.5,\"countryFit\":1,\"pastResults\":0}", text);
    }

    [SkippableFact]
    public async Task ACampaignWithoutThemHasNoKpiNoTextsAnywhereAndWeightOneForEveryPart()
    {
        var admin = App.Admin();
        var id = (await admin.CreateCampaignAsync())["id"].Str();
        var campaign = await (await admin.GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(campaign["kpi"]);
        Assert.Null(campaign["description"]);
        Assert.Empty(campaign["targetCountries"]!.AsArray());
        Assert.Equal("{\"reach\":1,\"engagement\":1,\"motivation\":1,\"countryFit\":1,\"pastResults\":1}", campaign["scoring"]!.ToJsonString());

        var stats = await (await admin.GetAsync($"/api/v1/campaigns/{id}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.False(stats.ContainsKey("kpiProgress"));
    }

    [SkippableFact]
    public async Task AMergePatchReplacesClearsAndKeepsEachNewField()
    {
        var admin = App.Admin();
        var id = (await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Fiesta", objective = "sales", destinationUrl = "https://ford.example", currency = "EUR",
            kpi = new { metric = "sales", target = 100 }, description = "About", terms = "Terms", targetCountries = new[] { "DE" },
        })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var url = $"/api/v1/campaigns/{id}";

        var changed = await (await admin.PatchJsonAsync(url, new { kpi = new { metric = "uniqueVisitors", target = 2500 }, scoring = new { engagement = 4 } }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("{\"metric\":\"uniqueVisitors\",\"target\":2500}", changed["kpi"]!.ToJsonString());
        Assert.Equal(4m, changed["scoring"]!["engagement"].Dec());
        Assert.Equal(1m, changed["scoring"]!["reach"].Dec());
        Assert.Equal("About", changed["description"].Str());
        Assert.Equal("DE", changed["targetCountries"]![0].Str());

        var cleared = await (await admin.PatchRawAsync(url, "{\"kpi\":null,\"description\":\"\",\"terms\":null,\"targetCountries\":[]}"))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(cleared["kpi"]);
        Assert.Null(cleared["description"]);
        Assert.Null(cleared["terms"]);
        Assert.Empty(cleared["targetCountries"]!.AsArray());
        Assert.Equal(4m, cleared["scoring"]!["engagement"].Dec());

        var problem = await (await admin.PatchRawAsync(url, "{\"scoring\":null}")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["scoring"]);
    }

    [SkippableFact]
    public async Task StatsCarryTheFractionOfTheKpiTargetReached()
    {
        var admin = App.Admin();
        var (campaignId, _, code) = await admin.CampaignWithMemberAsync();
        await (await admin.PatchJsonAsync($"/api/v1/campaigns/{campaignId}", new { kpi = new { metric = "leads", target = 8 } })).AssertJsonAsync(HttpStatusCode.OK);
        for (var i = 0; i < 3; i++)
        {
            await (await admin.ConvertAsync(new { externalId = $"lead-{Guid.NewGuid():N}", kind = "lead", referralCode = code })).AssertJsonAsync(HttpStatusCode.Created);
        }
        var stats = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0.375m, stats["kpiProgress"].Dec());

        // Revenue counts the sales' amounts in the campaign's currency; progress is not capped at 1.
        await (await admin.PatchJsonAsync($"/api/v1/campaigns/{campaignId}", new { kpi = new { metric = "revenue", target = "40.00" } })).AssertJsonAsync(HttpStatusCode.OK);
        await (await admin.ConvertAsync(new { externalId = $"sale-{Guid.NewGuid():N}", kind = "sale", amount = "50.00", currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var revenue = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1.25m, revenue["kpiProgress"].Dec());

        // Other subjects' stats have none.
        var ambassador = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/ambassadors")).AssertJsonAsync(HttpStatusCode.OK);
        var ambassadorId = ambassador["items"]![0]!["ambassadorId"].Str();
        var theirs = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.False(theirs.ContainsKey("kpiProgress"));
    }

    public static TheoryData<string, string> BadFields => new()
    {
        { "\"kpi\": {\"metric\": \"views\", \"target\": 10}", "kpi.metric" },
        { "\"kpi\": {\"metric\": \"Clicks\", \"target\": 10}", "kpi.metric" },
        { "\"kpi\": {\"target\": 10}", "kpi.metric" },
        { "\"kpi\": {\"metric\": \"sales\"}", "kpi.target" },
        { "\"kpi\": {\"metric\": \"sales\", \"target\": 0}", "kpi.target" },
        { "\"kpi\": {\"metric\": \"leads\", \"target\": -5}", "kpi.target" },
        { "\"kpi\": {\"metric\": \"sales\", \"target\": 10.5}", "kpi.target" },
        { "\"kpi\": {\"metric\": \"revenue\", \"target\": \"10.001\"}", "kpi.target" },
        { "\"kpi\": {\"metric\": \"revenue\", \"target\": 1e-30}", "kpi.target" },
        { "\"kpi\": {\"metric\": \"clicks\", \"target\": \"many\"}", "kpi.target" },
        { "\"kpi\": \"sales\"", "kpi" },
        { "\"targetCountries\": [\"XX\"]", "targetCountries" },
        { "\"targetCountries\": [\"NLD\"]", "targetCountries" },
        { "\"targetCountries\": [null]", "targetCountries" },
        { "\"targetCountries\": \"NL\"", "targetCountries" },
        { "\"scoring\": {\"reach\": 101}", "scoring.reach" },
        { "\"scoring\": {\"countryFit\": -1}", "scoring.countryFit" },
        { "\"scoring\": {\"pastResults\": 0.00001}", "scoring.pastResults" },
        { "\"description\": \"bell\\u0007\"", "description" },
        { $"\"description\": \"{new string('x', 4001)}\"", "description" },
        { "\"terms\": \"nul\\u0000\"", "terms" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadFields))]
    public async Task BadKpisCountriesWeightsAndTextsAre422sNamingTheFieldOnCreateAndPatch(string field, string name)
    {
        var admin = App.Admin();
        var created = await (await admin.PostRawAsync("/api/v1/campaigns",
                "{\"name\":\"Valid\",\"objective\":\"sales\",\"destinationUrl\":\"https://shop.example\",\"currency\":\"EUR\"," + field + "}"))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(created["errors"]![name]);

        var id = (await admin.CreateCampaignAsync())["id"].Str();
        var patched = await (await admin.PatchRawAsync($"/api/v1/campaigns/{id}", "{" + field + "}")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(patched["errors"]![name]);
        var unchanged = await (await admin.GetAsync($"/api/v1/campaigns/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(unchanged["kpi"]);
        Assert.Empty(unchanged["targetCountries"]!.AsArray());
    }
}

internal static class PatchRequests
{
    public static Task<HttpResponseMessage> PatchRawAsync(this HttpClient client, string url, string json) =>
        client.PatchAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/merge-patch+json"));
}

public sealed class CampaignKpiOnSqlite(SqliteFixture fixture) : CampaignKpiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class CampaignKpiOnPostgres(PostgresFixture fixture) : CampaignKpiTests(fixture), IClassFixture<PostgresFixture>;
