using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.AmbassadorProfiles;

/// <summary>
/// The ambassadors' pages in Debian's Chromium: the list, an ambassador's page with its copy buttons, and an import preview
/// with a row in error; in English and Dutch, at 1280 px and on a phone (390 px), without a CSP violation or sideways scroll.
/// </summary>
public sealed class AmbassadorBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AManagerFindsAnAmbassadorCopiesALinkAndPreviewsAnImportWithAnErrorRow()
    {
        Skip.IfNot(File.Exists(Chromium), $"Chromium is not installed at {Chromium} (apt-get install chromium): the browser tests are skipped.");
        var ambassador = await SeedAsync();
        // A short address: the layout's header (not these pages) shows it in full.
        const string email = "mia@example.com";
        await (await App.Admin().PostJsonAsync("/api/v1/users", new { email, password = StaffBrowser.Password, role = "manager" }))
            .AssertJsonAsync(HttpStatusCode.Created);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) blocked.Add(message.Text);
        };

        await page.GotoAsync("/manage/ambassadors");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(StaffBrowser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ambassadors", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("total")).ToHaveTextAsync("1–4 of 4");
        await ShotsAsync(page, "ambassadors-list", "en");

        await page.GetByRole(AriaRole.Link, new() { Name = "Anna de Vries" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/manage/ambassadors/{ambassador}$"));
        await Expect(page.GetByTestId("earnings")).ToContainTextAsync("15.00 EUR");
        var copy = page.GetByTestId("links").GetByRole(AriaRole.Button, new() { Name = "Copy" }).First;
        await copy.ClickAsync();
        await Expect(page.GetByTestId("links").GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Matches("/r/[A-Z0-9]+$", copied);
        await ShotsAsync(page, "ambassador-page", "en");

        // Edit: a third social profile through "Add a social profile", then saved.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit profile" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a social profile" }).ClickAsync();
        await page.Locator("#network-3").FillAsync("youtube");
        await page.Locator("#handle-3").FillAsync("annadrives");
        await page.Locator("#followers-3").FillAsync("800");
        await ShotsAsync(page, "ambassador-edit", "en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Expect(page.GetByTestId("social")).ToContainTextAsync("annadrives");
        await Expect(page.GetByTestId("reach")).ToContainTextAsync("16,300");

        // Removal asks first.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove from campaign" }).ClickAsync();
        await Expect(page.GetByTestId("confirm")).ToContainTextAsync("Remove Anna de Vries from Fiesta Movement?");
        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).First.ClickAsync();

        await PreviewAsync(page, "Choose the file", "Preview");
        await Expect(page.GetByTestId("row-3")).ToContainTextAsync("\"XX\" is not a country code");
        await Expect(page.GetByTestId("fix")).ToBeVisibleAsync();
        await ShotsAsync(page, "import-preview", "en");

        await context.AddCookiesAsync([new() { Name = ".AspNetCore.Culture", Value = "c=nl|uic=nl", Url = fixture.BaseAddress.ToString() }]);
        await page.GotoAsync("/manage/ambassadors");
        await Expect(page.GetByTestId("total")).ToHaveTextAsync("1–4 van 4");
        await Expect(page.GetByTestId("ambassadors")).ToContainTextAsync("Nederland");
        await ShotsAsync(page, "ambassadors-list", "nl");
        await page.GotoAsync($"/manage/ambassadors/{ambassador}");
        await Expect(page.GetByTestId("earnings")).ToContainTextAsync("15,00 EUR");
        await ShotsAsync(page, "ambassador-page", "nl");
        await page.GotoAsync($"/manage/ambassadors/{ambassador}/edit");
        await ShotsAsync(page, "ambassador-edit", "nl");
        await PreviewAsync(page, "", "Voorbeeld bekijken");
        await Expect(page.GetByTestId("row-3")).ToContainTextAsync("\"XX\" is geen landcode");
        await ShotsAsync(page, "import-preview", "nl");

        Assert.Empty(blocked);
    }

    private static async Task PreviewAsync(IPage page, string _, string button)
    {
        await page.GotoAsync("/manage/ambassadors/import");
        var csv = "name;email;country;network;handle;followers\r\n" +
                  "Noor Willems;noor.willems@example.com;NL;instagram;@noorw;5400\r\n" +
                  "Piet Hein;piet.hein@example.com;XX;tiktok;@piet;12k\r\n" +
                  "Quinty Smit;quinty.smit@example.com;BE;youtube;quintysmit;880\r\n";
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "leden.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Expect(page.GetByTestId("import-summary")).ToBeVisibleAsync();
    }

    /// <summary>At 1280 px and at 390 px: the page never scrolls sideways; with AMBASSADORS_SCREENSHOTS set, a picture of each.</summary>
    private static async Task ShotsAsync(IPage page, string name, string language)
    {
        foreach (var (width, height, size) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
        {
            await page.SetViewportSizeAsync(width, height);
            if (Environment.GetEnvironmentVariable("AMBASSADORS_SCREENSHOTS") is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
                await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{language}-{size}.png"), FullPage = true });
            }
            var wide = await page.EvaluateAsync<string>(@"() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.scroll'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id).join(', ')");
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{name} ({language}) scrolls sideways by {overflow} px at {width} px: {wide}");
        }
        await page.SetViewportSizeAsync(1280, 900);
    }

    private async Task<string> SeedAsync()
    {
        var admin = App.Admin();
        var (campaign, ambassador, code) = await admin.CampaignWithMemberAsync(followers: 12_400);
        await admin.PatchAsync($"/api/v1/ambassadors/{ambassador}",
            new StringContent("""{"country":"NL","socialProfiles":[{"network":"instagram","handle":"@anna","followers":12400},{"network":"tiktok","handle":"@anna.dv","followers":3100}]}""",
                Encoding.UTF8, "application/merge-patch+json"));
        await admin.PostJsonAsync($"/api/v1/campaigns/{campaign}/content", new { title = "Winter look" });
        var merchant = App.ClientWithKey(await admin.NewKeyAsync("merchant"));
        await (await merchant.ConvertAsync(new { externalId = "browser-sale-1", kind = "sale", amount = "100.00", currency = "EUR", referralCode = code }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var bram = await PeopleSeed.AmbassadorAsync(admin, "Bram Peeters", "bram.peeters@example.com", "BE", 2300);
        await PeopleSeed.InvitationAsync(App, bram, TimeSpan.FromDays(7));
        var cato = await PeopleSeed.AmbassadorAsync(admin, "Cato Dekker", "cato.dekker@example.com", "NL", 48_000);
        await admin.EnrolAsync(campaign, cato);
        await PeopleSeed.PortalAccountAsync(App, cato);
        await PeopleSeed.AmbassadorAsync(admin, "Daan Mulder", "a.very.long.address.for.daan.mulder@voorbeeld-bedrijf.example.com", "DE", 640);
        return ambassador;
    }
}
