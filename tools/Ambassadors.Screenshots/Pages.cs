using Microsoft.Playwright;

namespace Ambassadors.Screenshots;

/// <summary>The pages the README shows, signed in with the accounts <c>ambassadors demo</c> prints.</summary>
internal sealed class Pages(Uri baseAddress, string output)
{
    private const int Desktop = 1280;
    private const int Phone = 390;

    public async Task TakeAllAsync()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });

        // The manager: the programme's overview, the review of the 4,000 applicants, a mission's submissions, the circle's feedback.
        var manager = await SignedInAsync(browser, "manager@demo.example", "Demo-Manager-2026", Desktop);
        await manager.GotoAsync("/manage");
        var ford = await CampaignIdAsync(manager, "Fiesta Movement");
        var vogue = await CampaignIdAsync(manager, "Insiders Circle");
        if (await OpensAsync(manager, "/manage/results")) await ShotAsync(manager, "demo-results");
        await manager.GotoAsync($"/manage/campaigns/{ford}/applications");
        await ShotAsync(manager, "demo-applications", fullPage: false);
        if (await OpensAsync(manager, $"/manage/campaigns/{ford}/missions"))
        {
            // Last month's mission (titled "<Month>: <theme>"): its proofs are reviewed, most accepted, a few rejected.
            var month = DateTime.UtcNow.AddMonths(-1).ToString("MMMM", System.Globalization.CultureInfo.InvariantCulture);
            var mission = manager.Locator("a[href^='/manage/missions/']:not([href$='/edit'])").Filter(new() { HasText = month + ":" });
            if (await mission.CountAsync() > 0)
            {
                await mission.First.ClickAsync();
                await manager.SetViewportSizeAsync(Desktop, 1400);
                await ShotAsync(manager, "demo-mission", fullPage: false);
                await manager.SetViewportSizeAsync(Desktop, 900);
            }
        }

        // The circle's feedback on its previews.
        if (await OpensAsync(manager, $"/manage/campaigns/{vogue}/feedback")) await ShotAsync(manager, "demo-feedback", fullPage: false);

        // The agent on a phone: the portal's home and stats.
        var agent = await SignedInAsync(browser, "agent@demo.example", "Demo-Agent-2026", Phone);
        await agent.GotoAsync("/portal");
        await ShotAsync(agent, "demo-portal-390");
        await agent.GotoAsync("/portal/stats");
        await ShotAsync(agent, "demo-portal-stats-390");

        // Finance: the batches and a paid one.
        var finance = await SignedInAsync(browser, "finance@demo.example", "Demo-Finance-2026", Desktop);
        await finance.GotoAsync("/finance");
        await ShotAsync(finance, "demo-finance");
        await finance.Locator("a[href^='/finance/batches/']").First.ClickAsync();
        await finance.WaitForLoadStateAsync(LoadState.Load);
        await ShotAsync(finance, "demo-finance-batch", fullPage: false);
    }

    private async Task<IPage> SignedInAsync(IBrowser browser, string email, string password, int width)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            Locale = "en-GB",
            ViewportSize = new ViewportSize { Width = width, Height = width == Phone ? 844 : 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        return page;
    }

    private static async Task<string> CampaignIdAsync(IPage page, string name)
    {
        var href = await page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).First.GetAttributeAsync("href")
            ?? throw new InvalidOperationException($"No link to {name} on {page.Url}.");
        return href.Split('/', StringSplitOptions.RemoveEmptyEntries).Last();
    }

    /// <summary>Opens a page that another part of the work may not have built yet: false (and a note) on 404.</summary>
    private static async Task<bool> OpensAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        if (response is { Ok: true }) return true;
        await Console.Error.WriteLineAsync($"{path} answered {response?.Status}: no screenshot of it.");
        return false;
    }

    private async Task ShotAsync(IPage page, string name, bool fullPage = true)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        var path = Path.Combine(output, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        Console.WriteLine($"{name}.png  {page.Url}");
    }
}
