using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// The portal's home and the password reset on a phone (390x844) in Debian's Chromium, in English and Dutch: an ambassador
/// accepts the invitation, comes back a day later to read what happened, copies a link, switches language; someone asks
/// for a new password and sets it. No sideways scroll, nothing the CSP refuses; screenshots with AMBASSADORS_SCREENSHOTS.
/// </summary>
public sealed class HomeBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    private static string Day(int offset) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(offset).ToString("yyyy-MM-dd");

    private async Task<string> CampaignAsync(string name, string? endsOn)
    {
        var created = await (await App.Admin().PostJsonAsync("/api/v1/campaigns", new
        {
            name, objective = "sales", destinationUrl = "https://shop.example/fiesta", currency = "EUR",
            startsOn = Day(-10), endsOn, holdingPeriodDays = 30, rewards = new { perLead = 2, perSale = 10 },
        })).AssertJsonAsync(HttpStatusCode.Created);
        return created["id"].Str();
    }

    [SkippableFact]
    public async Task AnAmbassadorReadsTheirHomeOnAPhoneInEnglishAndDutch()
    {
        var fiesta = await CampaignAsync("Fiesta Movement", Day(21));
        var summer = await CampaignAsync("Summer Club with a rather long campaign name", null);
        var ambassador = await App.Admin().CreateAmbassadorAsync();
        var id = ambassador["id"].Str();
        var code = (await PortalBrowser.EnrolAsync(App, fiesta, id))["referralCode"].Str();
        await PortalBrowser.EnrolAsync(App, summer, id);
        var invitation = await PortalBrowser.InvitationPathAsync(App, id);

        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress, 390, 844);
        var page = session.Page;
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GotoAsync(invitation);
        await page.Locator("#password").FillAsync(PortalBrowser.Password);
        await page.Locator("#confirm").FillAsync(PortalBrowser.Password);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.GetByTestId("greeting")).ToHaveTextAsync("Hello Anna");
        await Expect(page.GetByTestId("news-headline")).ToContainTextAsync("Nothing new since");

        // A day later: clicks, leads and a sale came in.
        await using (var db = App.Db())
        {
            var dayAgo = DateTimeOffset.UtcNow.AddDays(-1);
            await db.Users.Where(u => u.AmbassadorId == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PortalVisitAt, dayAgo));
        }
        // Clicks.Visitor's client would go to the in-memory address; this server listens on Kestrel.
        using var visitor = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.BaseAddress };
        for (var i = 0; i < 12; i++) await visitor.ClickAsync(code);
        await App.Admin().StatsWhenAsync($"/api/v1/ambassadors/{id}/stats", s => s["clicks"].Long() == 12);
        var merchant = App.ClientWithKey(await App.Admin().NewKeyAsync("merchant"));
        await merchant.LeadsAsync(code, 2);
        await (await merchant.ConvertAsync(new { externalId = $"order-{Guid.NewGuid():N}", kind = "sale", amount = "59.99", currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);

        await page.GotoAsync("/portal");
        await Expect(page.GetByTestId("news-headline")).ToHaveTextAsync("12 clicks, 2 leads, 1 sale, and 14.00 EUR in rewards since yesterday");
        await Expect(page.GetByTestId("pending-EUR")).ToHaveTextAsync("14.00 EUR");
        await Expect(page.GetByTestId("next-approval")).ToContainTextAsync("14.00 EUR becomes payable on");
        var card = page.GetByTestId($"campaign-{fiesta}");
        await Expect(card.GetByTestId("campaign-dates")).ToContainTextAsync("ends in 3 weeks");
        await card.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.EndsWith($"/r/{code}", await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await AssertFitsAsync(page);
        await BrowserSession.ShotAsync(page, "portal-home-en-390");

        await page.GetByRole(AriaRole.Button, new() { Name = "Nederlands" }).ClickAsync();
        await Expect(page.GetByTestId("greeting")).ToHaveTextAsync("Hallo Anna");
        await Expect(page.GetByTestId("news-headline")).ToHaveTextAsync("12 kliks, 2 leads, 1 verkoop en 14,00 EUR aan beloningen sinds gisteren");
        await Expect(card.GetByTestId("campaign-dates")).ToContainTextAsync("eindigt over 3 weken");
        await AssertFitsAsync(page);
        await BrowserSession.ShotAsync(page, "portal-home-nl-390");
        Assert.Empty(session.CspViolations);
    }

    [SkippableFact]
    public async Task SomeoneAsksForANewPasswordAndSetsItOnAPhone()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "manager");
        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress, 390, 844);
        var page = session.Page;
        await page.GotoAsync("/login");
        await page.GetByTestId("forgot-link").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password?" })).ToBeVisibleAsync();
        await AssertFitsAsync(page);
        await BrowserSession.ShotAsync(page, "portal-home-forgot-en-390");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }).ClickAsync();
        await Expect(page.GetByTestId("sent")).ToContainTextAsync("If an account exists for this email");

        string link;
        await using (var db = App.Db())
        {
            link = (await db.Outbox.SingleAsync(m => m.To == email && m.Kind == Ambassadors.Data.OutboxKind.PasswordReset)).Link!;
        }
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await page.GetByRole(AriaRole.Button, new() { Name = "Nederlands" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kies een nieuw wachtwoord" })).ToBeVisibleAsync();
        await page.Locator("#password").FillAsync("zonder-hoofdletters-of-cijfers");
        await page.Locator("#confirm").FillAsync("zonder-hoofdletters-of-cijfers");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.GetByTestId("error-password").First).ToBeVisibleAsync();
        await AssertFitsAsync(page);
        await BrowserSession.ShotAsync(page, "portal-home-reset-nl-390");
        await page.Locator("#password").FillAsync("Brand-New-Secret-2027");
        await page.Locator("#confirm").FillAsync("Brand-New-Secret-2027");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Je wachtwoord is gewijzigd: log ermee in.");
        Assert.Empty(session.CspViolations);
    }

    /// <summary>The page never scrolls sideways at the phone's width.</summary>
    private static async Task AssertFitsAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
    }
}
