using System.Net;
using Ambassadors.Data;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// /portal/earnings and the statements: pending money with the day it is approved, approved, paid through a real
/// batch, clawed back after a refund; the ledger entries a page at a time; the payouts with their statement page and
/// workbook; and nobody sees a batch that has no line of theirs, a draft or a guessed id.
/// </summary>
public abstract class EarningsTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    private static string ShortToday => DateTime.UtcNow.ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en"));

    [SkippableFact]
    public async Task EarningsShowPendingByApprovalDayApprovedPaidAndClawedBack()
    {
        var (admin, finance, merchant) = await App.PayoutClientsAsync();
        var fiesta = await admin.CampaignAsync("Fiesta Movement", holdingPeriodDays: 0);
        var winter = await admin.CampaignAsync("Winter Drive", holdingPeriodDays: 10, perLead: 3);
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App, fiesta);
        await PortalBrowser.EnrolAsync(App, winter, me);
        var fiestaCode = await EarningsSteps.CodeAsync(App, me, fiesta);
        var winterCode = await EarningsSteps.CodeAsync(App, me, winter);

        // Without payout details the page says how to get paid.
        var empty = await browser.GetPageAsync("/portal/earnings");
        Assert.Contains("data-testid=\"no-earnings\"", empty);
        Assert.Contains("Add your bank details to get paid.", EarningsSteps.Section(empty, "missing-details"));
        Assert.Contains("href=\"/portal/profile#payout\"", empty);

        await finance.BankDetailsAsync(me);
        var sale = await merchant.SaleAsync(fiestaCode, 100m); // 10 + 5 % of 100 = 15.00
        await merchant.LeadsAsync(fiestaCode, 1);                // 2.00
        var batch = await finance.PaidBatchAsync(Today);         // 17.00 paid
        await (await merchant.PostJsonAsync($"/api/v1/conversions/{sale}/reversal", new { reason = "refund" })).AssertJsonAsync(HttpStatusCode.OK);
        await merchant.LeadsAsync(fiestaCode, 1);                // 2.00 approved, not batched yet
        await merchant.LeadsAsync(winterCode, 2, DateTimeOffset.UtcNow.AddHours(-12)); // 2 × 3.00, approved in 9.5 days

        var html = await browser.GetPageAsync("/portal/earnings");
        Assert.DoesNotContain("data-testid=\"missing-details\"", html);
        var totals = EarningsSteps.Section(html, "totals-EUR");
        Assert.Contains("Pending 6.00 EUR", totals);
        Assert.Contains("Approved, to be paid 2.00 EUR", totals);
        Assert.Contains("Paid 17.00 EUR", totals);
        Assert.Contains("Clawed back -15.00 EUR", totals);

        var approvedOn = DateTime.UtcNow.AddHours(-12).AddDays(10).ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en"));
        Assert.Equal($"6.00 EUR approved on {approvedOn} (9 days from now) 2 rewards", EarningsSteps.Section(html, "pending-day"));

        var payouts = EarningsSteps.Section(html, "payouts");
        Assert.Contains($"Up to {ShortToday} 17.00 EUR paid paid on {ShortToday}", payouts);
        Assert.Contains($"href=\"/portal/earnings/statements/{batch}\"", html);
        Assert.Contains($"href=\"/portal/earnings/statements/{batch}.xlsx\"", html);

        // The entries, newest first: the two Winter Drive leads, the new lead, the clawback, then the paid ones.
        var entries = EarningsSteps.Section(html, "entries");
        Assert.Contains("Winter Drive 3.00 EUR Reward for a lead pending", entries);
        Assert.Contains("Fiesta Movement -15.00 EUR Clawed back: sale refunded to be deducted", entries);
        Assert.Contains("Fiesta Movement 15.00 EUR Reward for a sale paid", entries);
        Assert.Contains("approved 9 days from now", entries);
        Assert.True(entries.IndexOf("Clawed back", StringComparison.Ordinal) < entries.IndexOf("Reward for a sale", StringComparison.Ordinal));

        // In Dutch (the browser's language), with Humanizer's Dutch.
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl");
        var nl = await browser.GetPageAsync("/portal/earnings");
        Assert.Contains("Mijn verdiensten", nl);
        Assert.Contains("In afwachting 6,00 EUR", EarningsSteps.Section(nl, "totals-EUR"));
        Assert.Contains("(over 9 dagen) 2 beloningen", EarningsSteps.Section(nl, "pending-day"));
    }

    [SkippableFact]
    public async Task TheStatementPageAndWorkbookShowEveryEntryOfMyLineAndItsTotal()
    {
        var (admin, finance, merchant) = await App.PayoutClientsAsync();
        var fiesta = await admin.CampaignAsync("Fiesta Movement", holdingPeriodDays: 0);
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App, fiesta, name: "Anna de Vries");
        var code = await EarningsSteps.CodeAsync(App, me, fiesta);
        await finance.BankDetailsAsync(me);
        var sale = await merchant.SaleAsync(code, 80m);           // 14.00
        var leads = await merchant.LeadsAsync(code, 2);           // 2 × 2.00
        var batch = await finance.PaidBatchAsync(Today);

        var html = await browser.GetPageAsync($"/portal/earnings/statements/{batch}");
        var summary = EarningsSteps.Section(html, "summary");
        Assert.Contains("Programme Ambassadors", summary);
        Assert.Contains("Ambassador Anna de Vries", summary);
        Assert.Contains("Paid to bank account •••• 4300 in the name of Anna de Vries", summary);
        Assert.Contains($"Period Up to {ShortToday}", summary);
        Assert.Contains("Status paid", summary);
        Assert.Contains($"Paid on {ShortToday}", summary);
        Assert.DoesNotContain("NL91ABNA0417164300", html);
        Assert.DoesNotContain("0417", html);
        var line = EarningsSteps.Section(html, "line-EUR");
        Assert.Contains($"Fiesta Movement 14.00 EUR Reward for a sale {ShortToday} Shop's reference: {sale}", line);
        foreach (var lead in leads) Assert.Contains($"Fiesta Movement 2.00 EUR Reward for a lead {ShortToday} Shop's reference: {lead}", line);
        Assert.EndsWith("Total 18.00 EUR", line);
        Assert.Equal("18.00 EUR", EarningsSteps.Section(html, "total"));
        Assert.Contains("/assets/portal-statement.js", html);

        var download = await browser.GetAsync($"/portal/earnings/statements/{batch}.xlsx");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", download.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"statement-{batch}.xlsx", download.Content.Headers.ContentDisposition!.ToString());
        using var workbook = new XLWorkbook(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet(1);
        Assert.Equal("Statement", sheet.Name);
        Assert.Equal("Ambassadors: payout statement", sheet.Cell(1, 1).GetString());
        var labels = Enumerable.Range(2, 9).ToDictionary(r => sheet.Cell(r, 1).GetString(), r => sheet.Cell(r, 2).GetString());
        Assert.Equal("Anna de Vries", labels["Ambassador"]);
        Assert.Equal("bank account •••• 4300 in the name of Anna de Vries", labels["Paid to"]);
        Assert.Equal($"Up to {ShortToday}", labels["Period"]);
        Assert.Equal("paid", labels["Status"]);
        var header = sheet.RowsUsed().First(r => r.Cell(1).GetString() == "Date").RowNumber();
        Assert.Equal(["Date", "Campaign", "What for", "Shop's reference", "Amount"], Enumerable.Range(1, 5).Select(c => sheet.Cell(header, c).GetString()));
        var rows = Enumerable.Range(header + 1, 3).Select(r => (
            Date: sheet.Cell(r, 1).GetDateTime(), Campaign: sheet.Cell(r, 2).GetString(), Kind: sheet.Cell(r, 3).GetString(),
            Conversion: sheet.Cell(r, 4).GetString(), Amount: sheet.Cell(r, 5).GetDouble(), Format: sheet.Cell(r, 5).Style.NumberFormat.Format)).ToList();
        Assert.Equal((sale, "Reward for a sale", 14.0), (rows[0].Conversion, rows[0].Kind, rows[0].Amount));
        Assert.All(rows, r => Assert.Equal(DateTime.UtcNow.Date, r.Date));
        Assert.All(rows, r => Assert.Equal("Fiesta Movement", r.Campaign));
        Assert.All(rows, r => Assert.Equal("#,##0.00 \"EUR\"", r.Format));
        Assert.Equal(leads.Order(), rows.Skip(1).Select(r => r.Conversion).Order());
        Assert.Equal("Total", sheet.Cell(header + 4, 1).GetString());
        Assert.Equal(18.0, sheet.Cell(header + 4, 5).GetDouble());
        Assert.True(sheet.Column(2).Width >= 30, "Column widths are set by hand (no libgdiplus).");
    }

    [SkippableFact]
    public async Task EntriesComeTwentyAPageNewestFirst()
    {
        var (admin, _, merchant) = await App.PayoutClientsAsync();
        var fiesta = await admin.CampaignAsync("Fiesta Movement", holdingPeriodDays: 0);
        var (browser, me, _) = await PortalBrowser.SignedInAsync(App, fiesta);
        var leads = await merchant.LeadsAsync(await EarningsSteps.CodeAsync(App, me, fiesta), 23);

        var first = await browser.GetPageAsync("/portal/earnings");
        Assert.Equal(20, CountOf(first, "data-testid=\"entry\""));
        Assert.Contains("Page 1 of 2", EarningsSteps.Section(first, "pager"));
        Assert.Contains("href=\"/portal/earnings?page=2#entries\"", first);
        var second = await browser.GetPageAsync("/portal/earnings?page=2");
        Assert.Equal(3, CountOf(second, "data-testid=\"entry\""));
        Assert.Contains("href=\"/portal/earnings?page=1#entries\"", second);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/portal/earnings?page=3")).StatusCode);
        Assert.Equal(23, leads.Count);
    }

    [SkippableFact]
    public async Task ADraftAnotherAmbassadorsBatchAndAGuessedIdAreNotFound()
    {
        var (admin, finance, merchant) = await App.PayoutClientsAsync();
        var fiesta = await admin.CampaignAsync("Fiesta Movement", holdingPeriodDays: 0);
        var (anna, annaId, _) = await PortalBrowser.SignedInAsync(App, fiesta, name: "Anna de Vries");
        var (bram, bramId, _) = await PortalBrowser.SignedInAsync(App, fiesta, name: "Bram Jansen");
        await finance.BankDetailsAsync(annaId);
        await finance.BankDetailsAsync(bramId, "Bram Jansen");

        await merchant.LeadsAsync(await EarningsSteps.CodeAsync(App, annaId, fiesta), 1);
        var annas = await finance.PaidBatchAsync(Today);
        await merchant.LeadsAsync(await EarningsSteps.CodeAsync(App, bramId, fiesta), 1);
        var brams = await finance.PaidBatchAsync(Today);
        await merchant.LeadsAsync(await EarningsSteps.CodeAsync(App, annaId, fiesta), 1);
        var draft = await finance.DraftAsync();
        try
        {
            Assert.NotNull((await finance.BatchAsync(draft)).LineOf(annaId));
            Assert.Null((await finance.BatchAsync(brams)).LineOf(annaId));

            // Mine: found. Bram's, a draft of mine, guessed and malformed ids: the same 404, page and download alike.
            Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync($"/portal/earnings/statements/{annas}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync($"/portal/earnings/statements/{annas}.xlsx")).StatusCode);
            var probes = 0;
            foreach (var id in new[] { brams, draft, "pay_zzzzzzzzzzzzzzzz", "not-a-batch", "pay_" })
            {
                foreach (var suffix in new[] { "", ".xlsx" })
                {
                    var response = await anna.GetAsync($"/portal/earnings/statements/{id}{suffix}");
                    Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{id}{suffix}: {(int)response.StatusCode}");
                    probes++;
                }
            }
            foreach (var suffix in new[] { "", ".xlsx" })
            {
                Assert.Equal(HttpStatusCode.NotFound, (await bram.GetAsync($"/portal/earnings/statements/{annas}{suffix}")).StatusCode);
                probes++;
            }
            Assert.Equal(12, probes);
            var notFound = await (await anna.GetAsync($"/portal/earnings/statements/{brams}")).Content.ReadAsStringAsync();
            Assert.DoesNotContain("Bram", notFound);

            // The list shows my paid batch, not the draft nor Bram's.
            var html = await anna.GetPageAsync("/portal/earnings");
            Assert.Contains($"data-testid=\"payout-{annas}\"", html);
            Assert.DoesNotContain(draft, html);
            Assert.DoesNotContain(brams, html);

            // Once approved, the batch is mine to read: on its way, not paid yet.
            await (await finance.PostAsync($"/api/v1/payouts/{draft}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Contains("Status approved", EarningsSteps.Section(await anna.GetPageAsync($"/portal/earnings/statements/{draft}"), "summary"));
            Assert.Contains("2.00 EUR approved approved, the payment is on its way",
                EarningsSteps.Section(await anna.GetPageAsync("/portal/earnings"), $"payout-{draft}"));
        }
        finally
        {
            var status = (await finance.BatchAsync(draft))["status"].Str();
            if (status == "draft") await finance.DiscardAsync(draft);
            else await (await finance.PostAsync($"/api/v1/payouts/{draft}/paid", null)).AssertJsonAsync(HttpStatusCode.OK);
        }
    }

    [SkippableFact]
    public async Task NotSignedInTheEarningsPagesSendToSignInAndStaffGetForbidden()
    {
        var anonymous = StaffBrowser.Open(App);
        foreach (var path in new[] { "/portal/earnings", "/portal/earnings/statements/pay_zzzzzzzzzzzzzzzz", "/portal/earnings/statements/pay_zzzzzzzzzzzzzzzz.xlsx", "/portal/profile" })
        {
            EarningsSteps.AssertSignInRedirect(await anonymous.GetAsync(path));
        }
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        Assert.Equal(HttpStatusCode.Forbidden, (await finance.GetAsync("/portal/earnings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await finance.GetAsync("/portal/profile")).StatusCode);
    }

    private static int CountOf(string html, string text)
    {
        var count = 0;
        for (var at = html.IndexOf(text, StringComparison.Ordinal); at >= 0; at = html.IndexOf(text, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}

public sealed class EarningsOnSqlite(SqliteFixture fixture) : EarningsTests(fixture), IClassFixture<SqliteFixture>;

public sealed class EarningsOnPostgres(PostgresFixture fixture) : EarningsTests(fixture), IClassFixture<PostgresFixture>;
