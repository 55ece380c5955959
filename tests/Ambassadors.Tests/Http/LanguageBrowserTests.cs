using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Http;

/// <summary>
/// The language switch in Debian's Chromium: it changes the login page and the finance and staff pages, is remembered
/// after signing out and in again, and every page fits a phone (390 px) in both languages. With AMBASSADORS_SCREENSHOTS
/// set, keeps a picture of each page in each language (docs/screenshots/ has the committed ones).
/// </summary>
public sealed class LanguageBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task TheSwitchChangesEveryPageAndIsRememberedAfterSigningOutAndIn()
    {
        await Ambassadors.Tests.Payouts.PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 1250m);
        var admin = await StaffBrowser.CreateUserAsync(App, "admin");
        await StaffBrowser.CreateUserAsync(App, "finance");
        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress);
        var page = session.Page;

        await page.GotoAsync("/login");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await BrowserSession.ShotAsync(page, "lang-login-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Nederlands" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "nl");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Aanmelden" })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await BrowserSession.ShotAsync(page, "lang-login-nl");

        await page.GetByLabel("E-mailadres").FillAsync(admin);
        await page.GetByLabel("Wachtwoord").FillAsync(StaffBrowser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Uitbetalingsbatches" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Nieuwe batch" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Concept aanmaken" }).Or(page.GetByRole(AriaRole.Button, new() { Name = "Voorbeeld" })).First.ClickAsync();
        await Expect(page.GetByTestId("preview-summary")).ToContainTextAsync("1.250,00 EUR");
        await page.GetByRole(AriaRole.Button, new() { Name = "Concept aanmaken" }).ClickAsync();
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("concept");
        await page.GetByRole(AriaRole.Link, new() { Name = "Batches", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("batches")).ToContainTextAsync("concept");
        await BrowserSession.ShotAsync(page, "lang-finance-nl");
        await page.GetByRole(AriaRole.Link, new() { Name = "Medewerkers" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Medewerkers" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("staff")).ToContainTextAsync("beheerder");
        await BrowserSession.ShotAsync(page, "lang-staff-nl");

        // Signing out keeps the choice; signing in again finds the pages in Dutch.
        await page.GetByRole(AriaRole.Button, new() { Name = "Afmelden" }).ClickAsync();
        await Expect(page.GetByText("Je bent afgemeld.")).ToBeVisibleAsync();
        await page.GetByLabel("E-mailadres").FillAsync(admin);
        await page.GetByLabel("Wachtwoord").FillAsync(StaffBrowser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Uitbetalingsbatches" })).ToBeVisibleAsync();

        // And back to English, on the page itself.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Payout batches" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("batches")).ToContainTextAsync("draft");
        await BrowserSession.ShotAsync(page, "lang-finance-en");
        await page.GotoAsync("/manage/staff");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Staff", Exact = true })).ToBeVisibleAsync();
        await BrowserSession.ShotAsync(page, "lang-staff-en");
        Assert.Empty(session.CspViolations);
    }

    [SkippableFact]
    public async Task EveryPageFitsAPhoneInBothLanguages()
    {
        var batchOwner = await StaffBrowser.CreateUserAsync(App, "admin");
        await Ambassadors.Tests.Payouts.PayoutSeed.AmbassadorOwedAsync(App.Admin(), perLead: 99m);
        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress, width: 390, height: 844);
        var page = session.Page;
        await page.GotoAsync("/login");
        await BrowserSession.SignInAsync(page, batchOwner);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Payout batches" })).ToBeVisibleAsync();
        foreach (var language in new[] { "en", "nl" })
        {
            await page.GetByRole(AriaRole.Button, new() { Name = language == "nl" ? "Nederlands" : "English" }).ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            foreach (var path in new[] { "/finance", "/finance/new", "/finance/audit", "/finance/missing-details", "/manage/staff", "/logout" })
            {
                await page.GotoAsync(path);
                var overflow = await page.EvaluateAsync<double>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
                if (overflow > 0) await BrowserSession.ShotAsync(page, $"overflow-{language}-{path.Replace('/', '-')}");
                Assert.True(overflow <= 0, $"{path} ({language}) scrolls sideways by {overflow} px at 390 px.");
            }
            await page.GotoAsync("/manage/staff");
            await BrowserSession.ShotAsync(page, $"lang-staff-phone-{language}");
            await page.GotoAsync("/finance");
            await BrowserSession.ShotAsync(page, $"lang-finance-phone-{language}");
        }
        Assert.Empty(session.CspViolations);
    }
}
