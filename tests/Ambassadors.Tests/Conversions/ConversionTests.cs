using Ambassadors.Data;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Conversions;

public abstract class ConversionTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private static string NewExternalId() => $"order-{Guid.NewGuid():N}";

    [SkippableFact]
    public async Task ALeadByReferralCodeEarnsThePerLeadRewardPendingUntilTheHoldingPeriodEnds()
    {
        var admin = App.Admin();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var (campaignId, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        var externalId = NewExternalId();

        var created = await (await merchant.ConvertAsync(new { externalId, kind = "lead", referralCode = code.ToLowerInvariant() }))
            .AssertJsonAsync(HttpStatusCode.Created);

        Assert.StartsWith("cnv_", created["id"].Str());
        Assert.Equal(externalId, created["externalId"].Str());
        Assert.Equal(ambassadorId, created["ambassadorId"].Str());
        Assert.Equal(campaignId, created["campaignId"].Str());
        Assert.Equal("referralCode", created["attributedBy"].Str());
        Assert.Equal("2.00", created["reward"]!["amount"]!.ToJsonString());
        Assert.Equal("EUR", created["reward"]!["currency"].Str());
        Assert.Equal("pending", created["reward"]!["status"].Str());

        var read = await (await merchant.GetAsync($"/api/v1/conversions/{externalId}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(created["id"].Str(), read["id"].Str());

        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, stats["leads"].Long());
        Assert.Equal(2.00m, stats["rewards"]!["pending"].MoneyIn("EUR"));
        Assert.Empty(stats["rewards"]!["approved"]!.AsArray());
        var today = stats["daily"]!.AsArray().Last()!;
        Assert.Equal(1, today["leads"].Long());
    }

    [SkippableFact]
    public async Task ASaleByClickIdIsCreditedToTheClickedContentWithPerSalePlusPercent()
    {
        var admin = App.Admin();
        var (campaignId, ambassadorId, _) = await admin.CampaignWithMemberAsync(holdingPeriodDays: 0);
        var contentId = (await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { title = "Unboxing" }))
            .AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var links = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
        var contentCode = links.Single(l => l!["contentId"]?.GetValue<string>() == contentId)!["code"].Str();
        var clickId = Clicks.ClickIdOf(await App.Visitor().ClickAsync(contentCode));

        // Sent at once: the click may not be flushed yet, and the conversion waits for it.
        var created = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "sale", amount = "59.99", currency = "EUR", clickId }))
            .AssertJsonAsync(HttpStatusCode.Created);

        Assert.Equal("clickId", created["attributedBy"].Str());
        Assert.Equal(clickId, created["clickId"].Str());
        Assert.Equal(contentId, created["contentId"].Str());
        Assert.Equal(contentCode, created["referralCode"].Str());
        Assert.Equal("59.99", created["amount"]!.ToJsonString());
        // 10 + 5% of 59.99 = 12.9995, rounded once to 13.00.
        Assert.Equal(13.00m, created["reward"]!["amount"].Dec());
        Assert.Equal("approved", created["reward"]!["status"].Str()); // no holding period

        var content = await admin.StatsWhenAsync($"/api/v1/content/{contentId}/stats", s => s["clicks"].Long() == 1);
        Assert.Equal(1, content["sales"].Long());
        Assert.Equal(59.99m, content["revenue"].MoneyIn("EUR"));
        Assert.Equal(13.00m, content["rewards"]!["approved"].MoneyIn("EUR"));
        Assert.Equal(1m, content["conversionRate"].Dec());
        Assert.Equal([1000L, 1L, 0L, 1L], content["funnel"]!.AsArray().Select(s => s!["count"].Long()));
    }

    [SkippableFact]
    public async Task RewardsAreRoundedOnceToTheCurrencysMinorUnit()
    {
        var admin = App.Admin();
        var cases = new (string Currency, object Rewards, string Amount, string Expected)[]
        {
            ("JPY", new { perSale = 0, salePercent = 3.3 }, "999", "33"),          // 32.967 -> 33 (0 decimals)
            ("BHD", new { perSale = 0, salePercent = 2.5 }, "10.005", "0.250"),    // 0.250125 -> 0.250 (3 decimals)
            ("EUR", new { perSale = 0, salePercent = 0.5 }, "1", "0.01"),          // 0.005 -> 0.01, half away from zero
            ("EUR", new { perSale = 1, salePercent = 12.5 }, "0.10", "1.01"),      // 1.0125 -> 1.01
        };
        foreach (var (currency, rewards, amount, expected) in cases)
        {
            var (_, _, code) = await admin.CampaignWithMemberAsync(currency, rewards: rewards);
            var created = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "sale", amount, currency, referralCode = code }))
                .AssertJsonAsync(HttpStatusCode.Created);
            Assert.Equal(expected, created["reward"]!["amount"]!.ToJsonString());
        }
    }

    [SkippableFact]
    public async Task TheSameConversionTwiceIsStoredOnceAndADifferentBodyIsAConflict()
    {
        var admin = App.Admin();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var (_, _, code) = await admin.CampaignWithMemberAsync();
        var externalId = NewExternalId();

        var first = await (await merchant.ConvertAsync(new { externalId, kind = "sale", amount = 25, currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);
        // The same body, with the amount written differently: a retry.
        var again = await (await merchant.ConvertAsync(new { externalId, kind = "sale", amount = "25.00", currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(first["id"].Str(), again["id"].Str());
        Assert.Equal(first["reward"]!.ToJsonString(), again["reward"]!.ToJsonString());

        var clash = await (await merchant.ConvertAsync(new { externalId, kind = "sale", amount = 26, currency = "EUR", referralCode = code }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(externalId, clash["detail"].Str());

        await using var db = App.Db();
        Assert.Equal(1, await db.Conversions.CountAsync(c => c.ExternalId == externalId));
        Assert.Equal(1, await db.Ledger.CountAsync(e => e.ConversionId == first["id"].Str()));
    }

    [SkippableFact]
    public async Task SixteenConcurrentDuplicatesMakeExactlyOneConversion()
    {
        var admin = App.Admin();
        var (_, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        var externalId = NewExternalId();
        var clients = Enumerable.Range(0, 16).Select(_ => App.Admin()).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.ConvertAsync(new { externalId, kind = "sale", amount = 40, currency = "EUR", referralCode = code })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.AssertJsonAsync(r.StatusCode))["id"].Str()));
        Assert.Single(ids.Distinct());
        await using var db = App.Db();
        Assert.Equal(1, await db.Conversions.CountAsync(c => c.ExternalId == externalId));
        Assert.Equal(1, await db.Ledger.CountAsync(e => e.AmbassadorId == ambassadorId));
        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, stats["sales"].Long());
        Assert.Equal(12.00m, stats["rewards"]!["pending"].MoneyIn("EUR")); // 10 + 5% of 40
    }

    /// <summary>SQLite writes concurrent conversions in one transaction (ConversionWriter): a repeat in the same group takes back only itself.</summary>
    [SkippableFact]
    public async Task ABurstOfConversionsWithRepeatsStoresEachExternalIdOnceWithItsReward()
    {
        var admin = App.Admin();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var (_, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        var externalIds = Enumerable.Range(0, 24).Select(_ => NewExternalId()).ToList();

        var responses = await Task.WhenAll(externalIds.Concat(externalIds)
            .Select(externalId => merchant.ConvertAsync(new { externalId, kind = "sale", amount = 40, currency = "EUR", referralCode = code })));

        Assert.Equal(24, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(24, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var answered = await Task.WhenAll(responses.Select(r => r.AssertJsonAsync(r.StatusCode)));
        Assert.Equal(24, answered.Select(a => a["id"].Str()).Distinct().Count());
        Assert.All(answered, a => Assert.Equal("12.00", a["reward"]!["amount"]!.ToJsonString()));
        await using var db = App.Db();
        Assert.Equal(24, await db.Conversions.CountAsync(c => externalIds.Contains(c.ExternalId)));
        Assert.Equal(24, await db.Ledger.CountAsync(e => e.AmbassadorId == ambassadorId));
        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(24, stats["sales"].Long());
        Assert.Equal(24 * 12.00m, stats["rewards"]!["pending"].MoneyIn("EUR"));
    }

    /// <summary>
    /// Concurrent conversions are written a group at a time as multi-row INSERTs built from the model (RowInserts): each
    /// reads back exactly as EF Core itself stores and reads it (the instant, its UTC day, amounts, nulls, enums), and the
    /// ledger's ids are the store's own.
    /// </summary>
    [SkippableFact]
    public async Task ConversionsWrittenTogetherReadBackExactlyAsSent()
    {
        var admin = App.Admin();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var (campaignId, ambassadorId, code) = await admin.CampaignWithMemberAsync(holdingPeriodDays: 30);
        // Sent with a +02:00 offset, over midnight UTC two days ago: the stored day must follow UTC.
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(-2), TimeSpan.Zero).AddHours(23).ToOffset(TimeSpan.FromHours(2));
        var sent = Enumerable.Range(0, 20).Select(i => new
        {
            externalId = NewExternalId(),
            kind = i % 3 == 0 ? "lead" : "sale",
            amount = i % 3 == 0 ? (decimal?)null : 10.05m + i,
            currency = i % 3 == 0 ? null : "EUR",
            referralCode = code,
            customerId = i % 2 == 0 ? $"customer-{i}" : null,
            occurredAt = start.AddMinutes(7 * i).AddMilliseconds(123),
        }).ToList();

        var responses = await Task.WhenAll(sent.Select(c => merchant.ConvertAsync(c)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        foreach (var c in sent)
        {
            var read = await (await merchant.GetAsync($"/api/v1/conversions/{c.externalId}")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(c.kind, read["kind"].Str());
            Assert.Equal(c.occurredAt, DateTimeOffset.Parse(read["occurredAt"].Str(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(c.amount, read["amount"] is { } amount ? amount.Dec() : null);
            Assert.Equal(c.customerId, read["customerId"]?.GetValue<string>());
            Assert.Equal(c.kind == "lead" ? 2.00m : 10.00m + Math.Round(c.amount!.Value * 0.05m, 2, MidpointRounding.AwayFromZero), read["reward"]!["amount"].Dec());
            Assert.Equal("pending", read["reward"]!["status"].Str());
        }
        await using var db = App.Db();
        var stored = await db.Conversions.AsNoTracking().Where(c => c.CampaignId == campaignId).ToListAsync();
        Assert.Equal(sent.Select(c => DateOnly.FromDateTime(c.occurredAt.UtcDateTime)).Order(), stored.Select(c => c.OccurredOn).Order());
        Assert.Equal(2, stored.Select(c => c.OccurredOn).Distinct().Count());
        var entries = await db.Ledger.AsNoTracking().Where(e => e.AmbassadorId == ambassadorId).ToListAsync();
        Assert.Equal(20, entries.Count);
        Assert.All(entries, e => Assert.True(e.Id > 0));
        Assert.Equal(20, entries.Select(e => e.Id).Distinct().Count());
        Assert.All(entries, e => Assert.Equal(LedgerEntryState.Open, e.State));
        Assert.All(entries, e => Assert.Equal(stored.Single(c => c.Id == e.ConversionId).OccurredAt.AddDays(30), e.AvailableAt));
        // The stats' kept counts saw each conversion once.
        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats?from={stored.Min(c => c.OccurredOn):yyyy-MM-dd}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(sent.Count(c => c.kind == "lead"), stats["leads"].Long());
        Assert.Equal(sent.Count(c => c.kind == "sale"), stats["sales"].Long());
        Assert.Equal(sent.Sum(c => c.amount ?? 0), stats["revenue"].MoneyIn("EUR"));
    }

    public static TheoryData<string, string> BadConversions => new()
    {
        { """{"kind":"lead","referralCode":"CODE"}""", "externalId" },
        { $$"""{"externalId":"{{new string('x', 5000)}}","kind":"lead","referralCode":"CODE"}""", "externalId" },
        { """{"externalId":"X","kind":"refund","referralCode":"CODE"}""", "kind" },
        { """{"externalId":"X","referralCode":"CODE"}""", "kind" },
        { """{"externalId":"X","kind":"sale","currency":"EUR","referralCode":"CODE"}""", "amount" },
        { """{"externalId":"X","kind":"sale","amount":10,"referralCode":"CODE"}""", "currency" },
        { """{"externalId":"X","kind":"sale","amount":-5,"currency":"EUR","referralCode":"CODE"}""", "amount" },
        { """{"externalId":"X","kind":"sale","amount":100000000000000000000,"currency":"EUR","referralCode":"CODE"}""", "amount" },
        { """{"externalId":"X","kind":"sale","amount":"1.005","currency":"EUR","referralCode":"CODE"}""", "amount" },
        { """{"externalId":"X","kind":"sale","amount":10,"currency":"USD","referralCode":"CODE"}""", "currency" },
        { """{"externalId":"X","kind":"sale","amount":10,"currency":"EURO","referralCode":"CODE"}""", "currency" },
        { """{"externalId":"X","kind":"lead"}""", "referralCode" },
        { """{"externalId":"X","kind":"lead","referralCode":"NOSUCHCODE77"}""", "referralCode" },
        { """{"externalId":"X","kind":"lead","referralCode":"no spaces!"}""", "referralCode" },
        { """{"externalId":"X","kind":"lead","clickId":"clk_123"}""", "clickId" },
        { """{"externalId":"X","kind":"lead","clickId":"clk_0000000000000000000000000000"}""", "clickId" },
        { """{"externalId":"X","kind":"lead","referralCode":"CODE","occurredAt":"2099-01-01T00:00:00Z"}""", "occurredAt" },
        { """{"externalId":"X","kind":"lead","referralCode":"CODE","occurredAt":"2001-01-01T00:00:00Z"}""", "occurredAt" },
        { """{"externalId":"X","kind":"lead","referralCode":"CODE","occurredAt":"2026-11-01T10:00:00"}""", "occurredAt" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadConversions))]
    public async Task BadConversionsAreRefusedFieldByFieldAndStoreNothing(string json, string field)
    {
        var admin = App.Admin();
        var (_, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        var externalId = NewExternalId();
        var body = json.Replace("\"X\"", $"\"{externalId}\"").Replace("\"CODE\"", $"\"{code}\"");

        var problem = await (await admin.PostRawAsync("/api/v1/conversions", body)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.True(problem["errors"]?[field] is not null, $"Expected an error for '{field}': {problem.ToJsonString()}");
        await using var db = App.Db();
        Assert.False(await db.Conversions.AnyAsync(c => c.ExternalId == externalId || c.AmbassadorId == ambassadorId));
        Assert.False(await db.Ledger.AnyAsync(e => e.AmbassadorId == ambassadorId));
    }

    [SkippableFact]
    public async Task AClickIdOutsideTheWindowOrOfAnotherCampaignFallsBackToTheReferralCode()
    {
        var admin = App.Admin();
        var (campaignA, annaId, annaCode) = await admin.CampaignWithMemberAsync(attributionWindowDays: 30);
        var (_, bramId, bramCode) = await admin.CampaignWithMemberAsync();

        // A click on Bram's link 40 days ago: outside campaign A's... and campaign B's 30-day window.
        var oldClick = Ambassadors.Web.Tracking.ClickIds.New(DateTimeOffset.UtcNow.AddDays(-40));
        var bramCampaign = (await (await admin.GetAsync($"/api/v1/referral-codes/{bramCode}")).AssertJsonAsync(HttpStatusCode.OK))["campaignId"].Str();
        await using (var db = App.Db())
        {
            db.Clicks.Add(new Click
            {
                Id = oldClick, Code = bramCode, AmbassadorId = bramId, CampaignId = bramCampaign,
                VisitorId = Guid.NewGuid().ToString("N"), At = DateTimeOffset.UtcNow.AddDays(-40),
            });
            await db.SaveChangesAsync();
        }
        var expired = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = oldClick }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("attribution window", expired["detail"].Str());
        var expiredWithCode = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = oldClick, referralCode = bramCode }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal("referralCode", expiredWithCode["attributedBy"].Str());

        // A fresh click of campaign B sent with a referral code of campaign A: the code's campaign decides.
        var freshClick = Clicks.ClickIdOf(await App.Visitor().ClickAsync(bramCode));
        var crossed = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = freshClick, referralCode = annaCode }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(annaId, crossed["ambassadorId"].Str());
        Assert.Equal(campaignA, crossed["campaignId"].Str());
        Assert.Equal("referralCode", crossed["attributedBy"].Str());

        // The click alone: it is Bram's.
        var byClick = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = freshClick }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(bramId, byClick["ambassadorId"].Str());

        // Unknown click ids, even ones claiming to be recent or from the future, are answered without hanging.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var at in new[] { DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(900) })
        {
            var unknown = Ambassadors.Web.Tracking.ClickIds.New(at);
            var response = await admin.PostAsJsonAsync("/api/v1/conversions", new { externalId = NewExternalId(), kind = "lead", clickId = unknown }, patience.Token);
            var refused = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains($"no click {unknown} is recorded", refused["detail"].Str());
        }

        // A conversion that happened before the click cannot have been caused by it.
        var before = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", clickId = freshClick, occurredAt = DateTimeOffset.UtcNow.AddDays(-2) }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("attribution window", before["detail"].Str());
    }

    [SkippableFact]
    public async Task AReversalVoidsAnUnpaidRewardOnceAndClawsBackAPaidOne()
    {
        var admin = App.Admin();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var (_, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        var unpaid = NewExternalId();
        var paid = NewExternalId();
        await (await merchant.ConvertAsync(new { externalId = unpaid, kind = "sale", amount = 100, currency = "EUR", referralCode = code })).AssertJsonAsync(HttpStatusCode.Created);
        var paidConversion = await (await merchant.ConvertAsync(new { externalId = paid, kind = "sale", amount = 20, currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);
        // Payouts are another issue's; mark this reward paid the way a payout run will.
        await using (var db = App.Db())
        {
            await db.Ledger.Where(e => e.ConversionId == paidConversion["id"].Str())
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.State, LedgerEntryState.Paid).SetProperty(e => e.PaidAt, DateTimeOffset.UtcNow));
            // A payout run moves the stats' reward counts in its transaction; here they are recounted.
            await db.RewardCounts.ExecuteDeleteAsync();
            foreach (var statement in RewardCounts.Recount(db.Engine)) await db.Database.ExecuteSqlRawAsync(statement);
        }

        var reversed = await (await merchant.PostJsonAsync($"/api/v1/conversions/{unpaid}/reversal", new { reason = "refund" })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("reversed", reversed["status"].Str());
        Assert.Equal("voided", reversed["reward"]!["status"].Str());
        Assert.Equal("refund", reversed["reversalReason"].Str());
        var again = await (await merchant.PostRawAsync($"/api/v1/conversions/{unpaid}/reversal", "{}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(reversed["reversedAt"]!.ToJsonString(), again["reversedAt"]!.ToJsonString());

        var clawed = await (await merchant.PostAsync($"/api/v1/conversions/{paid}/reversal", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", clawed["reward"]!["status"].Str());
        Assert.Equal(11.00m, clawed["reward"]!["clawedBack"].Dec());
        await (await merchant.PostAsync($"/api/v1/conversions/{paid}/reversal", null)).AssertJsonAsync(HttpStatusCode.OK);

        await (await merchant.PostAsync($"/api/v1/conversions/{NewExternalId()}/reversal", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await merchant.GetAsync($"/api/v1/conversions/{NewExternalId()}")).AssertProblemAsync(HttpStatusCode.NotFound);

        await using var check = App.Db();
        var entries = await check.Ledger.Where(e => e.AmbassadorId == ambassadorId).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(3, entries.Count); // two rewards and one clawback, however often the reversals were sent
        Assert.Equal(LedgerEntryState.Voided, entries[0].State);
        Assert.Equal(-1100, entries[2].AmountMinor);
        Assert.Equal(LedgerEntryKind.Clawback, entries[2].Kind);

        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, stats["sales"].Long()); // both reversed
        Assert.Empty(stats["revenue"]!.AsArray());
        Assert.Equal(11.00m, stats["rewards"]!["paid"].MoneyIn("EUR"));
        Assert.Equal(-11.00m, stats["rewards"]!["approved"].MoneyIn("EUR")); // owed back, offset by the next payout
        Assert.Empty(stats["rewards"]!["pending"]!.AsArray());
    }

    [SkippableFact]
    public async Task AReversalRacingItsConversionNeverLeavesAReversedConversionWithALiveReward()
    {
        var admin = App.Admin();
        var (_, _, code) = await admin.CampaignWithMemberAsync();
        var externalIds = Enumerable.Range(0, 10).Select(_ => NewExternalId()).ToList();

        var races = externalIds.Select(async externalId =>
        {
            var conversion = admin.ConvertAsync(new { externalId, kind = "lead", referralCode = code });
            var reversal = App.Admin().PostAsync($"/api/v1/conversions/{externalId}/reversal", null);
            return (Conversion: await conversion, Reversal: await reversal);
        });
        foreach (var (conversion, reversal) in await Task.WhenAll(races))
        {
            Assert.Equal(HttpStatusCode.Created, conversion.StatusCode);
            Assert.Contains(reversal.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound });
        }

        await using var db = App.Db();
        foreach (var externalId in externalIds)
        {
            var stored = await db.Conversions.SingleAsync(c => c.ExternalId == externalId);
            var reward = await db.Ledger.SingleAsync(e => e.ConversionId == stored.Id);
            Assert.Equal(stored.ReversedAt is null ? LedgerEntryState.Open : LedgerEntryState.Voided, reward.State);
        }
    }

    [SkippableFact]
    public async Task AReferrerEarnsTheSecondDegreeShareOfTheirRecruitsRewardsOneLevelOnly()
    {
        var admin = App.Admin();
        var (campaignId, annaId, annaCode) = await admin.CampaignWithMemberAsync(
            rewards: new { perLead = 2, perSale = 10, salePercent = 5, secondDegreePercent = 10 }, holdingPeriodDays: 0);
        var bramId = (await admin.CreateAmbassadorAsync(followers: 50))["id"].Str();
        var bramJoined = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = bramId, referredBy = annaCode.ToLowerInvariant() }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(annaId, bramJoined["referredBy"].Str());
        // Carla joined through a click on Bram's link: the click id names him.
        var carlaClick = Clicks.ClickIdOf(await App.Visitor().ClickAsync(bramJoined["referralCode"].Str()));
        var carlaId = (await admin.CreateAmbassadorAsync())["id"].Str();
        await Clicks.EventuallyAsync(async () =>
        {
            await using var clicks = App.Db();
            return await clicks.Clicks.AnyAsync(c => c.Id == carlaClick);
        });
        var carlaJoined = await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = carlaId, referredBy = carlaClick }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(bramId, carlaJoined["referredBy"].Str());
        var carlaCode = carlaJoined["referralCode"].Str();

        // Carla (recruited by Bram, who was recruited by Anna) sells: Bram gets the override, Anna nothing.
        var sale = await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "sale", amount = 80, currency = "EUR", referralCode = carlaCode }))
            .AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(14.00m, sale["reward"]!["amount"].Dec());                   // 10 + 5% of 80
        Assert.Equal(bramId, sale["secondDegree"]!["ambassadorId"].Str());
        Assert.Equal(1.40m, sale["secondDegree"]!["amount"].Dec());              // 10% of 14.00

        var bram = await (await admin.GetAsync($"/api/v1/ambassadors/{bramId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, bram["sales"].Long());
        Assert.Empty(bram["rewards"]!["approved"]!.AsArray());
        Assert.Equal(1, bram["secondDegree"]!["sales"].Long());
        Assert.Equal(1.40m, bram["secondDegree"]!["rewards"]!["approved"].MoneyIn("EUR"));
        var anna = await (await admin.GetAsync($"/api/v1/ambassadors/{annaId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, anna["secondDegree"]!["sales"].Long());
        Assert.Empty(anna["secondDegree"]!["rewards"]!["approved"]!.AsArray());
        var carla = await (await admin.GetAsync($"/api/v1/ambassadors/{carlaId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(14.00m, carla["rewards"]!["approved"].MoneyIn("EUR"));
        var campaign = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(14.00m, campaign["rewards"]!["approved"].MoneyIn("EUR"));
        Assert.Equal(1.40m, campaign["secondDegree"]!["rewards"]!["approved"].MoneyIn("EUR"));

        // Reversing the sale takes back both.
        await (await admin.PostAsync($"/api/v1/conversions/{sale["externalId"].Str()}/reversal", null)).AssertJsonAsync(HttpStatusCode.OK);
        await using var db = App.Db();
        Assert.All(await db.Ledger.Where(e => e.ConversionId == sale["id"].Str()).ToListAsync(), e => Assert.Equal(LedgerEntryState.Voided, e.State));

        // Nobody refers themselves, and the referrer must be in the same campaign.
        var (_, _, otherCampaignCode) = await admin.CampaignWithMemberAsync();
        var danId = (await admin.CreateAmbassadorAsync())["id"].Str();
        await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = danId, referredBy = otherCampaignCode }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/ambassadors", new { ambassadorId = danId, referralCode = "dan-own-code-1", referredBy = "dan-own-code-1" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.False(await db.Memberships.AnyAsync(m => m.AmbassadorId == danId));
    }

    [SkippableFact]
    public async Task StatsWindowsCountConversionsByTheDayTheyHappened()
    {
        var admin = App.Admin();
        var (campaignId, _, code) = await admin.CampaignWithMemberAsync(holdingPeriodDays: 14);
        var today = DateTimeOffset.UtcNow;
        foreach (var daysAgo in new[] { 0, 3, 20 })
        {
            await (await admin.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = code, occurredAt = today.AddDays(-daysAgo) }))
                .AssertJsonAsync(HttpStatusCode.Created);
        }
        string Day(int daysAgo) => DateOnly.FromDateTime(today.AddDays(-daysAgo).UtcDateTime).ToString("yyyy-MM-dd");

        var all = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, all["leads"].Long());
        Assert.Equal(4.00m, all["rewards"]!["pending"].MoneyIn("EUR"));  // the two inside the 14-day hold
        Assert.Equal(2.00m, all["rewards"]!["approved"].MoneyIn("EUR")); // the one from 20 days ago
        Assert.Equal(1, all["daily"]!.AsArray().Single(d => d!["date"].Str() == Day(3))!["leads"].Long());

        var window = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats?from={Day(5)}&to={Day(1)}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, window["leads"].Long());
        Assert.Equal(5, window["daily"]!.AsArray().Count);
        Assert.Equal(Day(5), window["from"].Str());
        var edge = await (await admin.GetAsync($"/api/v1/campaigns/{campaignId}/stats?from={Day(20)}&to={Day(20)}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, edge["leads"].Long()); // both ends inclusive
    }

    [SkippableFact]
    public async Task AMerchantListsConversionsForReconciliationNewestFirst()
    {
        var admin = App.Admin();
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        var (campaignId, ambassadorId, code) = await admin.CampaignWithMemberAsync();
        var (_, _, otherCode) = await admin.CampaignWithMemberAsync();
        var now = DateTimeOffset.UtcNow;
        var older = NewExternalId();
        var newer = NewExternalId();
        await (await merchant.ConvertAsync(new { externalId = older, kind = "sale", amount = 30, currency = "EUR", referralCode = code, occurredAt = now.AddDays(-10) })).AssertJsonAsync(HttpStatusCode.Created);
        await (await merchant.ConvertAsync(new { externalId = newer, kind = "lead", referralCode = code, occurredAt = now.AddDays(-1) })).AssertJsonAsync(HttpStatusCode.Created);
        await (await merchant.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = otherCode })).AssertJsonAsync(HttpStatusCode.Created);

        var list = await (await merchant.GetAsync($"/api/v1/conversions?campaignId={campaignId}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, (int)list["total"]!);
        Assert.Equal([newer, older], list["items"]!.AsArray().Select(c => c!["externalId"].Str()));
        Assert.Equal(11.50m, list["items"]![1]!["reward"]!["amount"].Dec()); // 10 + 5% of 30

        var byAmbassador = await (await merchant.GetAsync($"/api/v1/conversions?ambassadorId={ambassadorId}&limit=1")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, (int)byAmbassador["total"]!);
        Assert.Single(byAmbassador["items"]!.AsArray());
        var day = DateOnly.FromDateTime(now.AddDays(-10).UtcDateTime).ToString("yyyy-MM-dd");
        var windowed = await (await merchant.GetAsync($"/api/v1/conversions?campaignId={campaignId}&from={day}&to={day}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(older, windowed["items"]!.AsArray().Single()!["externalId"].Str());

        await (await merchant.GetAsync("/api/v1/conversions?from=yesterday")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await merchant.GetAsync("/api/v1/conversions?limit=0")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [SkippableFact]
    public async Task OnlyMerchantAndAdminKeysReportConversions()
    {
        var admin = App.Admin();
        var (_, _, code) = await admin.CampaignWithMemberAsync();
        foreach (var role in new[] { "manager", "finance" })
        {
            var client = App.ClientWithKey(await admin.NewKeyAsync(role));
            await (await client.ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = code })).AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        await (await App.CreateClient().ConvertAsync(new { externalId = NewExternalId(), kind = "lead", referralCode = code })).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class ConversionsOnSqlite(SqliteFixture fixture) : ConversionTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ConversionsOnPostgres(PostgresFixture fixture) : ConversionTests(fixture), IClassFixture<PostgresFixture>;
