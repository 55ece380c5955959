using System.IO.Compression;
using System.Text.RegularExpressions;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Payouts;

/// <summary>
/// The finance workspace in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright, against the
/// service listening on a loopback port. Skipped when Chromium is not installed.
/// </summary>
public sealed class FinanceBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AManagerSigningInSeesTheRefusalPageOfTheFinanceWorkspace()
    {
        var email = await StaffBrowser.CreateUserAsync(App, "manager");
        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress);
        var page = session.Page;

        await page.GotoAsync("/finance");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Ffinance$"));
        await SignInAsync(page, email);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This page is not for your account" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
        Assert.Empty(session.CspViolations);
    }

    [SkippableFact]
    public async Task FinancePreparesApprovesExportsAndPaysABatch()
    {
        var admin = App.Admin();
        var paid = await PayoutSeed.AmbassadorOwedAsync(admin, perLead: 25m, leads: 2);
        var unpaid = await PayoutSeed.AmbassadorOwedAsync(admin, perLead: 12m, withDetails: false);
        var email = await StaffBrowser.CreateUserAsync(App, "finance");

        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress);
        var page = session.Page;
        await page.GotoAsync("/finance");
        await SignInAsync(page, email);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Payout batches" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("missing-summary")).ToContainTextAsync("1 payee is owed money");

        // Preview: lines, totals and missing details, nothing stored.
        await page.GetByRole(AriaRole.Link, new() { Name = "New batch" }).First.ClickAsync();
        await page.GetByLabel("Period end").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Minimum amount per line").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(page.GetByTestId("preview-summary")).ToHaveTextAsync("1 line: 50.00 EUR");
        await Expect(page.GetByTestId("missing-details")).ToContainTextAsync("12.00 EUR");
        await ShotAsync(page, "1-preview");
        Assert.Empty(await App.Services.GetRequiredService<IPayoutService>().ListAsync(null, CancellationToken.None));

        // Create the draft, then approve it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/finance/batches/[^/?]+$"));
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("draft");
        await Expect(page.GetByTestId("lines")).ToContainTextAsync("50.00 EUR");
        await Expect(page.Locator($"[data-testid=lines] a[href='/finance/payees/{paid}']")).ToBeVisibleAsync();
        var batchId = page.Url.Split('/').Last();
        // At 1280 px the lines fit their card: nothing scrolls sideways, the Reference column is whole.
        var fit = await page.EvaluateAsync<double[]>(@"() => {
            const table = document.querySelector('[data-testid=lines]');
            const reference = [...table.querySelectorAll('th')].find(th => th.textContent === 'Reference');
            return [table.parentElement.scrollWidth - table.parentElement.clientWidth,
                    reference.getBoundingClientRect().right - table.parentElement.getBoundingClientRect().right];
        }");
        Assert.True(fit[0] <= 0, $"The lines table overflows its card by {fit[0]} px.");
        Assert.True(fit[1] <= 0.5, $"The Reference column ends {fit[1]} px past the card.");
        await Expect(page.GetByTestId("lines")).ToContainTextAsync($"{batchId}-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        // A confirmation first, naming the batch, its payee and its total; nothing is approved until it is answered.
        var confirm = page.GetByTestId("confirm");
        await Expect(confirm.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"Approve batch {batchId}?");
        await Expect(page.GetByTestId("confirm-payees")).ToHaveTextAsync("1 line: Anna de Vries");
        await Expect(page.GetByTestId("confirm-total")).ToHaveTextAsync("50.00 EUR");
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("draft");
        await ShotAsync(page, "2-confirm-approve");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, approve" }).ClickAsync();
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("approved");
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Batch approved");
        await ShotAsync(page, "3-approved");

        // Export: a progress bar, then the download of the workbook under its own name.
        await page.GetByRole(AriaRole.Button, new() { Name = "Export workbook" }).ClickAsync();
        var link = page.Locator("#export-download");
        await Expect(link).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var data = await App.Services.GetRequiredService<IPayoutService>().WorkbookDataAsync(batchId, CancellationToken.None);
        Assert.Equal(PayoutWorkbook.FileName(data!.Summary), download.SuggestedFilename);
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), $"download-{Guid.NewGuid():N}.xlsx");
        try
        {
            await download.SaveAsAsync(saved);
            using var zip = ZipFile.OpenRead(saved);
            Assert.Contains(zip.Entries, e => e.FullName == "xl/workbook.xml");
        }
        finally
        {
            File.Delete(saved);
        }
        await Expect(page.GetByTestId("export-text")).ToContainTextAsync("Downloaded");
        await ShotAsync(page, "4-exported");

        // Mark paid with the bank's date and reference.
        await page.GetByLabel("Payment date").FillAsync("2026-11-20");
        await page.GetByLabel("Payment reference").FillAsync("BANK-RUN-0042");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark paid" }).ClickAsync();
        await Expect(confirm.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"Mark batch {batchId} paid?");
        await Expect(confirm).ToContainTextAsync("paid on 20 Nov 2026 with reference BANK-RUN-0042");
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("approved");
        await ShotAsync(page, "5-confirm-paid");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, mark paid" }).ClickAsync();
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("paid");
        await Expect(page.GetByTestId("paid")).ToContainTextAsync("20 Nov 2026, reference BANK-RUN-0042");

        // The overview charts what was paid; the payee without details is still waiting.
        await page.GetByRole(AriaRole.Link, new() { Name = "Batches" }).ClickAsync();
        await Expect(page.Locator("svg.chart rect.bar")).ToHaveCountAsync(1);
        await ShotAsync(page, "6-batches");
        await Expect(page.GetByTestId("batches")).ToContainTextAsync("paid");
        await page.GetByTestId("missing-summary").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator($"[data-testid=missing-details] a[href='/finance/payees/{unpaid}']")).ToBeVisibleAsync();
        Assert.Empty(session.CspViolations);
    }

    private static Task SignInAsync(IPage page, string email) => BrowserSession.SignInAsync(page, email);

    private static Task ShotAsync(IPage page, string name) => BrowserSession.ShotAsync(page, name);
}
