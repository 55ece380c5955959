using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Http;

/// <summary>The contract's input rules that are more than a refusal: merge patches, ids usable in paths, 404 audits.</summary>
public abstract class InputRulesTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task APatchFollowsJsonMergePatch_NullClearsAnOptionalField_ALeftOutFieldStays()
    {
        var admin = App.Admin();
        var created = await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Merge", objective = "sales", destinationUrl = "https://shop.example", currency = "EUR",
            startsOn = "2026-01-01", endsOn = "2026-12-31", capacity = 5, rewards = new { perLead = 2, perSale = 10 },
        })).AssertJsonAsync(HttpStatusCode.Created);
        var id = created["id"].Str();

        var patched = await (await admin.PatchAsync($"/api/v1/campaigns/{id}", new StringContent(
                """{"capacity":null,"endsOn":null,"rewards":{"perSale":null}}""", System.Text.Encoding.UTF8, "application/merge-patch+json")))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(patched["capacity"]);
        Assert.Null(patched["endsOn"]);
        Assert.Equal("2026-01-01", patched["startsOn"].Str());
        Assert.Null(patched["rewards"]!["perSale"]);
        Assert.Equal(2m, patched["rewards"]!["perLead"]!.GetValue<decimal>());
        await using (var db = App.Db())
        {
            var stored = await db.Campaigns.SingleAsync(c => c.Id == id);
            Assert.Equal((null, null, new DateOnly(2026, 1, 1), 2m), (stored.Capacity, stored.EndsOn, stored.StartsOn, stored.RewardPerLead));
        }

        var cleared = await (await admin.PatchJsonAsync($"/api/v1/campaigns/{id}", new { startsOn = (string?)null, rewards = (object?)null }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(cleared["startsOn"]);
        Assert.Null(cleared["rewards"]!["perLead"]);
        Assert.Equal("Merge", cleared["name"].Str());
    }

    [SkippableTheory]
    [InlineData("""{"objective":""}""", "objective")]
    [InlineData("""{"status":""}""", "status")]
    [InlineData("""{"destinationUrl":""}""", "destinationUrl")]
    [InlineData("""{"destinationUrl":" "}""", "destinationUrl")]
    [InlineData("""{"attributionWindowDays":null}""", "attributionWindowDays")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"objective":null}""", "objective")]
    public async Task APatchCannotEmptyAFieldThatAlwaysHasAValue(string json, string field)
    {
        var admin = App.Admin();
        var id = (await admin.CreateCampaignAsync())["id"].Str();
        var problem = await (await admin.PatchAsync($"/api/v1/campaigns/{id}", new StringContent(json, System.Text.Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]![field]);
        await using var db = App.Db();
        Assert.Equal(1, (await db.Campaigns.SingleAsync(c => c.Id == id)).Version);
    }

    [SkippableTheory]
    [InlineData("Order.1_2:3-4#5@6")]
    [InlineData("a")]
    [InlineData("#@:")]
    public async Task EveryAcceptedExternalIdCanBeReadAndReversedThroughItsPath(string suffix)
    {
        var admin = App.Admin();
        var (_, _, code) = await admin.PayingCampaignAsync();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var externalId = $"{Guid.NewGuid():N}{suffix}";
        await (await merchant.PostJsonAsync("/api/v1/conversions", new { externalId, kind = "lead", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);

        var path = $"/api/v1/conversions/{Uri.EscapeDataString(externalId)}";
        Assert.Equal(externalId, (await (await merchant.GetAsync(path)).AssertJsonAsync(HttpStatusCode.OK))["externalId"].Str());
        await (await merchant.PostJsonAsync($"{path}/reversal", new { reason = "refund" })).AssertJsonAsync(HttpStatusCode.OK);
        await using var db = App.Db();
        Assert.NotNull((await db.Conversions.SingleAsync(c => c.ExternalId == externalId)).ReversedAt);
    }

    [SkippableFact]
    public async Task MultiLineTextsKeepTheirTabsAndLineBreaks()
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync())["id"].Str();
        const string body = "Week 1:\tthe road trip.\r\nWeek 2:\tthe festival.\nBring a friend.";
        var piece = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { title = "Mission", body }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(body, piece["body"].Str());
        // A single-line field still refuses them.
        var refused = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { title = "Mission\nTwo" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(refused["errors"]!["title"]);
    }

    [SkippableFact]
    public async Task AuditRoutesAnswer404ForUnknownBatchesAndAmbassadors()
    {
        var admin = App.Admin();
        await (await admin.GetAsync("/api/v1/payouts/pay_unknown0000000000/audit")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/ambassadors/amb_unknown000000000/payout-details/audit")).AssertProblemAsync(HttpStatusCode.NotFound);
        var known = (await admin.CreateAmbassadorAsync())["id"].Str();
        Assert.Empty(await (await admin.GetAsync($"/api/v1/ambassadors/{known}/payout-details/audit")).AssertJsonArrayAsync(HttpStatusCode.OK));
    }

    [SkippableFact]
    public async Task MarkingPaidNamesTheReferenceAsTheClientSentIt()
    {
        var admin = App.Admin();
        var problem = await (await admin.PostJsonAsync("/api/v1/payouts/pay_unknown0000000000/paid", new { reference = new string('r', 141) }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["reference"]);
        Assert.Null(problem["errors"]!["paymentReference"]);
    }
}

public sealed class InputRulesOnSqlite(SqliteFixture fixture) : InputRulesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class InputRulesOnPostgres(PostgresFixture fixture) : InputRulesTests(fixture), IClassFixture<PostgresFixture>;
