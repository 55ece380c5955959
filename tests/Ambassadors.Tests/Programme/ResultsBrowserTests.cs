using System.Net;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ambassadors.Tests.Programme;

/// <summary>
/// A manager reads the programme's results in Debian's Chromium: the overview, a campaign's results with its funnels, a
/// piece's page and the workbook download; on a desktop and a 390 px phone, in English and Dutch. Screenshots
/// (results-overview-en.png, …) with AMBASSADORS_SCREENSHOTS naming a folder.
/// </summary>
public sealed class ResultsBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AManagerReadsTheOverviewACampaignsResultsAPieceAndDownloadsTheWorkbook()
    {
        await using var session = await BrowserSession.StartAsync(fixture.BaseAddress, 1280, 900);
        var (fiesta, piece) = await ProgrammeAsync();
        var email = $"m.{Guid.NewGuid():N}"[..10] + "@example.com";
        await (await App.Admin().PostJsonAsync("/api/v1/users", new { email, password = StaffBrowser.Password, role = "manager" })).AssertJsonAsync(HttpStatusCode.Created);
        var page = session.Page;

        await page.GotoAsync("/manage/results");
        await BrowserSession.SignInAsync(page, email);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Programme results" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"campaign-{fiesta}")).ToContainTextAsync("Fiesta Movement");
        await Expect(page.Locator("svg.progress-chart g.progress-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("top-ambassadors").Locator("tbody tr").First).ToContainTextAsync("1st");
        await Shot(page, "results-overview-en");

        await page.GetByRole(AriaRole.Link, new() { Name = "Fiesta Movement" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/manage/campaigns/{fiesta}/results$"));
        await Expect(page.Locator("figure.funnel")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("leaderboard").Locator("tbody tr")).ToHaveCountAsync(8);
        await Shot(page, "results-campaign-en");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download").ClickAsync());
        Assert.Matches("^fiesta-movement-results-\\d{4}-\\d{2}-\\d{2}\\.xlsx$", download.SuggestedFilename);
        await using (var file = File.OpenRead(await download.PathAsync()))
        using (var workbook = new XLWorkbook(file))
        {
            Assert.Equal(["Summary", "Leaderboard", "Content", "Daily"], workbook.Worksheets.Select(w => w.Name).ToList());
            Assert.Equal(9, workbook.Worksheet("Leaderboard").LastRowUsed()!.RowNumber());
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Autumn lookbook" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/manage/content/{piece}$"));
        await Expect(page.GetByTestId("embargo")).ToContainTextAsync("Public");
        await Expect(page.GetByTestId($"funnel-{piece}")).ToBeVisibleAsync();
        await Shot(page, "results-piece-en");

        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = "c=nl|uic=nl", Url = fixture.BaseAddress.ToString() }]);
        foreach (var (path, name, heading) in Pages(fiesta, piece))
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.Load);
            if (heading is not null) await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
            await Shot(page, $"results-{name}-nl");
        }
        await Expect(page.GetByTestId("members")).ToContainTextAsync("Sanne");

        // On a phone: nothing wider than the screen; wide tables scroll in their own box.
        await page.SetViewportSizeAsync(390, 844);
        foreach (var language in new[] { "en", "nl" })
        {
            await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = fixture.BaseAddress.ToString() }]);
            foreach (var (path, name, _) in Pages(fiesta, piece))
            {
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.Load);
                await BrowserSession.AssertNoSidewaysScrollAsync(page);
                await Shot(page, $"results-{name}-{language}-390");
            }
        }
        Assert.Empty(session.CspViolations);
    }

    private static (string Path, string Name, string? Heading)[] Pages(string campaign, string piece) =>
    [
        ("/manage/results", "overview", "Programmaresultaten"), ($"/manage/campaigns/{campaign}/results", "campaign", "Ranglijst"),
        ($"/manage/content/{piece}", "piece", "Trechter"),
    ];

    private static async Task Shot(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await BrowserSession.AssertNoSidewaysScrollAsync(page);
        await BrowserSession.ShotAsync(page, name);
    }

    /// <summary>Three campaigns in two currencies, eight named members, three pieces, clicks and conversions.</summary>
    private async Task<(string Fiesta, string Piece)> ProgrammeAsync()
    {
        var setup = new ResultsSetup(App, fixture.BaseAddress);
        var fiesta = await setup.CampaignAsync("Fiesta Movement", "EUR", kpi: new { metric = "sales", target = 40 });
        var vogue = await setup.CampaignAsync("Vogue Insiders", "USD", kpi: new { metric = "revenue", target = 2000 });
        await setup.CampaignAsync("Spring 2027", status: "draft");
        string[] names = ["Sanne de Boer", "Lucas Janssen", "Emma Visser", "Daan Smit", "Julia Meijer", "Noah de Groot", "Tess Bakker", "Finn Mulder"];
        var members = new List<(string Id, string Code)>();
        for (var i = 0; i < names.Length; i++) members.Add(await setup.MemberAsync(fiesta, names[i], followers: 2_000 + i * 3_500));
        var lookbook = await setup.PieceAsync(fiesta, "Autumn lookbook", new { body = "Eight looks for the first cold weekend.\nShare your favourite.", mediaUrl = "https://cdn.example/lookbook.jpg" });
        var video = await setup.PieceAsync(fiesta, "Road trip video");
        var teaser = await setup.PieceAsync(fiesta, "Winter teaser");
        var clicks = 0;
        for (var i = 0; i < members.Count; i++)
        {
            var (id, _) = members[i];
            foreach (var (content, count, sales) in new[] { (lookbook, 9 - i, Math.Max(0, 4 - i)), (video, 6 - i / 2, i % 3 == 0 ? 1 : 0), (teaser, i % 2 == 0 ? 2 : 0, 0) })
            {
                if (count <= 0) continue;
                var ids = await setup.ClicksAsync(await setup.PieceCodeAsync(id, content), count);
                clicks += count;
                for (var s = 0; s < sales && s < ids.Count; s++) await setup.SaleAsync($"{49 + s * 10}.90", "EUR", clickId: ids[s]);
                if (count > 3) await setup.LeadAsync(clickId: ids[^1]);
            }
        }
        var insider = await setup.MemberAsync(vogue, "Olivia Hart", followers: 48_000);
        var preview = await setup.PieceAsync(vogue, "Exclusive preview: the December issue");
        var vogueClicks = await setup.ClicksAsync(await setup.PieceCodeAsync(insider.Id, preview), 6);
        await setup.SaleAsync("420.00", "USD", clickId: vogueClicks[0]);
        await setup.SaleAsync("310.00", "USD", clickId: vogueClicks[1]);
        await setup.CampaignStatsAsync(fiesta, clicks);
        await setup.CampaignStatsAsync(vogue, 6);
        return (fiesta, lookbook);
    }
}
