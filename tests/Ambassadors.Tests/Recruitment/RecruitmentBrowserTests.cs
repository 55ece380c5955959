using System.Text.RegularExpressions;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Ambassadors.Tests.Recruitment.RecruitmentSteps;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Recruitment;

/// <summary>
/// Recruitment in Debian's Chromium: someone applies on the public form, a manager signs in, reviews, accepts a selection,
/// and the invitation is in the outbox. Both languages, desktop and phone widths; screenshots with AMBASSADORS_SCREENSHOTS.
/// </summary>
public sealed class RecruitmentBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AnApplicantAppliesAndAManagerAcceptsTheSelectionAndFindsTheInvitationInTheOutbox()
    {
        var campaign = await RecruitingCampaignAsync(App, capacity: 20, targetCountries: ["NL", "BE"]);
        await SeedAsync(App, campaign, 12);
        var email = $"lotte.{Guid.NewGuid():N}@example.com";
        var manager = await ManagerAsync(App);

        await using var session = await Session.StartAsync(fixture.BaseAddress, 1280);
        var page = session.Page;
        await page.GotoAsync($"/apply/{campaign}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apply to Fiesta Movement" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("terms")).ToHaveTextAsync(Terms);
        // The honeypot is out of sight.
        await Expect(page.Locator("#website")).Not.ToBeInViewportAsync();
        await page.GetByLabel("Your name").FillAsync("Lotte Jansen");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Country").SelectOptionAsync("NL");
        await page.Locator("#network-0").SelectOptionAsync("tiktok");
        await page.Locator("#handle-0").FillAsync("@lotte");
        await page.Locator("#followers-0").FillAsync("48,000");
        await page.GetByLabel("Why do you want to be an ambassador?").FillAsync("I review small cars for first-time drivers.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my application" }).ClickAsync();
        // Followers with a thousands separator are refused next to the field; nothing else is lost.
        await Expect(page.GetByTestId("error-Profiles[0].Followers")).ToContainTextAsync("whole number");
        await Expect(page.GetByTestId("error-Consent")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Lotte Jansen");
        await page.Locator("#followers-0").FillAsync("48000");
        await page.Locator("#engagement-0").FillAsync("4,2");
        await page.GetByLabel("I have read the terms above and agree to them.").CheckAsync();
        await ShotAsync(page, "apply-filled-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my application" }).ClickAsync();
        await Expect(page.GetByTestId("thanks")).ToContainTextAsync("Thank you for applying");

        // The manager signs in and goes straight to the review.
        await page.GotoAsync($"/manage/campaigns/{campaign}/applications");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl="));
        await page.GetByLabel("Email").FillAsync(manager);
        await page.GetByLabel("Password").FillAsync(StaffBrowser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Applications to Fiesta Movement" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("application")).ToHaveCountAsync(13);
        // Lotte (48,000 followers, 4.2 %, a target country) has the highest score.
        await Expect(page.GetByTestId("application").First).ToContainTextAsync("Lotte Jansen");

        // Select all on the page, then only the top three.
        await page.Locator("#select-all").CheckAsync();
        await Expect(page.Locator("#selected-count")).ToHaveTextAsync("13 selected");
        await page.Locator("#select-all").UncheckAsync();
        for (var i = 0; i < 3; i++) await page.GetByTestId("application").Nth(i).Locator("input[type=checkbox]").CheckAsync();
        await Expect(page.Locator("#selected-count")).ToHaveTextAsync("3 selected");
        await page.Locator("details.scoring summary").ClickAsync();
        await ShotAsync(page, "review-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept", Exact = true }).ClickAsync();
        var confirm = page.GetByTestId("confirm");
        await Expect(confirm.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Accept the selected applications (3)?");
        await Expect(page.GetByTestId("confirm-places")).ToHaveTextAsync("Places left: 20. Places these need: 3.");
        await ShotAsync(page, "review-confirm-en");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, accept 3" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Accepted: 3");
        await Expect(page.GetByTestId("capacity")).ToHaveTextAsync("Capacity 20: 3 members, 17 places left.");
        await Expect(page.GetByTestId("application").First.Locator(".badge")).ToHaveTextAsync("accepted");

        // The invitation is in the outbox, with its link.
        await page.GetByRole(AriaRole.Link, new() { Name = "Outbox" }).ClickAsync();
        var message = page.GetByTestId("message").Filter(new() { HasText = email });
        await Expect(message).ToContainTextAsync("Welcome to Fiesta Movement");
        await Expect(message.GetByTestId("link")).ToHaveValueAsync(new Regex("/portal/onboarding/[A-Za-z0-9_-]{43}$"));
        await ShotAsync(page, "outbox-en");
        Assert.Empty(session.CspViolations);

        await using var db = App.Db();
        var accepted = await db.Applications.SingleAsync(a => a.CampaignId == campaign && a.NormalizedEmail == email);
        Assert.Equal(ApplicationStatus.Accepted, accepted.Status);
        Assert.Equal(4.2m, accepted.SocialProfiles.Single().EngagementRate);
    }

    [SkippableTheory]
    [InlineData("en", 1280)]
    [InlineData("nl", 1280)]
    [InlineData("en", 390)]
    [InlineData("nl", 390)]
    public async Task TheFormAndTheReviewReadWellInBothLanguagesOnADesktopAndAPhone(string language, int width)
    {
        var campaign = await RecruitingCampaignAsync(App, capacity: 10, targetCountries: ["NL"]);
        await SeedAsync(App, campaign, 8);
        var manager = await ManagerAsync(App);
        await using var session = await Session.StartAsync(fixture.BaseAddress, width, language);
        var page = session.Page;
        var suffix = width < 600 ? $"{language}-{width}" : language;

        await page.GotoAsync($"/apply/{campaign}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = language == "nl" ? "Meld je aan voor Fiesta Movement" : "Apply to Fiesta Movement" })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await ShotAsync(page, $"apply-{suffix}");
        await BrowserSession.AssertNoSidewaysScrollAsync(page);

        await page.GotoAsync($"/manage/campaigns/{campaign}/applications");
        await page.Locator("input[name=Email]").FillAsync(manager);
        await page.Locator("input[name=Password]").FillAsync(StaffBrowser.Password);
        await page.Locator("form button[type=submit]").Last.ClickAsync();
        await Expect(page.GetByTestId("applications")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("paging")).ToContainTextAsync(language == "nl" ? "Pagina 1 van 1" : "Page 1 of 1");
        await ShotAsync(page, $"review-{suffix}");
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
        Assert.Empty(session.CspViolations);
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("AMBASSADORS_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Headless Chromium with one context: the viewport width, and the language cookie the switch sets.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;

        public IPage Page { get; private set; } = null!;
        public List<string> CspViolations { get; } = [];

        public static async Task<Session> StartAsync(Uri baseAddress, int width, string language = "en")
        {
            Skip.IfNot(File.Exists(Chromium), $"Chromium is not installed at {Chromium}: the browser tests are skipped.");
            var session = new Session { _playwright = await Playwright.CreateAsync() };
            session._browser = await session._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            var context = await session._browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 800 },
                IsMobile = width < 600,
                HasTouch = width < 600,
            });
            await context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = baseAddress.ToString() }]);
            context.SetDefaultTimeout(15_000);
            session.Page = await context.NewPageAsync();
            session.Page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) session.CspViolations.Add(message.Text);
            };
            return session;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.CloseAsync();
            _playwright.Dispose();
        }
    }
}
