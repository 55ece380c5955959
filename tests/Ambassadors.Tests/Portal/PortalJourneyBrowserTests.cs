using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// An ambassador's first day on a phone (390x844) in Debian's Chromium, in English and in Dutch: accepts the invitation,
/// signs out and in again with the new password, copies a link, sees the chart of their clicks, downloads the statement
/// of the payout that paid them. Nothing scrolls sideways and the CSP refuses nothing on any page. Screenshots of each
/// step with AMBASSADORS_SCREENSHOTS.
/// </summary>
public sealed class PortalJourneyBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableTheory]
    [InlineData("en")]
    [InlineData("nl")]
    public async Task AnInvitedAmbassadorSignsInCopiesALinkSeesTheChartAndDownloadsAStatement(string language)
    {
        var (admin, finance, merchant) = await App.PayoutClientsAsync();
        var campaignId = (await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Fiesta Movement", objective = "sales", destinationUrl = "https://shop.example/fiesta", currency = "EUR",
            holdingPeriodDays = 0, rewards = new { perLead = 2.5m, perSale = 10 },
        })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var ambassador = await admin.CreateAmbassadorAsync();
        var (id, email) = (ambassador["id"].Str(), ambassador["email"].Str());
        var code = (await PortalBrowser.EnrolAsync(App, campaignId, id))["referralCode"].Str();
        using var visitor = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.BaseAddress };
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Found, (await visitor.ClickAsync(code)).StatusCode);
        await admin.StatsWhenAsync($"/api/v1/ambassadors/{id}/stats", s => s["clicks"].Long() == 3);
        await merchant.LeadsAsync(code, 2);
        await finance.BankDetailsAsync(id);
        var batch = (await (await finance.CreateBatchAsync()).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        await (await finance.PostAsync($"/api/v1/payouts/{batch}/approve", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await finance.PostAsync($"/api/v1/payouts/{batch}/paid", null)).AssertJsonAsync(HttpStatusCode.OK);
        var invitation = await PortalBrowser.InvitationPathAsync(App, id);

        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress, 390, 844);
        var page = session.Page;
        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = origin }]);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = origin });
        var nl = language == "nl";

        // 1. The invitation: choose a password, land in the portal.
        await page.GotoAsync(invitation);
        await Step(page, session, $"portal-journey-1-invitation-{language}-390");
        await page.Locator("input[name=Password]").FillAsync(PortalBrowser.Password);
        await page.Locator("input[name=Confirm]").FillAsync(PortalBrowser.Password);
        await page.Locator("[data-testid=onboarding] form button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync($"{origin}/portal");
        await Expect(page.GetByTestId("greeting")).ToContainTextAsync("Anna");

        // 2. Signs out, and in again with the password (the portal is where an ambassador lands).
        await page.Locator("header form[action='/logout'] button").ClickAsync();
        await page.GotoAsync("/login");
        await page.Locator("input[name=Email]").FillAsync(email);
        await page.Locator("input[name=Password]").FillAsync(PortalBrowser.Password);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync($"{origin}/portal");
        await Step(page, session, $"portal-journey-2-home-{language}-390");

        // 3. Copies the campaign link.
        await page.GotoAsync("/portal/links");
        var link = page.GetByTestId($"link-{code}");
        await link.GetByTestId("copy").ClickAsync();
        await Expect(link.GetByTestId("copy")).ToHaveTextAsync(nl ? "Gekopieerd" : "Copied");
        Assert.Equal($"{origin}/r/{code}", await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // 4. Sees the chart of the last 30 days, with today's three clicks in it.
        await page.GotoAsync("/portal/stats");
        var chart = page.GetByTestId("daily-chart").First;
        await Expect(chart).ToBeVisibleAsync();
        Assert.Equal(30, await chart.Locator("g.day").CountAsync());
        await Expect(chart.Locator("polyline.series.clicks")).ToBeVisibleAsync();
        Assert.True(await chart.Locator("rect.bar.leads").EvaluateAllAsync<int>("bars => bars.filter(b => b.getAttribute('height') > 0).length") == 1,
            "Today's two leads are one bar.");
        await Expect(page.GetByTestId("totals")).ToContainTextAsync("3");
        await Step(page, session, $"portal-journey-3-stats-{language}-390");

        // 5. Downloads the statement of the payout.
        await page.GotoAsync("/portal/earnings");
        var payout = page.GetByTestId($"payout-{batch}");
        await Expect(payout).ToBeVisibleAsync();
        await Step(page, session, $"portal-journey-4-earnings-{language}-390");
        var download = await page.RunAndWaitForDownloadAsync(() => payout.GetByTestId("statement-download").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var file = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.True(bytes.Length > 1000 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K', "The download is an xlsx (a zip).");
        using (var book = new ClosedXML.Excel.XLWorkbook(new MemoryStream(bytes)))
        {
            var cells = string.Join("\n", book.Worksheets.SelectMany(s => s.CellsUsed()).Select(c => c.GetString()));
            Assert.Contains("Fiesta Movement", cells);
        }
        await payout.GetByTestId("statement-link").ClickAsync();
        await Expect(page).ToHaveURLAsync($"{origin}/portal/earnings/statements/{batch}");
        await Step(page, session, $"portal-journey-5-statement-{language}-390");
    }

    /// <summary>Every step: no sideways scroll at 390 px, nothing refused by the CSP, and a picture.</summary>
    private static async Task Step(IPage page, BrowserSession session, string name)
    {
        // A click's navigation changes the URL before the new page's stylesheet has loaded: measure the laid-out page.
        await page.WaitForLoadStateAsync(LoadState.Load);
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
        Assert.Empty(session.CspViolations);
        await BrowserSession.ShotAsync(page, name);
    }
}
