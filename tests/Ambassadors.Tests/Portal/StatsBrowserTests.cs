using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Portal;

/// <summary>
/// My stats in Debian's Chromium on a phone (390x844), in English and Dutch: the chart is drawn with its days, nothing is
/// wider than the screen, the stylesheet's rules hold (no CSP violation). Screenshots with AMBASSADORS_SCREENSHOTS.
/// </summary>
public sealed class StatsBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    [SkippableFact]
    public async Task MyStatsReadWellOnAPhoneInBothLanguages()
    {
        var world = await PortalStatsWorld.CreateAsync(fixture.App, fixture.BaseAddress);
        foreach (var (language, width) in new[] { ("en", 390), ("nl", 390), ("en", 1280) })
        {
            await using var session = await BrowserSession.StartAsync(fixture.BaseAddress, width, width < 600 ? 844 : 800);
            var page = session.Page;
            await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = fixture.BaseAddress.ToString() }]);
            await page.GotoAsync("/portal/stats");
            await page.Locator("input[name=Email]").FillAsync(world.AnnaEmail);
            await page.Locator("input[name=Password]").FillAsync(PortalBrowser.Password);
            await page.Locator("form button[type=submit]").Last.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = language == "nl" ? "Mijn resultaten" : "My stats", Exact = true })).ToBeVisibleAsync();

            var chart = page.GetByTestId("daily-chart");
            await Expect(chart).ToBeVisibleAsync();
            await Expect(chart.Locator("g.day")).ToHaveCountAsync(30);
            Assert.Contains(",", await chart.Locator("polyline.clicks").GetAttributeAsync("points"));
            await Expect(page.GetByTestId("totals").GetByTestId("clicks")).ToHaveTextAsync("5");
            var suffix = width < 600 ? $"{language}-{width}" : language;
            await BrowserSession.ShotAsync(page, $"portal-stats-{suffix}");
            await AssertFitsAsync(page);

            await page.GetByTestId($"campaign-{world.Fiesta}").GetByRole(AriaRole.Link, new() { Name = "Fiesta Movement" }).ClickAsync();
            await Expect(page.GetByTestId("my-rank")).ToHaveTextAsync(language == "nl" ? "Je staat 2e van de 4." : "You are 2nd of 4.");
            await Expect(page.GetByTestId("daily-chart").Locator("g.day")).ToHaveCountAsync(30);
            await BrowserSession.ShotAsync(page, $"portal-stats-campaign-{suffix}");
            await AssertFitsAsync(page);
            Assert.Empty(session.CspViolations);
        }
    }

    /// <summary>The page never scrolls sideways: only a box of its own (the chart's) may.</summary>
    private static async Task AssertFitsAsync(IPage page)
    {
        // Measured once the stylesheet has loaded (a page reached by a click may show its text before; under a loaded
        // machine the header's "signed in as", which the phone layout hides, was measured unstyled).
        await page.WaitForLoadStateAsync(LoadState.Load);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var wide = await page.EvaluateAsync<string>(@"() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
        Assert.True(overflow <= 0, $"{page.Url} is {overflow} px wider than the screen: {wide}");
    }
}
