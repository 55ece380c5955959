using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Campaigns;

/// <summary>
/// A manager makes a campaign through the form and looks at it, in Debian's Chromium (Playwright) against the service on a
/// loopback port: on a desktop and on a 390 px phone, in English and Dutch. Skipped when Chromium is not installed.
/// With AMBASSADORS_SCREENSHOTS naming a folder, each view is saved there (campaign-en.png, campaigns-nl.png, …).
/// </summary>
public sealed class CampaignBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AManagerCreatesACampaignThroughTheFormAndReadsItsPageOnADesktopAndAPhone()
    {
        Skip.IfNot(File.Exists(ChromiumPath), $"Chromium is not installed at {ChromiumPath} (apt-get install chromium): the browser tests are skipped.");
        // A manager's address of a usual length (the suite's own are 60 characters, wider than a phone's header).
        var email = $"m.{Guid.NewGuid():N}"[..10] + "@example.com";
        await (await App.Admin().PostJsonAsync("/api/v1/users", new { email, password = StaffBrowser.Password, role = "manager" })).AssertJsonAsync(HttpStatusCode.Created);
        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
        });
        var blocked = new List<string>();
        var desktop = await OpenAsync(chromium, 1280, 800, blocked);

        // Signed out, /manage leads to the sign-in and back; the first visit finds no campaign and is told what to do.
        await desktop.GotoAsync("/manage");
        await Expect(desktop).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fmanage$"));
        await desktop.GetByLabel("Email").FillAsync(email);
        await desktop.GetByLabel("Password").FillAsync(StaffBrowser.Password);
        await desktop.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(desktop.GetByRole(AriaRole.Heading, new() { Name = "No campaigns yet" })).ToBeVisibleAsync();

        // The form: a refused field first (shown beside it), then the campaign.
        await desktop.GetByRole(AriaRole.Link, new() { Name = "New campaign" }).First.ClickAsync();
        await Expect(desktop).ToHaveURLAsync(new Regex("/manage/campaigns/new$"));
        await desktop.GetByLabel("Name", new() { Exact = true }).FillAsync("Fiesta Movement");
        await desktop.GetByLabel("Sales").CheckAsync();
        await desktop.GetByLabel("Status").SelectOptionAsync("recruiting");
        await desktop.GetByLabel("Destination: where the links lead").FillAsync("https://ford.example/fiesta");
        await desktop.GetByLabel("Starts on").FillAsync(DateTime.UtcNow.AddDays(-29).ToString("yyyy-MM-dd"));
        await desktop.GetByLabel("Ends on").FillAsync(DateTime.UtcNow.AddDays(150).ToString("yyyy-MM-dd"));
        await desktop.GetByLabel("Description").FillAsync("A hundred agents drive the new Fiesta for six months, one mission a month.");
        await desktop.GetByLabel("KPI: what counts").SelectOptionAsync("sales");
        await desktop.GetByLabel("KPI target").FillAsync("100");
        await desktop.GetByLabel("Per sale").FillAsync("10");
        await desktop.GetByLabel("Percent of each sale").FillAsync("5");
        await desktop.GetByLabel("Capacity (ambassadors)").FillAsync("0");
        await desktop.GetByLabel("Target countries").FillAsync("NL, BE, DE");
        await desktop.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();
        await Expect(desktop.GetByTestId("error-capacity")).ToHaveTextAsync("A whole number from 1 to 1,000,000, or empty for no limit.");
        await ShotAsync(desktop, "campaign-form-en");
        await desktop.GetByLabel("Capacity (ambassadors)").FillAsync("100");
        await desktop.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();

        await Expect(desktop).ToHaveURLAsync(new Regex("/manage/campaigns/cmp_[a-z0-9]+$"));
        await Expect(desktop.GetByTestId("flash")).ToHaveTextAsync("Campaign created.");
        await Expect(desktop.GetByTestId("status")).ToHaveTextAsync("recruiting");
        await Expect(desktop.GetByTestId("kpi-text")).ToHaveTextAsync("0% of 100 sales");
        var id = desktop.Url.Split('/')[^1];

        // Results arrive: members, clicks today and sales over the last weeks.
        await ResultsAsync(id);
        await desktop.ReloadAsync();
        await Expect(desktop.GetByTestId("kpi-text")).ToHaveTextAsync("26% of 100 sales");
        await Expect(desktop.GetByTestId("capacity")).ToHaveTextAsync("12 of 100 · 88 left");
        await Expect(desktop.Locator("svg.chart.daily g.day")).ToHaveCountAsync(30);
        await Expect(desktop.GetByTestId("apply-link")).ToHaveAttributeAsync("href", $"/apply/{id}");
        await Expect(desktop.GetByTestId("applications-link")).ToHaveAttributeAsync("href", $"/manage/campaigns/{id}/applications");
        await ShotAsync(desktop, "campaign-en");
        await desktop.GetByRole(AriaRole.Link, new() { Name = "Campaigns", Exact = true }).First.ClickAsync();
        await Expect(desktop.GetByTestId($"campaign-{id}")).ToContainTextAsync("26% of 100 sales");
        await ShotAsync(desktop, "campaigns-en");

        // In Dutch, the same pages in Dutch words and Dutch numbers.
        await desktop.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = "c=nl|uic=nl", Url = fixture.BaseAddress.ToString() }]);
        await desktop.GotoAsync("/manage");
        await Expect(desktop.GetByRole(AriaRole.Heading, new() { Name = "Campagnes" })).ToBeVisibleAsync();
        await Expect(desktop.GetByTestId($"campaign-{id}")).ToContainTextAsync("26% van 100 verkopen");
        await ShotAsync(desktop, "campaigns-nl");
        await desktop.GotoAsync($"/manage/campaigns/{id}");
        await Expect(desktop.GetByTestId("capacity")).ToHaveTextAsync("12 van 100 · nog 88 vrij");
        await ShotAsync(desktop, "campaign-nl");

        // Ending asks first, and nothing changes until it is answered.
        await desktop.GetByRole(AriaRole.Link, new() { Name = "Bewerken" }).ClickAsync();
        await desktop.GetByLabel("Status").SelectOptionAsync("ended");
        await desktop.GetByRole(AriaRole.Button, new() { Name = "Wijzigingen opslaan" }).ClickAsync();
        await Expect(desktop.GetByTestId("confirm").GetByRole(AriaRole.Heading)).ToHaveTextAsync("Fiesta Movement beëindigen?");
        await ShotAsync(desktop, "campaign-end-nl");
        await desktop.GetByRole(AriaRole.Link, new() { Name = "Nee, laat hem lopen" }).ClickAsync();
        await Expect(desktop.GetByTestId("status")).ToHaveTextAsync("werving");

        // On a phone: nothing wider than the screen; the chart and the tables fit or scroll in their own box.
        var signedIn = await desktop.Context.StorageStateAsync();
        foreach (var (language, cookie) in new[] { ("en", "c=en|uic=en"), ("nl", "c=nl|uic=nl") })
        {
            var phone = await OpenAsync(chromium, 390, 844, blocked, signedIn);
            await phone.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = cookie, Url = fixture.BaseAddress.ToString() }]);
            foreach (var path in new[] { $"/manage/campaigns/{id}", "/manage", "/manage/campaigns/new" })
            {
                await phone.GotoAsync(path);
                var overflow = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                var wide = await phone.EvaluateAsync<string>(@"() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'))
                    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
                Assert.True(overflow <= 0, $"{path} ({language}) is {overflow} px wider than a 390 px screen: {wide}");
            }
            await phone.GotoAsync($"/manage/campaigns/{id}");
            await Expect(phone.GetByTestId("kpi-percent")).ToBeVisibleAsync();
            await ShotAsync(phone, $"campaign-{language}-390");
            await phone.Context.CloseAsync();
        }
        Assert.Empty(blocked);
    }

    /// <summary>12 members, 40 clicks today and 26 sales spread over the last four weeks, through the API and the links.</summary>
    private async Task ResultsAsync(string campaignId)
    {
        var admin = App.Admin();
        var codes = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var ambassador = (await admin.CreateAmbassadorAsync(followers: 800 + i * 350))["id"].Str();
            codes.Add((await (await admin.EnrolAsync(campaignId, ambassador)).AssertJsonAsync(HttpStatusCode.Created))["referralCode"].Str());
        }
        // Without cookies each click is a new visitor.
        var visitor = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.BaseAddress };
        for (var i = 0; i < 40; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{codes[i % codes.Count]}");
            request.Headers.UserAgent.ParseAdd(Clicks.Browser);
            Assert.Equal(HttpStatusCode.Redirect, (await visitor.SendAsync(request)).StatusCode);
        }
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 26; i++)
        {
            var occurredAt = now.AddDays(-(i * 5 % 23)).AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");
            var kind = i % 3 == 0 ? "lead" : "sale";
            await (await admin.ConvertAsync(new
            {
                externalId = $"order-{Guid.NewGuid():N}", kind = "sale", amount = 40 + i * 3, currency = "EUR", referralCode = codes[i % codes.Count], occurredAt,
            })).AssertJsonAsync(HttpStatusCode.Created);
            if (kind == "lead")
            {
                await (await admin.ConvertAsync(new { externalId = $"lead-{Guid.NewGuid():N}", kind, referralCode = codes[i % codes.Count], occurredAt }))
                    .AssertJsonAsync(HttpStatusCode.Created);
            }
        }
        // Clicks reach the counters within a second or two.
        await admin.StatsWhenAsync($"/api/v1/campaigns/{campaignId}/stats", stats => stats["clicks"].Long() == 40);
    }

    /// <summary>A page in a fresh context (with a signed-in one's cookies) of the given size; what the CSP blocks is collected.</summary>
    private async Task<IPage> OpenAsync(IBrowser chromium, int width, int height, List<string> blocked, string? storageState = null)
    {
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height }, StorageState = storageState,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) blocked.Add(message.Text);
        };
        return page;
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("AMBASSADORS_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
