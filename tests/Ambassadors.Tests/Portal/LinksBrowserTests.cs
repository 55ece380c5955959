using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// "My links" in Debian's Chromium on a phone (390x844) and a desktop, in English and Dutch: the ambassador signs in,
/// copies a link (the clipboard holds it and the button says so), opens the share texts and copies one; the QR image
/// loads; nothing scrolls sideways and the CSP refuses nothing. Screenshots with AMBASSADORS_SCREENSHOTS.
/// </summary>
public sealed class LinksBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableTheory]
    [InlineData("en", 390)]
    [InlineData("nl", 390)]
    [InlineData("en", 1280)]
    public async Task AnAmbassadorCopiesALinkAndAShareTextOnAPhone(string language, int width)
    {
        var admin = App.Admin();
        var campaignId = (await admin.CreateCampaignAsync(name: "Fiesta Movement"))["id"].Str();
        foreach (var title in new[] { "Spring video: the Fiesta on a mountain road", "Café tour" })
        {
            await (await admin.PostJsonAsync($"/api/v1/campaigns/{campaignId}/content", new { title })).AssertJsonAsync(HttpStatusCode.Created);
        }
        var ambassadorId = (await admin.CreateAmbassadorAsync())["id"].Str();
        await PortalBrowser.EnrolAsync(App, campaignId, ambassadorId);
        var invitation = await PortalBrowser.InvitationPathAsync(App, ambassadorId);
        var links = await (await admin.GetAsync($"/api/v1/ambassadors/{ambassadorId}/links")).AssertJsonArrayAsync(HttpStatusCode.OK);
        var campaignLink = links.Single(l => l!["contentId"] is null)!;
        var code = campaignLink["code"].Str();

        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress, width, width < 600 ? 844 : 800);
        var page = session.Page;
        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = origin }]);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = origin });

        // The invitation's page sets the password and opens the portal.
        await page.GotoAsync(invitation);
        await page.Locator("input[name=Password]").FillAsync(PortalBrowser.Password);
        await page.Locator("input[name=Confirm]").FillAsync(PortalBrowser.Password);
        await page.Locator("form button[type=submit]").Last.ClickAsync();
        await Expect(page).ToHaveURLAsync($"{origin}/portal");
        await page.GotoAsync("/portal/links");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = language == "nl" ? "Mijn links" : "My links", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);

        var link = page.GetByTestId($"link-{code}");
        var url = $"{origin}/r/{code}";
        await Expect(link.GetByTestId("url")).ToHaveTextAsync(url);
        await link.GetByTestId("copy").ClickAsync();
        await Expect(link.GetByTestId("copy")).ToHaveTextAsync(language == "nl" ? "Gekopieerd" : "Copied");
        Assert.Equal(url, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        // The QR image is drawn (its PNG route answered with an image).
        await link.GetByTestId("qr").ScrollIntoViewIfNeededAsync();
        await Expect(link.GetByTestId("qr")).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await link.GetByTestId("qr").EvaluateAsync<int>("img => img.naturalWidth") > 100);

        // The share texts: Instagram's is copied whole, with its own tagged link.
        await link.Locator("details.share summary").ClickAsync();
        var instagram = link.GetByTestId("text-instagram");
        await instagram.GetByRole(AriaRole.Button).ClickAsync();
        var expected = language == "nl"
            ? $"Ik ben ambassadeur van Fiesta Movement. Neem een kijkje: {url}?utm_source=instagram&utm_medium=ambassador"
            : $"I'm an ambassador for Fiesta Movement. Take a look: {url}?utm_source=instagram&utm_medium=ambassador";
        await Expect(instagram.GetByRole(AriaRole.Button)).ToHaveTextAsync(language == "nl" ? "Gekopieerd" : "Copied");
        Assert.Equal(expected, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Expect(link.GetByTestId("share-whatsapp")).ToBeVisibleAsync();

        // Let the lazy QR images below load before the full-page picture.
        foreach (var image in await page.GetByTestId("qr").AllAsync()) await image.ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.WaitForTimeoutAsync(300);
        await BrowserSession.ShotAsync(page, width < 600 ? $"portal-links-{language}-{width}" : $"portal-links-{language}");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(overflow <= width, $"The page is {overflow} px wide at {width} px.");
        Assert.Empty(session.CspViolations);
    }
}
