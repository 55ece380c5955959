using Ambassadors.Data;
using System.Net;
using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;

namespace Ambassadors.Tests.Payouts;

public abstract class PayoutTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private Task<(HttpClient Admin, HttpClient Finance, HttpClient Merchant)> ClientsAsync() => App.PayoutClientsAsync();

    [SkippableFact]
    public async Task BankDetailsAreStoredWithoutSpacesAndEveryChangeIsAudited()
    {
        var (admin, finance, _) = await ClientsAsync();
        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();
        await (await finance.GetAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details")).AssertProblemAsync(HttpStatusCode.NotFound);

        var stored = await (await finance.PutAsJsonAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details",
            new { method = "bank", legalName = "Anna de Vries", country = "nl", iban = "nl91 abna 0417 1643 00", bic = "abnanl2a", taxId = "NL123" }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("NL91ABNA0417164300", stored["iban"].Str());
        Assert.Equal("ABNANL2A", stored["bic"].Str());
        Assert.Equal("NL", stored["country"].Str());
        var read = await (await finance.GetAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("bank", read["method"].Str());
        Assert.Equal("Anna de Vries", read["legalName"].Str());

        await (await finance.PutAsJsonAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details",
            new { method = "paypal", legalName = "Anna de Vries", country = "NL", paypalEmail = "anna@example.com" })).AssertJsonAsync(HttpStatusCode.OK);
        // The same details again change nothing and are not audited twice.
        await (await finance.PutAsJsonAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details",
            new { method = "paypal", legalName = "Anna de Vries", country = "NL", paypalEmail = "anna@example.com" })).AssertJsonAsync(HttpStatusCode.OK);

        var audit = await (await finance.GetAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details/audit")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal(["payout-details.updated", "payout-details.created"], audit.Select(a => a!["action"].Str()));
        Assert.Contains("NL91…4300", audit[1]!["details"].Str());
        Assert.DoesNotContain("0417", audit[1]!["details"].Str());
        Assert.DoesNotContain("NL123", audit[1]!["details"].Str());
        Assert.Contains("iban: NL91…4300 → none", audit[0]!["details"].Str());
        Assert.Equal("finance key", audit[0]!["actorName"].Str());
    }

    [SkippableTheory]
    [InlineData("{\"method\":\"bank\",\"legalName\":\"A\",\"country\":\"NL\",\"iban\":\"NL91ABNA0417164301\"}", "iban")]
    [InlineData("{\"method\":\"bank\",\"legalName\":\"A\",\"country\":\"NL\",\"iban\":\"NL91ABNA04171643\"}", "iban")]
    [InlineData("{\"method\":\"bank\",\"legalName\":\"A\",\"country\":\"NL\",\"iban\":\"XX91ABNA0417164300\"}", "iban")]
    [InlineData("{\"method\":\"bank\",\"legalName\":\"A\",\"country\":\"NL\"}", "iban")]
    [InlineData("{\"method\":\"bank\",\"legalName\":\"A\",\"country\":\"FR\",\"iban\":\"NL91ABNA0417164300\"}", "iban")]
    [InlineData("{\"method\":\"bank\",\"legalName\":\"A\",\"country\":\"NL\",\"iban\":\"NL91ABNA0417164300\",\"bic\":\"ABN\"}", "bic")]
    [InlineData("{\"method\":\"paypal\",\"legalName\":\"A\",\"country\":\"NL\",\"paypalEmail\":\"not-an-email\"}", "paypalEmail")]
    [InlineData("{\"method\":\"paypal\",\"legalName\":\"A\",\"country\":\"NL\"}", "paypalEmail")]
    [InlineData("{\"method\":\"cash\",\"legalName\":\"A\",\"country\":\"NL\"}", "method")]
    [InlineData("{\"method\":\"paypal\",\"country\":\"NL\",\"paypalEmail\":\"a@example.com\"}", "legalName")]
    [InlineData("{\"method\":\"paypal\",\"legalName\":\"A\",\"country\":\"XY\",\"paypalEmail\":\"a@example.com\"}", "country")]
    public async Task InvalidPayoutDetailsAre422AndLeaveTheStoredOnesAlone(string body, string field)
    {
        var admin = App.Admin();
        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();
        await admin.BankDetailsAsync(ambassadorId);

        var problem = await (await admin.PutAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]![field]);

        var read = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("NL91ABNA0417164300", read["iban"].Str());
    }

    [SkippableFact]
    public async Task OnlyFinanceAndAdminReachPayouts()
    {
        var admin = App.Admin();
        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();
        foreach (var role in new[] { "manager", "merchant" })
        {
            var client = App.ClientWithKey(await admin.NewKeyAsync(role));
            await (await client.CreateBatchAsync()).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await client.GetAsync("/api/v1/payouts")).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await client.GetAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details")).AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        await (await App.CreateClient().GetAsync("/api/v1/payouts")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.PutAsJsonAsync("/api/v1/ambassadors/amb_nosuchambassador/payout-details",
            new { method = "paypal", legalName = "A", country = "NL", paypalEmail = "a@example.com" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task ABatchHasOneLinePerPayeeWithApprovedRewardsAndHoldsThemSoASecondBatchHasNothingToPay()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (campaignId, anna, annaCode) = await admin.PayingCampaignAsync(perLead: 2.5m);
        var (ben, benCode) = await admin.MemberAsync(campaignId);
        await finance.BankDetailsAsync(anna, "Anna de Vries");
        await finance.BankDetailsAsync(ben, "Ben Bakker");
        await merchant.LeadsAsync(annaCode, 3);
        await merchant.LeadsAsync(benCode, 1);
        // Still in its holding period: not approved, not paid.
        var (_, _, pendingCode) = await admin.PayingCampaignAsync(holdingPeriodDays: 30);
        await merchant.LeadsAsync(pendingCode, 2);

        var created = await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("pay_", created["id"].Str());
        Assert.Equal("draft", created["status"].Str());
        Assert.Equal(PayoutSteps.Today, created["periodEnd"].Str());
        Assert.Equal(2, (int)created["lines"]!);
        Assert.Equal(10.00m, created["totals"].MoneyIn("EUR"));
        Assert.Empty(created["missingDetails"]!.AsArray());

        var batch = await finance.BatchAsync(created["id"].Str());
        var annaLine = batch.LineOf(anna)!;
        Assert.Equal(7.50m, annaLine["net"].Dec());
        Assert.Equal(3, (int)annaLine["rewards"]!);
        Assert.Equal("NL91ABNA0417164300", annaLine["iban"].Str());
        Assert.Equal(2.50m, batch.LineOf(ben)!["net"].Dec());

        var again = await (await finance.CreateBatchAsync()).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Nothing to pay", again["detail"].Str());
        var drafts = await (await finance.GetAsync("/api/v1/payouts?status=draft")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal(created["id"].Str(), drafts[0]!["id"].Str());
        Assert.All(drafts, d => Assert.Equal("draft", d!["status"].Str()));
        await (await finance.GetAsync("/api/v1/payouts?status=sent")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [SkippableFact]
    public async Task ThePeriodEndLeavesOutRewardsApprovedAfterIt()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (_, anna, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(anna);
        await merchant.LeadsAsync(code, 1, DateTimeOffset.UtcNow.AddDays(-40));
        await merchant.LeadsAsync(code, 2, DateTimeOffset.UtcNow.AddDays(-5));
        var periodEnd = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-20)).ToString("yyyy-MM-dd");

        var created = await (await finance.CreateBatchAsync(periodEnd)).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(2.00m, created["totals"].MoneyIn("EUR"));
        var next = await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(4.00m, next["totals"].MoneyIn("EUR"));
    }

    [SkippableFact]
    public async Task ClawbacksOffsetANegativeBalanceCarriesOverAndAReversalInsideADraftLeavesItsTotalsAlone()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (_, anna, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(anna);
        var leads = await merchant.LeadsAsync(code, 3);
        await finance.SettleEverythingAsync(); // 6.00 paid

        // Two refunds of paid leads (-4.00) against one new lead (+2.00): -2.00 carries over, no line.
        foreach (var id in leads.Take(2)) await (await merchant.PostJsonAsync($"/api/v1/conversions/{id}/reversal", new { reason = "refund" })).AssertJsonAsync(HttpStatusCode.OK);
        await merchant.LeadsAsync(code, 1);
        var negative = await (await finance.CreateBatchAsync()).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Nothing to pay", negative["detail"].Str());

        // Two more leads (+4.00): gross 6.00, clawbacks -4.00, net 2.00.
        var more = await merchant.LeadsAsync(code, 2);
        var created = await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created);
        var line = (await finance.BatchAsync(created["id"].Str())).LineOf(anna)!;
        Assert.Equal(6.00m, line["gross"].Dec());
        Assert.Equal(-4.00m, line["clawbacks"].Dec());
        Assert.Equal(2.00m, line["net"].Dec());
        Assert.Equal(5, (int)line["rewards"]!);

        // A refund of a lead the draft holds: the draft stays as made; the clawback waits for the next batch.
        await (await merchant.PostJsonAsync($"/api/v1/conversions/{more[0]}/reversal", new { reason = "refund" })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2.00m, (await finance.BatchAsync(created["id"].Str())).LineOf(anna)!["net"].Dec());
        await (await finance.PostAsync($"/api/v1/payouts/{created["id"].Str()}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await finance.PostAsync($"/api/v1/payouts/{created["id"].Str()}/paid", null)).AssertJsonAsync(HttpStatusCode.OK);
        await merchant.LeadsAsync(code, 2);
        var after = await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created);
        var afterLine = (await finance.BatchAsync(after["id"].Str())).LineOf(anna)!;
        Assert.Equal(-2.00m, afterLine["clawbacks"].Dec());
        Assert.Equal(2.00m, afterLine["net"].Dec());
    }

    [SkippableFact]
    public async Task BalancesBelowTheMinimumWaitForALaterBatch()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (campaignId, anna, annaCode) = await admin.PayingCampaignAsync();
        var (ben, benCode) = await admin.MemberAsync(campaignId);
        await finance.BankDetailsAsync(anna);
        await finance.BankDetailsAsync(ben);
        await merchant.LeadsAsync(annaCode, 3); // 6.00
        await merchant.LeadsAsync(benCode, 1);  // 2.00

        var created = await (await finance.CreateBatchAsync(minimumAmount: 5)).AssertJsonAsync(HttpStatusCode.Created);
        var batch = await finance.BatchAsync(created["id"].Str());
        Assert.NotNull(batch.LineOf(anna));
        Assert.Null(batch.LineOf(ben));
        Assert.Equal(5m, batch["minimumAmount"].Dec());

        var later = await finance.BatchAsync((await (await finance.CreateBatchAsync(minimumAmount: 0)).AssertJsonAsync(HttpStatusCode.Created))["id"].Str());
        Assert.Equal(2.00m, later.LineOf(ben)!["net"].Dec());
        Assert.Null(later.LineOf(anna));

        await (await finance.CreateBatchAsync(minimumAmount: -1)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await finance.CreateBatchAsync(periodEnd: "31-10-2026")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await finance.PostJsonAsync("/api/v1/payouts", new { })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [SkippableFact]
    public async Task EachCurrencyGetsItsOwnLineAndTotalWithItsOwnDecimals()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (_, anna, euroCode) = await admin.PayingCampaignAsync("EUR", perLead: 2.25m);
        var (yenCampaign, _, _) = await admin.PayingCampaignAsync("JPY", perLead: 300);
        var yenCode = (await (await admin.EnrolAsync(yenCampaign, anna)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str();
        await finance.BankDetailsAsync(anna);
        await merchant.LeadsAsync(euroCode, 2);
        await merchant.LeadsAsync(yenCode, 3);

        var created = await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, (int)created["lines"]!);
        Assert.Equal("4.50", created["totals"]!.AsArray().Single(t => t!["currency"].Str() == "EUR")!["amount"]!.ToJsonString());
        Assert.Equal("900", created["totals"]!.AsArray().Single(t => t!["currency"].Str() == "JPY")!["amount"]!.ToJsonString());
        var batch = await finance.BatchAsync(created["id"].Str());
        Assert.Equal(900m, batch.LineOf(anna, "JPY")!["net"].Dec());
        Assert.Equal(4.50m, batch.LineOf(anna, "EUR")!["net"].Dec());
    }

    [SkippableFact]
    public async Task PayeesWithoutDetailsAreListedNotPaidAndJoinTheNextBatchOnceTheyHaveDetails()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (campaignId, anna, annaCode) = await admin.PayingCampaignAsync();
        var (ben, benCode) = await admin.MemberAsync(campaignId);
        await finance.BankDetailsAsync(anna);
        await merchant.LeadsAsync(benCode, 2);

        // Only Ben is owed, and he has no details: nothing to pay, and the problem says who is missing.
        var problem = await (await finance.CreateBatchAsync()).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var missing = problem["missingDetails"]!.AsArray().Single(m => m!["ambassadorId"].Str() == ben)!;
        Assert.Equal(4.00m, missing["amount"].Dec());
        var listed = await (await finance.GetAsync("/api/v1/payouts/missing-details")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Contains(listed, m => m!["ambassadorId"].Str() == ben);

        await merchant.LeadsAsync(annaCode, 1);
        var created = await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, (int)created["lines"]!);
        Assert.Contains(created["missingDetails"]!.AsArray(), m => m!["ambassadorId"].Str() == ben);
        Assert.Null((await finance.BatchAsync(created["id"].Str())).LineOf(ben));

        await finance.BankDetailsAsync(ben, "Ben Bakker");
        var next = await finance.BatchAsync((await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str());
        Assert.Equal(4.00m, next.LineOf(ben)!["net"].Dec());
        Assert.Equal("Ben Bakker", next.LineOf(ben)!["payee"].Str());
    }

    [SkippableFact]
    public async Task ABatchMovesDraftApprovedPaidOnceAndItsRewardsArePaidExactlyOnce()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (_, anna, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(anna);
        var leads = await merchant.LeadsAsync(code, 2);
        var id = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

        var early = await (await finance.PostAsync($"/api/v1/payouts/{id}/paid", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("approve it before", early["detail"].Str());
        var approved = await (await finance.PostAsync($"/api/v1/payouts/{id}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("approved", approved["status"].Str());
        Assert.Equal("finance key", approved["approvedBy"].Str());
        var approvedAgain = await (await finance.PostAsync($"/api/v1/payouts/{id}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(approved["approvedAt"].Str(), approvedAgain["approvedAt"].Str());
        await (await finance.PostAsync($"/api/v1/payouts/{id}/discard", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var paid = await (await finance.PostJsonAsync($"/api/v1/payouts/{id}/paid", new { paymentDate = "2026-11-20", reference = "SEPA-2026-11" }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", paid["status"].Str());
        Assert.Equal("2026-11-20", paid["paymentDate"].Str());
        Assert.Equal("SEPA-2026-11", paid["paymentReference"].Str());
        var paidAgain = await (await finance.PostAsync($"/api/v1/payouts/{id}/paid", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(paid["paidAt"].Str(), paidAgain["paidAt"].Str());
        Assert.Equal("2026-11-20", paidAgain["paymentDate"].Str());
        await (await finance.PostAsync($"/api/v1/payouts/{id}/approve", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var conversion = await (await merchant.GetAsync($"/api/v1/conversions/{leads[0]}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("paid", conversion["reward"]!["status"].Str());
        var stats = await (await admin.GetAsync($"/api/v1/ambassadors/{anna}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4.00m, stats["rewards"]!["paid"].MoneyIn("EUR"));

        var audit = await (await finance.GetAsync($"/api/v1/payouts/{id}/audit")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal(["payout-batch.paid", "payout-batch.approved", "payout-batch.created"], audit.Select(a => a!["action"].Str()));
        await (await finance.PostAsync("/api/v1/payouts/pay_nosuchbatchhere/approve", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await finance.GetAsync("/api/v1/payouts/pay_nosuchbatchhere")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task DiscardingADraftReleasesItsRewardsForTheNextBatch()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (_, anna, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(anna);
        await merchant.LeadsAsync(code, 2);
        var first = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

        var discarded = await (await finance.PostAsync($"/api/v1/payouts/{first}/discard", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("discarded", discarded["status"].Str());
        await (await finance.PostAsync($"/api/v1/payouts/{first}/approve", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await finance.PostAsync($"/api/v1/payouts/{first}/paid", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var second = await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(4.00m, second["totals"].MoneyIn("EUR"));
    }

    [SkippableFact]
    public async Task BatchesCreatedAtTheSameMomentNeverShareAReward()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (campaignId, _, _) = await admin.PayingCampaignAsync();
        for (var i = 0; i < 6; i++)
        {
            var (ambassadorId, code) = await admin.MemberAsync(campaignId);
            await finance.BankDetailsAsync(ambassadorId);
            await merchant.LeadsAsync(code, 2);
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => finance.CreateBatchAsync()));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        var created = await responses.Single(r => r.StatusCode == HttpStatusCode.Created).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(6, (int)created["lines"]!);
        Assert.Equal(24.00m, created["totals"].MoneyIn("EUR"));

        await using var db = App.Db();
        var batchId = created["id"].Str();
        Assert.Equal(12, await db.Ledger.CountAsync(e => e.PayoutBatchId == batchId));
        Assert.Equal(2400, await db.Ledger.Where(e => e.PayoutBatchId == batchId).SumAsync(e => e.AmountMinor));
    }

    [SkippableFact]
    public async Task RacingApprovalsAndPaymentsMoveTheBatchOnce()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (_, anna, code) = await admin.PayingCampaignAsync();
        await finance.BankDetailsAsync(anna);
        await merchant.LeadsAsync(code, 3);
        var id = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

        var approvals = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => finance.PostAsync($"/api/v1/payouts/{id}/approve", null)));
        Assert.All(approvals, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var payments = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            finance.PostJsonAsync($"/api/v1/payouts/{id}/paid", new { paymentDate = $"2026-11-{10 + i}" })));
        Assert.All(payments, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var audit = await (await finance.GetAsync($"/api/v1/payouts/{id}/audit")).AssertJsonArrayAsync(HttpStatusCode.OK);
        Assert.Equal(1, audit.Count(a => a!["action"].Str() == "payout-batch.approved"));
        Assert.Equal(1, audit.Count(a => a!["action"].Str() == "payout-batch.paid"));
        await using var db = App.Db();
        var entries = await db.Ledger.Where(e => e.PayoutBatchId == id).ToListAsync();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(LedgerEntryState.Paid, e.State));
        Assert.Single(entries.Select(e => e.PaidAt).Distinct());
        // Every answer names the one payment date that won.
        var dates = new HashSet<string>();
        foreach (var payment in payments) dates.Add((await payment.AssertJsonAsync(HttpStatusCode.OK))["paymentDate"].Str());
        Assert.Single(dates);

        // A draft raced by an approval and a discard ends in exactly one of them.
        await merchant.LeadsAsync(code, 1);
        var raced = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var outcome = await Task.WhenAll(
            finance.PostAsync($"/api/v1/payouts/{raced}/approve", null),
            finance.PostAsync($"/api/v1/payouts/{raced}/discard", null));
        Assert.Single(outcome, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(outcome, r => r.StatusCode == HttpStatusCode.Conflict);
    }

    [SkippableFact]
    public async Task TheExportIsTheBatchAsAWorkbookWithNoCellThatCanRunAsAFormula()
    {
        var (admin, finance, merchant) = await ClientsAsync();
        var (campaignId, anna, annaCode) = await admin.PayingCampaignAsync(perLead: 2.5m);
        var (mallory, malloryCode) = await admin.MemberAsync(campaignId);
        await finance.BankDetailsAsync(anna, "Anna de Vries");
        await finance.BankDetailsAsync(mallory, "=HYPERLINK(\"http://evil.example\",\"Click\")");
        await merchant.LeadsAsync(annaCode, 2);
        var malloryLeads = await merchant.LeadsAsync(malloryCode, 1);
        var id = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();

        var response = await finance.GetAsync($"/api/v1/payouts/{id}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(id, response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        Assert.Contains("payouts", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        using var workbook = new ClosedXML.Excel.XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));

        Assert.Contains(workbook.Worksheet("Summary").CellsUsed(), c => c.GetString() == id);
        var payouts = workbook.Worksheet("Payouts");
        Assert.Equal(3, payouts.RangeUsed()!.RowCount()); // header + 2 lines
        var annaRow = payouts.RowsUsed().Single(r => r.Cell(2).GetString() == "Anna de Vries");
        Assert.Equal("NL91ABNA0417164300", annaRow.Cell(6).GetString());
        Assert.Equal(ClosedXML.Excel.XLDataType.Number, annaRow.Cell(12).DataType);
        Assert.Equal(5.00, annaRow.Cell(12).GetDouble());
        Assert.Equal(2, annaRow.Cell(13).GetDouble());
        var malloryRow = payouts.RowsUsed().Single(r => r.Cell(15).GetString() == mallory);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"Click\")", malloryRow.Cell(2).GetString());

        var lines = workbook.Worksheet("Lines");
        Assert.Equal(4, lines.RangeUsed()!.RowCount()); // header + 3 rewards
        Assert.Contains(lines.RowsUsed(), r => r.Cell(5).GetString() == malloryLeads[0] && r.Cell(13).GetDouble() == 2.50);
        Assert.All(workbook.Worksheets.SelectMany(w => w.CellsUsed()), c => Assert.False(c.HasFormula));

        // Who took the bank details, and which file: in the batch's audit log.
        var audit = await (await finance.GetAsync($"/api/v1/payouts/{id}/audit")).AssertJsonArrayAsync(HttpStatusCode.OK);
        var exported = Assert.Single(audit, e => e!["action"].Str() == "payout-batch.exported")!;
        Assert.StartsWith("key:", exported["actor"].Str());
        Assert.Contains($"\"{response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName}\"", exported["details"].Str());
        Assert.Contains("5 rows", exported["details"].Str()); // 2 lines and 3 rewards

        await (await finance.GetAsync("/api/v1/payouts/pay_nosuchbatchhere/export")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await App.ClientWithKey(await admin.NewKeyAsync("manager")).GetAsync($"/api/v1/payouts/{id}/export")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [SkippableFact]
    public async Task TheAuditLogIsAppendOnlyInTheDatabase()
    {
        var (admin, finance, _) = await ClientsAsync();
        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();
        await finance.BankDetailsAsync(ambassadorId);

        await using var db = App.Db();
        var count = await db.AuditLog.CountAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => db.AuditLog.Where(e => e.EntityId == ambassadorId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Details, "rewritten")));
        await Assert.ThrowsAnyAsync<Exception>(() => db.AuditLog.Where(e => e.EntityId == ambassadorId).ExecuteDeleteAsync());
        Assert.Equal(count, await db.AuditLog.CountAsync());
        Assert.DoesNotContain(await db.AuditLog.Select(e => e.Details).ToListAsync(), d => d == "rewritten");
    }
}

public sealed class PayoutsOnSqlite(SqliteFixture fixture) : PayoutTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PayoutsOnPostgres(PostgresFixture fixture) : PayoutTests(fixture), IClassFixture<PostgresFixture>;
