using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Content;

/// <summary>
/// In Debian's Chromium, in English and Dutch: a manager adds an exclusive piece (desktop, then the library at 390 px), a
/// member reads the preview on a phone and rates it, and the manager finds the rating; after the embargo the public page
/// opens. Nothing scrolls sideways, the CSP refuses nothing. Screenshots (content-*, feedback-*) with AMBASSADORS_SCREENSHOTS.
/// </summary>
public sealed class ContentBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableTheory]
    [InlineData("en")]
    [InlineData("nl")]
    public async Task AManagerAddsAnExclusivePieceAMemberPreviewsAndRatesItOnAPhoneAndTheManagerSeesTheRating(string language)
    {
        var nl = language == "nl";
        var culture = CultureInfo.GetCultureInfo(language);
        var admin = App.Admin();
        var campaign = (await (await admin.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Vogue Circle", objective = "brand", destinationUrl = "https://shop.example/vogue", currency = "EUR",
        })).AssertJsonAsync(HttpStatusCode.Created))["id"].Str();
        var member = await admin.CreateAmbassadorAsync();
        var memberId = member["id"].Str();
        await PortalBrowser.EnrolAsync(App, campaign, memberId);
        var invitation = await PortalBrowser.InvitationPathAsync(App, memberId);
        var manager = await StaffBrowser.CreateUserAsync(App, "manager");
        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        var title = nl ? "Wintercollectie: eerste blik" : "Winter collection: first look";
        // Five and a half days from now, to the minute: "in 5 days" whatever the time of day the test runs (a fixed 09:00
        // six days on read "in 6 days" before 09:00 UTC).
        var now = DateTime.UtcNow;
        var embargo = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddDays(5).AddHours(12);

        // 1. The manager, on a desktop: the form refuses a missing title beside the field, then publishes the piece.
        await using (var desk = await BrowserSession.StartAsync(fixture.BaseAddress, 1280, 900))
        {
            var page = desk.Page;
            await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = origin }]);
            await page.GotoAsync($"/manage/campaigns/{campaign}/content/new");
            await page.Locator("input[name=Email]").FillAsync(manager);
            await page.Locator("input[name=Password]").FillAsync(StaffBrowser.Password);
            await page.Locator("main form button[type=submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync($"{origin}/manage/campaigns/{campaign}/content/new");
            await page.Locator("#f-body").FillAsync(nl
                ? "Onze wintercollectie, eerst voor de kring.\nDeel je link vanaf vandaag."
                : "Our winter line, first for the circle.\nShare your link from today.");
            await page.Locator("#f-media").FillAsync("https://cdn.example/winter.jpg");
            await page.Locator("#f-embargo").FillAsync(embargo.ToString(culture.DateTimeFormat.ShortDatePattern + " HH:mm", culture));
            await page.GetByTestId("save").ClickAsync();
            await Expect(page.GetByTestId("error-title")).ToBeVisibleAsync();
            await Expect(page.Locator("#f-media")).ToHaveValueAsync("https://cdn.example/winter.jpg");
            await BrowserSession.ShotAsync(page, $"content-new-error-{language}");
            await page.Locator("#f-title").FillAsync(title);
            await page.GetByTestId("save").ClickAsync();
            await Expect(page).ToHaveURLAsync($"{origin}/manage/campaigns/{campaign}/content");
            await Expect(page.GetByTestId("flash")).ToContainTextAsync(title);
            await Expect(page.GetByTestId("visibility").First).ToContainTextAsync(nl ? "Exclusieve preview tot" : "Exclusive preview until");
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"content-library-{language}");

            // The same pages on a phone.
            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"content-library-{language}-390");
            await page.GetByTestId("edit").First.ClickAsync();
            await Expect(page.Locator("#f-title")).ToHaveValueAsync(title);
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"content-edit-{language}-390");
            Assert.Empty(desk.CspViolations);
        }
        var piece = await ThePieceAsync(campaign);

        // 2. The member, on a phone: the preview is marked in the links, readable with their link, and rated.
        await using (var phone = await BrowserSession.StartAsync(fixture.BaseAddress, 390, 844))
        {
            var page = phone.Page;
            await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = origin }]);
            await page.GotoAsync(invitation);
            await page.Locator("input[name=Password]").FillAsync(PortalBrowser.Password);
            await page.Locator("input[name=Confirm]").FillAsync(PortalBrowser.Password);
            await page.Locator("[data-testid=onboarding] form button[type=submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync($"{origin}/portal");
            await page.GotoAsync("/portal/links");
            await Expect(page.GetByTestId("embargo")).ToContainTextAsync(nl ? "over 5 dagen" : "in 5 days");
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"content-links-{language}-390");
            await page.GetByTestId("piece").ClickAsync();
            await Expect(page).ToHaveURLAsync($"{origin}/portal/content/{piece}");
            await Expect(page.GetByTestId("title")).ToHaveTextAsync(title);
            await Expect(page.GetByTestId("embargo")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("url")).ToContainTextAsync($"{origin}/r/");
            await page.GetByTestId("send").ClickAsync();
            await Expect(page.GetByTestId("error-rating")).ToBeVisibleAsync();
            await page.Locator("label[for=rating-4]").ClickAsync();
            await Expect(page.Locator("#rating-4")).ToBeCheckedAsync();
            await page.Locator("#f-comment").FillAsync(nl ? "Prachtige foto's, graag meer van de jassen." : "Beautiful photos, more of the coats please.");
            await BrowserSession.ShotAsync(page, $"feedback-form-{language}-390");
            await page.GetByTestId("send").ClickAsync();
            await Expect(page.GetByTestId("flash")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("mine").Locator("li")).ToHaveCountAsync(1);
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"content-portal-{language}-390");
            // And the campaign itself, with the keyboard: the radios are a plain group.
            await page.GotoAsync($"/portal/campaigns/{campaign}/feedback");
            await page.Locator("#rating-5").FocusAsync();
            await page.Keyboard.PressAsync("Space");
            await Expect(page.Locator("#rating-5")).ToBeCheckedAsync();
            await page.GetByTestId("send").ClickAsync();
            await Expect(page.GetByTestId("flash")).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"feedback-campaign-{language}-390");
            Assert.Empty(phone.CspViolations);
        }

        // 3. The manager sees the ratings, newest first; 4. after the embargo the public page opens, on a phone too.
        await using (var desk = await BrowserSession.StartAsync(fixture.BaseAddress, 1280, 900))
        {
            var page = desk.Page;
            await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = origin }]);
            await page.GotoAsync($"/manage/campaigns/{campaign}/feedback");
            await page.Locator("input[name=Email]").FillAsync(manager);
            await page.Locator("input[name=Password]").FillAsync(StaffBrowser.Password);
            await page.Locator("main form button[type=submit]").ClickAsync();
            await Expect(page.GetByTestId("average")).ToHaveTextAsync(nl ? "4,5 van 5" : "4.5 of 5");
            await Expect(page.GetByTestId("count")).ToHaveTextAsync("2");
            await Expect(page.GetByTestId("entries").Locator("tbody tr").First).ToContainTextAsync(nl ? "campagne" : "campaign");
            await Expect(page.GetByTestId("entries").Locator("tbody tr").Nth(1)).ToContainTextAsync(title);
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"feedback-manage-{language}");
            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"feedback-manage-{language}-390");

            Assert.Empty(desk.CspViolations);
        }
        await using (var visitor = await BrowserSession.StartAsync(fixture.BaseAddress, 390, 844))
        {
            var page = visitor.Page;
            await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = origin }]);
            Assert.Equal(404, (await page.GotoAsync($"/content/{piece}"))!.Status);
            await (await admin.PatchJsonAsync($"/api/v1/content/{piece}", new { embargoUntil = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") }))
                .AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(200, (await page.GotoAsync($"/content/{piece}"))!.Status);
            await Expect(page.GetByTestId("title")).ToHaveTextAsync(title);
            await Expect(page.GetByTestId("campaign")).ToContainTextAsync("Vogue Circle");
            await page.WaitForLoadStateAsync(LoadState.Load);
            await BrowserSession.AssertNoSidewaysScrollAsync(page);
            await BrowserSession.ShotAsync(page, $"content-public-{language}-390");
            Assert.Empty(visitor.CspViolations);
        }
    }

    private async Task<string> ThePieceAsync(string campaign)
    {
        var list = await (await App.Admin().GetAsync($"/api/v1/campaigns/{campaign}/content")).AssertJsonAsync(HttpStatusCode.OK);
        return list["items"]![0]!["id"].Str();
    }
}
