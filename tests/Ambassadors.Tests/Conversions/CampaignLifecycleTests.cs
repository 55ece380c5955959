using Ambassadors.Data;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Conversions;

/// <summary>
/// The campaign's dates decide whether a conversion earns: by the click's day when a person's click attributes it, by the
/// conversion's day when the referral code alone does. Outside them it is recorded without a reward and says why.
/// </summary>
public abstract class CampaignLifecycleTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static string Day(int daysFromToday) => DateOnly.FromDateTime(Now.UtcDateTime).AddDays(daysFromToday).ToString("yyyy-MM-dd");

    private static string NewExternalId() => $"order-{Guid.NewGuid():N}";

    /// <summary>A campaign (10% second-degree override) with Anna, and Bram whom Anna referred; Bram's code.</summary>
    private async Task<(string CampaignId, string BramId, string BramCode)> CampaignAsync(HttpClient admin, string? startsOn, string? endsOn)
    {
        var (campaignId, _, annaCode) = await admin.CampaignWithMemberAsync(
            rewards: new { perLead = 2, perSale = 10, salePercent = 5, secondDegreePercent = 10 }, attributionWindowDays: 30, holdingPeriodDays: 0);
        var bramId = (await admin.CreateAmbassadorAsync())["id"].Str();
        var bramCode = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = bramId, referredBy = annaCode }))
            .AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        // Dates set after enrolment, as a manager ends a campaign that ran.
        await (await admin.PatchJsonAsync($"/api/v1/campaigns/{campaignId}", new { startsOn, endsOn })).AssertJsonAsync(HttpStatusCode.OK);
        return (campaignId, bramId, bramCode);
    }

    /// <summary>A person's (or a bot's) click on the code, stored as the collector stores it, <paramref name="daysAgo"/> days ago.</summary>
    private async Task<string> ClickAsync(string campaignId, string ambassadorId, string code, double daysAgo, bool isBot = false)
    {
        var at = Now.AddDays(-daysAgo);
        var id = Ambassadors.Web.Tracking.ClickIds.New(at);
        await using var db = App.Db();
        db.Clicks.Add(new Click
        {
            Id = id, Code = code, AmbassadorId = ambassadorId, CampaignId = campaignId, VisitorId = Guid.NewGuid().ToString("N"), At = at, IsBot = isBot,
        });
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>Recorded with no reward, the note saying why; the same on GET and in the list; no ledger entry, no override.</summary>
    private async Task AssertRecordedWithoutRewardAsync(HttpClient admin, JsonObject created, string note)
    {
        Assert.Null(created["reward"]);
        Assert.True(created.ContainsKey("reward"), "'reward' is written as null");
        Assert.Equal(note, created["rewardNote"].Str());
        Assert.Null(created["secondDegree"]);
        var externalId = created["externalId"].Str();
        var read = await (await admin.GetAsync($"/api/v1/conversions/{externalId}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Null(read["reward"]);
        Assert.Equal(note, read["rewardNote"].Str());
        var list = await (await admin.GetAsync($"/api/v1/conversions?campaignId={created["campaignId"].Str()}&limit=100")).AssertJsonAsync(HttpStatusCode.OK);
        var listed = list["items"]!.AsArray().Single(c => c!["externalId"].Str() == externalId)!;
        Assert.Null(listed["reward"]);
        Assert.Equal(note, listed["rewardNote"].Str());
        await using var db = App.Db();
        Assert.False(await db.Ledger.AnyAsync(e => e.ConversionId == created["id"].Str()));
    }

    private static void AssertEarned(JsonObject created, decimal reward)
    {
        Assert.Equal(reward, created["reward"]!["amount"].Dec());
        Assert.Null(created["rewardNote"]);
    }

    [SkippableFact]
    public async Task ACodeOnlyConversionEarnsOnlyOnTheCampaignsDates()
    {
        var admin = App.Admin();

        var (_, _, notYet) = await CampaignAsync(admin, startsOn: Day(3), endsOn: null);
        var early = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = notYet }))
            .AssertJsonAsync(HttpStatusCode.Created);
        await AssertRecordedWithoutRewardAsync(admin, early, $"the campaign starts on {Day(3)}; the conversion happened on {Day(0)}");

        var (endedId, bramId, ended) = await CampaignAsync(admin, startsOn: Day(-30), endsOn: Day(-5));
        var late = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "sale", amount = 100, currency = "EUR", referralCode = ended }))
            .AssertJsonAsync(HttpStatusCode.Created);
        await AssertRecordedWithoutRewardAsync(admin, late, $"the campaign ended on {Day(-5)}; the conversion happened on {Day(0)}");

        // Both ends are inclusive, in UTC: the first second of startsOn and the last of endsOn earn.
        var lastSecond = DateOnly.Parse(Day(-5)).ToDateTime(new TimeOnly(23, 59, 59));
        var onLastDay = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "sale", amount = 100, currency = "EUR", referralCode = ended,
            occurredAt = $"{lastSecond:yyyy-MM-ddTHH:mm:ss}Z" })).AssertJsonAsync(HttpStatusCode.Created);
        AssertEarned(onLastDay, 15.00m);                                  // 10 + 5% of 100
        Assert.Equal(1.50m, onLastDay["secondDegree"]!["amount"].Dec()); // Anna's override
        // One second later, written in another offset: the next UTC day, after the end.
        var afterEnd = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = ended,
            occurredAt = $"{lastSecond.AddSeconds(1).AddHours(2):yyyy-MM-ddTHH:mm:ss}+02:00" })).AssertJsonAsync(HttpStatusCode.Created);
        await AssertRecordedWithoutRewardAsync(admin, afterEnd, $"the campaign ended on {Day(-5)}; the conversion happened on {Day(-4)}");
        var firstDay = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = ended,
            occurredAt = $"{Day(-30)}T00:00:00Z" })).AssertJsonAsync(HttpStatusCode.Created);
        AssertEarned(firstDay, 2.00m);

        var (_, _, running) = await CampaignAsync(admin, startsOn: Day(-10), endsOn: Day(10));
        AssertEarned(await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = running }))
            .AssertJsonAsync(HttpStatusCode.Created), 2.00m);

        // Without a reward they still count as leads and sales; only the one sale on the last day earned.
        var stats = await (await admin.GetAsync($"/api/v1/campaigns/{endedId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, stats["leads"].Long());
        Assert.Equal(2, stats["sales"].Long());
        Assert.Equal(200m, stats["revenue"].MoneyIn("EUR"));
        Assert.Equal(17.00m, stats["rewards"]!["approved"].MoneyIn("EUR"));
        var bram = await (await admin.GetAsync($"/api/v1/ambassadors/{bramId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(17.00m, bram["rewards"]!["approved"].MoneyIn("EUR"));
    }

    [SkippableFact]
    public async Task AClickEarnsWhenMadeWhileTheCampaignRanEvenIfTheSaleComesAfterItsEnd()
    {
        var admin = App.Admin();
        var (campaignId, bramId, code) = await CampaignAsync(admin, startsOn: Day(-20), endsOn: Day(-5));

        // Clicked during the campaign, bought today (after the end, inside the 30-day window): earns.
        var during = await ClickAsync(campaignId, bramId, code, daysAgo: 10);
        var sale = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "sale", amount = 40, currency = "EUR", clickId = during }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal("clickId", sale["attributedBy"].Str());
        AssertEarned(sale, 12.00m);

        // Clicked after the end: attributed to Bram, but earns nothing.
        var after = await ClickAsync(campaignId, bramId, code, daysAgo: 2);
        var late = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = after }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(bramId, late["ambassadorId"].Str());
        Assert.Equal("clickId", late["attributedBy"].Str());
        await AssertRecordedWithoutRewardAsync(admin, late, $"the campaign ended on {Day(-5)}; the click was on {Day(-2)}");

        // Clicked before the start, bought during the campaign: the click decides, and it came too early.
        var before = await ClickAsync(campaignId, bramId, code, daysAgo: 25);
        var early = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = before, occurredAt = Now.AddDays(-15) }))
            .AssertJsonAsync(HttpStatusCode.Created);
        await AssertRecordedWithoutRewardAsync(admin, early, $"the campaign starts on {Day(-20)}; the click was on {Day(-25)}");
    }

    [SkippableFact]
    public async Task ABotsClickNeverAttributesAConversion()
    {
        var admin = App.Admin();
        var (campaignId, bramId, code) = await CampaignAsync(admin, startsOn: null, endsOn: null);

        // A link fetched by curl: redirected, its raw click marked as a bot's.
        var botClick = Clicks.ClickIdOf(await App.Visitor().ClickAsync(code, userAgent: "curl/8.5.0"));
        await Clicks.EventuallyAsync(async () =>
        {
            await using var db = App.Db();
            return await db.Clicks.AnyAsync(c => c.Id == botClick && c.IsBot);
        });
        var refused = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "sale", amount = 40, currency = "EUR", clickId = botClick }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(refused["errors"]?["clickId"]);
        Assert.Contains($"click {botClick} came from a bot or link preview", refused["detail"].Str());

        // With the referral code too, the code attributes it (and earns: the campaign runs).
        var byCode = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = botClick, referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal("referralCode", byCode["attributedBy"].Str());
        Assert.Null(byCode["clickId"]);
        AssertEarned(byCode, 2.00m);

        // A preview bot's stored click is refused the same way.
        var preview = await ClickAsync(campaignId, bramId, code, daysAgo: 1, isBot: true);
        await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = preview }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await using var check = App.Db();
        Assert.Equal(1, await check.Conversions.CountAsync(c => c.CampaignId == campaignId));
    }

    [SkippableFact]
    public async Task TheLinksOfAnEndedCampaignKeepRedirecting()
    {
        var admin = App.Admin();
        var (_, _, code) = await CampaignAsync(admin, startsOn: Day(-30), endsOn: Day(-1));

        var response = await App.Visitor().ClickAsync(code);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://shop.example/fiesta?", response.Headers.Location!.ToString());
        Assert.StartsWith("clk_", Clicks.ClickIdOf(response));
    }

    [SkippableFact]
    public async Task OccurredAtNeedsAnOffsetAndMayBeAFewMinutesAheadButNotMore()
    {
        var admin = App.Admin();
        var (campaignId, _, code) = await CampaignAsync(admin, startsOn: null, endsOn: null);
        var today = Day(0);

        foreach (var (occurredAt, words) in new[]
        {
            ($"{today}T10:00:00", "has no time-zone offset"),
            ($"{today}T10:00:00.123", "has no time-zone offset"),
            ($"{today}", "is not a date and time"),
            ($"{today} 10:00:00Z", "is not a date and time"),
            ("2026-02-30T10:00:00Z", "is not a date and time that exists"),
            (Now.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ssK"), "is in the future"),
        })
        {
            var problem = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = code, occurredAt }))
                .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains(words, problem["errors"]!["occurredAt"]![0].Str());
        }
        await using (var db = App.Db())
        {
            Assert.False(await db.Conversions.AnyAsync(c => c.CampaignId == campaignId));
        }

        // A merchant's clock a little ahead of ours (within the tolerated skew) is fine.
        var ahead = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = code,
            occurredAt = Now.AddMinutes(2).ToString("yyyy-MM-ddTHH:mm:ss.fffK") })).AssertJsonAsync(HttpStatusCode.Created);
        AssertEarned(ahead, 2.00m);
    }
}

public sealed class CampaignLifecycleOnSqlite(SqliteFixture fixture) : CampaignLifecycleTests(fixture), IClassFixture<SqliteFixture>;

public sealed class CampaignLifecycleOnPostgres(PostgresFixture fixture) : CampaignLifecycleTests(fixture), IClassFixture<PostgresFixture>;
