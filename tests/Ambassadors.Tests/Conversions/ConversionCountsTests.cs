using System.Net;
using System.Text.Json.Nodes;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Conversions;

/// <summary>
/// The stats' conversion and reward counts (kept by each conversion, reversal and payout) against a recount from the raw
/// tables, the statements the migrations ran over an existing database: the same rows, and the same stats read through the
/// API before and after.
/// </summary>
public abstract class ConversionCountsTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task TheKeptCountsEqualARecountAfterConversionsReversalsOverridesAndPayouts()
    {
        var (admin, finance, merchant) = await App.PayoutClientsAsync();
        var (campaignId, annaId, annaCode) = await admin.CampaignWithMemberAsync(
            rewards: new { perLead = 2, perSale = 10, salePercent = 5, secondDegreePercent = 10 }, holdingPeriodDays: 0);
        var bramId = (await admin.CreateAmbassadorAsync(followers: 50))["id"].Str();
        var bramCode = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = bramId, referredBy = annaCode }))
            .AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        var pieceId = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { title = "Unboxing" }))
            .AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        string bramPieceCode;
        await using (var db = App.Db())
        {
            bramPieceCode = await db.ReferralCodes.Where(c => c.ContentId == pieceId && c.AmbassadorId == bramId).Select(c => c.Code).SingleAsync();
        }

        // Leads and sales over three days, by Anna, by Bram (Anna earns overrides) and through Bram's link to the piece.
        var now = DateTimeOffset.UtcNow;
        var sent = new List<string>();
        async Task<string> ConvertAsync(string kind, string code, int daysAgo, decimal? amount = null)
        {
            var externalId = $"order-{Guid.NewGuid():N}";
            await (await merchant.ConvertAsync(new { externalId, kind, amount, currency = amount is null ? null : "EUR", referralCode = code, occurredAt = now.AddDays(-daysAgo).AddMinutes(-5) }))
                .AssertJsonAsync(HttpStatusCode.Created);
            sent.Add(externalId);
            return externalId;
        }
        await ConvertAsync("lead", annaCode, 0);
        await ConvertAsync("sale", annaCode, 1, 40);
        var bramSale = await ConvertAsync("sale", bramCode, 2, 80);
        await ConvertAsync("lead", bramPieceCode, 1);
        var pieceSale = await ConvertAsync("sale", bramPieceCode, 0, 19.99m);
        await ConvertAsync("sale", bramPieceCode, 2, 25);

        // A reversal before payment, then everything paid, then a reversal after payment (a clawback).
        await (await merchant.PostJsonAsync($"/api/v1/conversions/{pieceSale}/reversal", new { reason = "refund" })).AssertJsonAsync(HttpStatusCode.OK);
        await finance.BankDetailsAsync(annaId);
        await finance.BankDetailsAsync(bramId, "Bram Jansen");
        await finance.SettleEverythingAsync();
        await (await merchant.PostJsonAsync($"/api/v1/conversions/{bramSale}/reversal", new { reason = "refund" })).AssertJsonAsync(HttpStatusCode.OK);
        await ConvertAsync("lead", bramCode, 0);

        var urls = new List<string>();
        foreach (var path in new[] { $"campaigns/{campaignId}", $"ambassadors/{annaId}", $"ambassadors/{bramId}", $"content/{pieceId}" })
        {
            urls.Add($"/api/v1/{path}/stats");
            urls.Add($"/api/v1/{path}/stats?from={now.AddDays(-1):yyyy-MM-dd}&to={now:yyyy-MM-dd}");
        }
        var before = await StatsAsync(admin, urls);
        var campaign = JsonNode.Parse(before[0])!;
        Assert.Equal(3, campaign["leads"].Long()); // three leads, all standing
        Assert.Equal(2, campaign["sales"].Long()); // four sales, two reversed
        Assert.Equal(65.00m, campaign["revenue"].MoneyIn("EUR"));
        var anna = JsonNode.Parse(before[2])!;
        Assert.Equal(2, anna["secondDegree"]!["leads"].Long()); // Bram's, standing: two leads and one sale
        Assert.Equal(1, anna["secondDegree"]!["sales"].Long());

        var kept = await CountsAsync();
        var keptRewards = await RewardCountsAsync();
        await using (var db = App.Db())
        {
            await db.ConversionCounts.ExecuteDeleteAsync();
            await db.RewardCounts.ExecuteDeleteAsync();
            foreach (var statement in ConversionCounts.Recount.Concat(RewardCounts.Recount(db.Engine))) await db.Database.ExecuteSqlRawAsync(statement);
        }
        // A count back at 0 keeps its row where the recount has none.
        Assert.Equal(await CountsAsync(), kept.Where(c => c.Count != 0 || c.AmountMinor != 0 || c.Overridden != 0).ToList());
        Assert.Equal(await RewardCountsAsync(), keptRewards.Where(c => c.Entries != 0 || c.AmountMinor != 0).ToList());
        Assert.Contains(keptRewards, c => c.State == LedgerEntryState.Paid && c.Second && c.Entries > 0);
        var after = await StatsAsync(admin, urls);
        for (var i = 0; i < urls.Count; i++) Assert.Equal(before[i], after[i]);
    }

    /// <summary>
    /// The rewards whose holding ends today are summed from the ledger's index (LedgerStatsDay): one that matured minutes
    /// ago is approved, one that matures in minutes is pending, the referrer's override is second degree, and a window
    /// counts them on their conversion's day, not on the day they mature.
    /// </summary>
    [SkippableFact]
    public async Task TodaysMaturingRewardsAreSplitAtTheInstantByDegreeAndConversionDay()
    {
        var (admin, _, merchant) = await App.PayoutClientsAsync();
        var (campaignId, annaId, annaCode) = await admin.CampaignWithMemberAsync(
            rewards: new { perLead = 2, secondDegreePercent = 10 }, holdingPeriodDays: 1);
        var bramId = (await admin.CreateAmbassadorAsync(followers: 50))["id"].Str();
        var bramCode = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = bramId, referredBy = annaCode }))
            .AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();

        // Bram's two leads a day ago, one ten minutes earlier than the other: with a day's holding one is payable since
        // ten minutes, the other in ten minutes.
        var now = DateTimeOffset.UtcNow;
        var occurred = new[] { now.AddDays(-1).AddMinutes(-10), now.AddDays(-1).AddMinutes(10) };
        foreach (var at in occurred)
        {
            await (await merchant.ConvertAsync(new { externalId = $"order-{Guid.NewGuid():N}", kind = "lead", referralCode = bramCode, occurredAt = at }))
                .AssertJsonAsync(HttpStatusCode.Created);
        }
        var first = DateOnly.FromDateTime(occurred[0].UtcDateTime);
        var last = DateOnly.FromDateTime(occurred[1].UtcDateTime);

        async Task<JsonNode> StatsAsync(string path, DateOnly? from = null, DateOnly? to = null) =>
            await (await admin.GetAsync($"/api/v1/{path}/stats" + (from is null ? "" : $"?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}")))
                .AssertJsonAsync(HttpStatusCode.OK);
        foreach (var (from, to) in new (DateOnly?, DateOnly?)[] { (null, null), (first, last) })
        {
            var campaign = await StatsAsync($"campaigns/{campaignId}", from, to);
            Assert.Equal(2.00m, campaign["rewards"]!["approved"].MoneyIn("EUR"));
            Assert.Equal(2.00m, campaign["rewards"]!["pending"].MoneyIn("EUR"));
            Assert.Equal(0.20m, campaign["secondDegree"]!["rewards"]!["approved"].MoneyIn("EUR"));
            Assert.Equal(0.20m, campaign["secondDegree"]!["rewards"]!["pending"].MoneyIn("EUR"));
            var bram = await StatsAsync($"ambassadors/{bramId}", from, to);
            Assert.Equal(2.00m, bram["rewards"]!["approved"].MoneyIn("EUR"));
            Assert.Equal(2.00m, bram["rewards"]!["pending"].MoneyIn("EUR"));
            Assert.Empty(bram["secondDegree"]!["rewards"]!["pending"]!.AsArray());
            var anna = await StatsAsync($"ambassadors/{annaId}", from, to);
            Assert.Empty(anna["rewards"]!["approved"]!.AsArray());
            Assert.Empty(anna["rewards"]!["pending"]!.AsArray());
            Assert.Equal(0.20m, anna["secondDegree"]!["rewards"]!["approved"].MoneyIn("EUR"));
            Assert.Equal(0.20m, anna["secondDegree"]!["rewards"]!["pending"].MoneyIn("EUR"));
        }
        // Counted on the conversions' day: a window of the day they mature (after the last conversion's) has none of them.
        var later = await StatsAsync($"campaigns/{campaignId}", last.AddDays(1), last.AddDays(1));
        Assert.Empty(later["rewards"]!["approved"]!.AsArray());
        Assert.Empty(later["rewards"]!["pending"]!.AsArray());
        Assert.Empty(later["secondDegree"]!["rewards"]!["pending"]!.AsArray());
    }

    private async Task<List<(string, string, DateOnly, ConversionKind, string, long Count, long AmountMinor, long Overridden)>> CountsAsync()
    {
        await using var db = App.Db();
        return (await db.ConversionCounts.AsNoTracking().ToListAsync())
            .Select(c => (c.Subject, c.SubjectId, c.Day, c.Kind, c.Currency, c.Count, c.AmountMinor, c.Overridden))
            .Order().ToList();
    }

    private async Task<List<(string, string, DateOnly, string, bool Second, LedgerEntryState State, DateOnly, long AmountMinor, long Entries)>> RewardCountsAsync()
    {
        await using var db = App.Db();
        return (await db.RewardCounts.AsNoTracking().ToListAsync())
            .Select(c => (c.Subject, c.SubjectId, c.Day, c.Currency, c.SecondDegree, c.State, c.AvailableOn, c.AmountMinor, c.Entries))
            .Order().ToList();
    }

    private static async Task<List<string>> StatsAsync(HttpClient admin, IEnumerable<string> urls)
    {
        var all = new List<string>();
        foreach (var url in urls) all.Add((await (await admin.GetAsync(url)).AssertJsonAsync(HttpStatusCode.OK)).ToJsonString());
        return all;
    }
}

public sealed class ConversionCountsOnSqlite(SqliteFixture fixture) : ConversionCountsTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ConversionCountsOnPostgres(PostgresFixture fixture) : ConversionCountsTests(fixture), IClassFixture<PostgresFixture>;
