using Microsoft.Playwright;

namespace Ambassadors.Tests.Support;

/// <summary>Playwright's driver (shipped in the package) with Debian's Chromium, headless, one fresh context.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        // Chromium reports each thing the Content-Security-Policy blocked (an inline script or style) on the console.
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) CspViolations.Add(message.Text);
        };
    }

    public IPage Page { get; }

    /// <summary>What the pages did that their own CSP refused; the tests expect none.</summary>
    public List<string> CspViolations { get; } = [];

    public static async Task<BrowserSession> StartAsync(Uri baseAddress, int width = 1280, int height = 800)
    {
        Skip.IfNot(File.Exists(Chromium), $"Chromium is not installed at {Chromium} (apt-get install chromium): the browser tests are skipped.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(), AcceptDownloads = true, ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(playwright, browser, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }

    /// <summary>With AMBASSADORS_SCREENSHOTS set to a folder, keeps a full-page picture of each step for people to look at.</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("AMBASSADORS_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private const string Chromium = "/usr/bin/chromium";

    /// <summary>The page itself never scrolls sideways (wide tables scroll inside their own box); a failure names the widest elements.</summary>
    public static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<string>(@"() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 0.5 && !e.closest('.scroll'))
                .map(e => e.tagName + '.' + e.className).slice(0, 5);
            return (document.documentElement.scrollWidth - width) + ' ' + wide.join(', ');
        }");
        Assert.True(overflow.StartsWith("0 ", StringComparison.Ordinal) || overflow.StartsWith('-'), $"{page.Url} scrolls sideways: {overflow}");
    }

    /// <summary>Signs in on the login page the browser is on (English labels).</summary>
    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(StaffBrowser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
