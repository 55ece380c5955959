using System.Net;
using ClosedXML.Excel;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// An ambassador on a phone (390 x 844, Debian's Chromium) signs in, reads their earnings, opens a statement and
/// downloads it, and adds payout details; in English and in Dutch, without sideways scrolling or a CSP violation.
/// Screenshots with AMBASSADORS_SCREENSHOTS (docs/screenshots/portal-{earnings,statement,profile}-{lang}-390.png).
/// </summary>
public sealed class EarningsBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableTheory]
    [InlineData("en")]
    [InlineData("nl")]
    public async Task OnAPhoneAnAmbassadorReadsEarningsDownloadsAStatementAndAddsPayoutDetails(string language)
    {
        var en = language == "en";
        var (admin, finance, merchant) = await App.PayoutClientsAsync();
        var fiesta = await admin.CampaignAsync("Fiesta Movement", holdingPeriodDays: 0);
        var winter = await admin.CampaignAsync("Winter Drive", holdingPeriodDays: 10, perLead: 3);
        var me = (await admin.CreateAmbassadorAsync())["id"].Str();
        await PortalBrowser.EnrolAsync(App, fiesta, me);
        await PortalBrowser.EnrolAsync(App, winter, me);
        var fiestaCode = await EarningsSteps.CodeAsync(App, me, fiesta);
        await finance.BankDetailsAsync(me);
        var sale = await merchant.SaleAsync(fiestaCode, 100m);
        await merchant.LeadsAsync(fiestaCode, 2);
        var batch = await finance.PaidBatchAsync(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"));
        await (await merchant.PostJsonAsync($"/api/v1/conversions/{sale}/reversal", new { })).AssertJsonAsync(HttpStatusCode.OK);
        await merchant.LeadsAsync(fiestaCode, 1);
        await merchant.LeadsAsync(await EarningsSteps.CodeAsync(App, me, winter), 3, DateTimeOffset.UtcNow.AddHours(-12));
        // Finance's details are removed so the profile shows the form to add them, as for a new ambassador.
        await using (var db = App.Db())
        {
            db.PayoutDetails.RemoveRange(db.PayoutDetails.Where(d => d.AmbassadorId == me));
            await db.SaveChangesAsync();
        }

        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress, 390, 844);
        var page = session.Page;
        // The invitation's link: choose a password, and the portal opens.
        await page.GotoAsync(await PortalBrowser.InvitationPathAsync(App, me));
        await page.Locator("#password").FillAsync(PortalBrowser.Password);
        await page.Locator("#confirm").FillAsync(PortalBrowser.Password);
        await page.Locator("form button[type=submit]").Last.ClickAsync();
        await Expect(page.GetByTestId("greeting")).ToBeVisibleAsync();
        await page.GotoAsync("/portal/earnings");
        await Expect(page.GetByTestId("totals-EUR")).ToBeVisibleAsync();
        if (!en) await page.GetByTestId("language-switch").GetByRole(AriaRole.Button, new() { Name = "Nederlands" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);

        await Expect(page.GetByTestId("paid")).ToContainTextAsync(en ? "19.00 EUR" : "19,00 EUR");
        await Expect(page.GetByTestId("pending")).ToContainTextAsync(en ? "9.00 EUR" : "9,00 EUR");
        await Expect(page.GetByTestId("clawed-back")).ToContainTextAsync(en ? "-15.00 EUR" : "-15,00 EUR");
        await Expect(page.GetByTestId("pending-day")).ToContainTextAsync(en ? "9 days from now" : "over 9 dagen");
        await Expect(page.GetByTestId("missing-details")).ToBeVisibleAsync();
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
        await BrowserSession.ShotAsync(page, $"portal-earnings-{language}-390");

        // The statement: a page to print, and the workbook.
        await page.GetByTestId($"payout-{batch}").GetByTestId("statement-link").ClickAsync();
        await Expect(page.GetByTestId("total")).ToHaveTextAsync(en ? "19.00 EUR" : "19,00 EUR");
        await Expect(page.GetByTestId("summary")).ToContainTextAsync("•••• 4300");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = en ? "Print" : "Afdrukken" })).ToBeVisibleAsync();
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
        await BrowserSession.ShotAsync(page, $"portal-statement-{language}-390");
        if (en)
        {
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            await Expect(page.Locator("header.site")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("download")).ToBeHiddenAsync();
            await BrowserSession.ShotAsync(page, "portal-statement-print-en");
            await page.EmulateMediaAsync(new() { Media = Media.Screen });
        }
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download").ClickAsync());
        Assert.Equal($"statement-{batch}.xlsx", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), $"statement-{Guid.NewGuid():N}.xlsx");
        try
        {
            await download.SaveAsAsync(saved);
            using var workbook = new XLWorkbook(saved);
            var total = workbook.Worksheet(1).RowsUsed().Last();
            Assert.Equal(en ? "Total" : "Totaal", total.Cell(1).GetString());
            Assert.Equal(19.0, total.Cell(5).GetDouble());
        }
        finally
        {
            File.Delete(saved);
        }

        // Payout details: a mistyped IBAN is refused beside the field, a good one is kept and shown masked.
        await page.GotoAsync("/portal/profile");
        await page.Locator("#payout-legalName").FillAsync("Anna de Vries");
        await page.Locator("#payout-country").SelectOptionAsync("NL");
        await page.Locator("#payout-iban").FillAsync("NL91 ABNA 0417 1643 01");
        await page.GetByTestId("payout-form").Locator("button[type=submit]").ClickAsync();
        await Expect(page.GetByTestId("error-iban")).ToContainTextAsync(en ? "This is not a valid IBAN" : "Dit is geen geldig IBAN");
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
        await BrowserSession.ShotAsync(page, $"portal-profile-error-{language}-390");
        await page.Locator("#payout-iban").FillAsync("NL91 ABNA 0417 1643 00");
        await page.GetByTestId("payout-form").Locator("button[type=submit]").ClickAsync();
        await Expect(page.GetByTestId("flash")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("masked-iban")).ToHaveTextAsync("•••• 4300");
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
        await BrowserSession.ShotAsync(page, $"portal-profile-{language}-390");
        Assert.Empty(session.CspViolations);
    }
}
