using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ambassadors.Data;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using static Ambassadors.Tests.Programme.ResultsSetup;

namespace Ambassadors.Tests.Programme;

/// <summary>A campaign's results page, its workbook and a content piece's page, through HTTP as a manager's browser uses them.</summary>
public abstract class ResultsPagesTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task StrangersSignInFinanceAndAmbassadorsGetA403AndUnknownIdsA404()
    {
        var setup = new ResultsSetup(App);
        var campaign = await setup.CampaignAsync("Locked");
        var piece = await setup.PieceAsync(campaign, "Locked piece");
        var paths = new[] { "/manage/results", $"/manage/campaigns/{campaign}/results", $"/manage/campaigns/{campaign}/results.xlsx", $"/manage/content/{piece}" };
        var stranger = StaffBrowser.Open(App);
        var (finance, _) = await StaffBrowser.SignedInAsync(App, "finance");
        // A member of the campaign, signed in through the real invitation.
        var (ambassador, _, _) = await PortalBrowser.SignedInAsync(App, campaign);
        foreach (var path in paths)
        {
            var anonymous = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal("/login", anonymous.Headers.Location!.AbsolutePath);
            foreach (var refused in new[] { finance, ambassador })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await refused.GetAsync(path)).StatusCode);
            }
        }
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var (admin, _) = await StaffBrowser.SignedInAsync(App, "admin");
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        }
        foreach (var unknown in new[]
                 {
                     "/manage/campaigns/cmp_abcdefghijkmnpqr/results", "/manage/campaigns/cmp_abcdefghijkmnpqr/results.xlsx", "/manage/campaigns/nonsense/results",
                     "/manage/content/cnt_abcdefghijkmnpqr", "/manage/content/nonsense", $"/manage/content/{campaign}", $"/manage/campaigns/{piece}/results",
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync(unknown)).StatusCode);
        }
    }

    [SkippableFact]
    public async Task TheLeaderboardRanksBySalesThenLeadsThenClicksAndTiesShareARank()
    {
        var setup = new ResultsSetup(App);
        var campaign = await setup.CampaignAsync("Leaderboard");
        var first = await setup.MemberAsync(campaign, "Ada First");
        var tiedB = await setup.MemberAsync(campaign, "Bea Tied");
        var tiedC = await setup.MemberAsync(campaign, "Cas Tied");
        var fourth = await setup.MemberAsync(campaign, "Dirk Clicks");
        var last = await setup.MemberAsync(campaign, "Eva Nothing");
        await setup.SaleAsync("20.00", "EUR", code: first.Code);
        await setup.SaleAsync("30.00", "EUR", code: first.Code);
        foreach (var (_, code) in new[] { tiedB, tiedC })
        {
            await setup.SaleAsync("10.00", "EUR", code: code);
            await setup.LeadAsync(code: code);
        }
        await setup.ClicksAsync(fourth.Code, 2);
        var stats = await setup.CampaignStatsAsync(campaign, 2);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var html = await PageAsync(browser, $"/manage/campaigns/{campaign}/results");
        Assert.Contains("aria-current=\"page\" data-testid=\"tab-results\"", html);
        var order = Regex.Matches(html, "<tr data-testid=\"member-(amb_[^\"]+)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([first.Id, tiedB.Id, tiedC.Id, fourth.Id, last.Id], order);
        Assert.Equal(["1st", "2nd", "2nd", "4th", "5th"], order.Select(id => Cell(Row(html, $"member-{id}"), "rank")).ToList());
        var top = Row(html, $"member-{first.Id}");
        Assert.Contains("<a href=\"/manage/ambassadors/" + first.Id + "\">Ada First</a>", top);
        Assert.Equal("2", Cell(top, "sales"));
        Assert.Equal("50.00 EUR", Cell(top, "revenue"));
        Assert.Equal("2", Cell(Row(html, $"member-{fourth.Id}"), "clicks"));

        // The campaign's totals are the sum over its ambassadors.
        Assert.Equal(stats["sales"].Long(), order.Sum(id => long.Parse(Cell(Row(html, $"member-{id}"), "sales"), CultureInfo.InvariantCulture)));
        Assert.Equal(stats["leads"].Long(), order.Sum(id => long.Parse(Cell(Row(html, $"member-{id}"), "leads"), CultureInfo.InvariantCulture)));
        Assert.Equal(stats["clicks"].Long(), order.Sum(id => long.Parse(Cell(Row(html, $"member-{id}"), "clicks"), CultureInfo.InvariantCulture)));
        var rewards = stats["rewards"]!["pending"].MoneyIn("EUR") + stats["rewards"]!["approved"].MoneyIn("EUR") + stats["rewards"]!["paid"].MoneyIn("EUR");
        Assert.Equal(rewards, order.Sum(id => Amount(Cell(Row(html, $"member-{id}"), "rewards"))));
        Assert.Equal($"{rewards.ToString("N2", CultureInfo.InvariantCulture)} EUR", Regex.Match(html, "data-testid=\"total-rewards\">([^<]*)<").Groups[1].Value);

        Dutch(browser);
        var dutch = await PageAsync(browser, $"/manage/campaigns/{campaign}/results");
        Assert.Equal(["1e", "2e", "2e", "4e", "5e"], order.Select(id => Cell(Row(dutch, $"member-{id}"), "rank")).ToList());
        Assert.Equal("50,00 EUR", Cell(Row(dutch, $"member-{first.Id}"), "revenue"));
        Assert.Contains("Ranglijst", dutch);
    }

    [SkippableFact]
    public async Task TheLeaderboardIsPaged()
    {
        var setup = new ResultsSetup(App);
        var campaign = await setup.CampaignAsync("Many members");
        var members = new List<(string Id, string Code)>();
        for (var i = 0; i < 27; i++) members.Add(await setup.MemberAsync(campaign, $"Member {i:00}"));
        await setup.SaleAsync("5.00", "EUR", code: members[26].Code);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var one = await PageAsync(browser, $"/manage/campaigns/{campaign}/results");
        Assert.Equal(25, Regex.Matches(one, "<tr data-testid=\"member-").Count);
        Assert.Equal(members[26].Id, Regex.Match(one, "<tr data-testid=\"member-(amb_[^\"]+)\">").Groups[1].Value);
        Assert.Contains("Page 1 of 2 · 27 ambassadors", one);
        Assert.Contains($"href=\"/manage/campaigns/{campaign}/results?p=2\" rel=\"next\"", one);
        var two = await PageAsync(browser, $"/manage/campaigns/{campaign}/results?p=2");
        Assert.Equal(2, Regex.Matches(two, "<tr data-testid=\"member-").Count);
        Assert.Equal(["2nd", "2nd"], Regex.Matches(two, "data-testid=\"rank\">([^<]*)<").Select(m => m.Groups[1].Value).ToList());
        Assert.Contains("Page 2 of 2", two);
    }

    [SkippableFact]
    public async Task EachPiecesFunnelAndItsAmbassadorsAgreeWithTheApiAndAddUp()
    {
        var setup = new ResultsSetup(App);
        var campaign = await setup.CampaignAsync("Funnels", kpi: new { metric = "sales", target = 4 });
        var anna = await setup.MemberAsync(campaign, "Anna Funnel", followers: 1200);
        var bram = await setup.MemberAsync(campaign, "Bram Funnel", followers: 300);
        var quiet = await setup.MemberAsync(campaign, "Quiet Funnel", followers: 5000);
        var lookbook = await setup.PieceAsync(campaign, "Lookbook <b>autumn</b>", new
        {
            body = "Line one\n<script>alert(1)</script>", mediaUrl = "https://cdn.example/look.jpg",
        });
        var video = await setup.PieceAsync(campaign, "Road trip video");
        var annaClicks = await setup.ClicksAsync(await setup.PieceCodeAsync(anna.Id, lookbook), 3);
        var bramClicks = await setup.ClicksAsync(await setup.PieceCodeAsync(bram.Id, lookbook), 1);
        var videoClicks = await setup.ClicksAsync(await setup.PieceCodeAsync(bram.Id, video), 2);
        await setup.SaleAsync("40.00", "EUR", clickId: annaClicks[0]);
        await setup.SaleAsync("12.50", "EUR", clickId: annaClicks[1]);
        await setup.LeadAsync(clickId: bramClicks[0]);
        await setup.SaleAsync("25.00", "EUR", clickId: videoClicks[0]);
        await setup.SaleAsync("9.99", "EUR", code: quiet.Code);
        await setup.CampaignStatsAsync(campaign, 6);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var results = await PageAsync(browser, $"/manage/campaigns/{campaign}/results");
        foreach (var piece in new[] { lookbook, video })
        {
            var api = await setup.Admin.StatsWhenAsync($"/api/v1/content/{piece}/stats", _ => true);
            var expected = new Dictionary<string, long>
            {
                ["reach"] = api["potentialReach"].Long(), ["uniqueVisitors"] = api["uniqueVisitors"].Long(), ["clicks"] = api["clicks"].Long(),
                ["leads"] = api["leads"].Long(), ["sales"] = api["sales"].Long(),
            };
            Assert.Equal(expected, Funnel(results, piece));

            var page = await PageAsync(browser, $"/manage/content/{piece}");
            Assert.Equal(expected, Funnel(page, piece));
            var rows = Regex.Matches(page, "<tr data-testid=\"member-(amb_[^\"]+)\">").Select(m => Row(page, $"member-{m.Groups[1].Value}")).ToList();
            Assert.Equal(api["clicks"].Long(), rows.Sum(r => long.Parse(Cell(r, "clicks"), CultureInfo.InvariantCulture)));
            Assert.Equal(api["leads"].Long(), rows.Sum(r => long.Parse(Cell(r, "leads"), CultureInfo.InvariantCulture)));
            Assert.Equal(api["sales"].Long(), rows.Sum(r => long.Parse(Cell(r, "sales"), CultureInfo.InvariantCulture)));
            Assert.Equal(api["revenue"].MoneyIn("EUR"), rows.Sum(r => AmountIn(Cell(r, "revenue"), "EUR")));
        }
        var lookbookApi = await (await setup.Admin.GetAsync($"/api/v1/content/{lookbook}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1500, lookbookApi["potentialReach"].Long());
        Assert.Equal(4, lookbookApi["clicks"].Long());

        var piecePage = await PageAsync(browser, $"/manage/content/{lookbook}");
        var annaRow = Row(piecePage, $"member-{anna.Id}");
        Assert.Equal(("3", "0", "2"), (Cell(annaRow, "clicks"), Cell(annaRow, "leads"), Cell(annaRow, "sales")));
        Assert.Equal("52.50 EUR", Cell(annaRow, "revenue"));
        var bramRow = Row(piecePage, $"member-{bram.Id}");
        Assert.Equal(("1", "1", "0"), (Cell(bramRow, "clicks"), Cell(bramRow, "leads"), Cell(bramRow, "sales")));
        Assert.True(piecePage.IndexOf($"member-{anna.Id}", StringComparison.Ordinal) < piecePage.IndexOf($"member-{bram.Id}", StringComparison.Ordinal));
        Assert.DoesNotContain($"member-{quiet.Id}", piecePage);
        Assert.Contains("Revenue: 52.50 EUR", piecePage);
        // The title and body are text: their markup is shown, not run.
        var raw = await browser.GetPageAsync($"/manage/content/{lookbook}");
        Assert.Contains("Lookbook &lt;b&gt;autumn&lt;/b&gt;", raw);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", raw);
        Assert.Contains("href=\"https://cdn.example/look.jpg\"", raw);
        Assert.Contains($"href=\"/manage/content/{lookbook}/edit\"", raw);
        Assert.Contains($"href=\"/manage/campaigns/{campaign}/feedback\"", raw);
        Assert.Contains($"href=\"/manage/campaigns/{campaign}/content\"", raw);
        Assert.Contains("Public from the start", piecePage);

        // The campaign: the sum over its ambassadors and over its pieces' attributed conversions.
        var campaignApi = await (await setup.Admin.GetAsync($"/api/v1/campaigns/{campaign}/stats")).AssertJsonAsync(HttpStatusCode.OK);
        var members = Regex.Matches(results, "<tr data-testid=\"member-(amb_[^\"]+)\">").Select(m => Row(results, $"member-{m.Groups[1].Value}")).ToList();
        Assert.Equal(campaignApi["sales"].Long(), members.Sum(r => long.Parse(Cell(r, "sales"), CultureInfo.InvariantCulture)));
        Assert.Equal(campaignApi["revenue"].MoneyIn("EUR"), members.Sum(r => AmountIn(Cell(r, "revenue"), "EUR")));
        Assert.Contains("data-testid=\"kpi-text\">100% of 4 sales<", results);

        Dutch(browser);
        var dutch = await PageAsync(browser, $"/manage/content/{lookbook}");
        Assert.Contains("Potentieel bereik", dutch);
        Assert.Contains("Openbaar vanaf het begin", dutch);
        Assert.Contains("Omzet: 52,50 EUR", dutch);
    }

    [SkippableFact]
    public async Task APieceUnderEmbargoSaysUntilWhenAndAPublicOneSinceWhen()
    {
        var setup = new ResultsSetup(App);
        var campaign = await setup.CampaignAsync("Embargo");
        var piece = await setup.PieceAsync(campaign, "Preview");
        var past = await setup.PieceAsync(campaign, "Was a preview");
        var now = DateTimeOffset.UtcNow;
        using (var scope = App.Services.CreateScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
            (await db.Content.FindAsync(piece))!.EmbargoUntil = now.AddDays(5).AddHours(1);
            (await db.Content.FindAsync(past))!.EmbargoUntil = now.AddDays(-3).AddHours(-1);
            await db.SaveChangesAsync();
        }
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var until = DateOnly.FromDateTime(now.AddDays(5).AddHours(1).UtcDateTime);
        var since = DateOnly.FromDateTime(now.AddDays(-3).AddHours(-1).UtcDateTime);
        var html = await PageAsync(browser, $"/manage/content/{piece}");
        Assert.Contains("Exclusive preview", html);
        Assert.Contains($"until {until.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("en"))}, 5 days from now", html);
        var public1 = await PageAsync(browser, $"/manage/content/{past}");
        Assert.Contains($"since {since.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("en"))}, 3 days ago", public1);
        Dutch(browser);
        var dutch = await PageAsync(browser, $"/manage/content/{piece}");
        Assert.Contains("Exclusieve preview", dutch);
        Assert.Contains("over 5 dagen", dutch);
    }

    [SkippableFact]
    public async Task TheWorkbookHasSummaryLeaderboardContentAndDailySheets()
    {
        var setup = new ResultsSetup(App);
        var campaign = await setup.CampaignAsync("Fiesta Mövement: 2026!", kpi: new { metric = "revenue", target = 200 });
        var anna = await setup.MemberAsync(campaign, "Anna Sheet");
        var bram = await setup.MemberAsync(campaign, "Bram Sheet");
        var piece = await setup.PieceAsync(campaign, "=HYPERLINK(\"x\")");
        var clicks = await setup.ClicksAsync(await setup.PieceCodeAsync(anna.Id, piece), 2);
        await setup.SaleAsync("80.00", "EUR", clickId: clicks[0]);
        await setup.LeadAsync(code: bram.Code);
        var stats = await setup.CampaignStatsAsync(campaign, 2);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var page = await browser.GetPageAsync($"/manage/campaigns/{campaign}/results");
        Assert.Contains($"href=\"/manage/campaigns/{campaign}/results.xlsx\"", page);
        var response = await browser.GetAsync($"/manage/campaigns/{campaign}/results.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal($"fiesta-movement-2026-results-{today:yyyy-MM-dd}.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);

        using var workbook = new XLWorkbook(await response.Content.ReadAsStreamAsync());
        Assert.Equal(["Summary", "Leaderboard", "Content", "Daily"], workbook.Worksheets.Select(w => w.Name).ToList());
        foreach (var sheet in workbook.Worksheets)
        {
            Assert.Equal(1, sheet.SheetView.SplitRow);
            Assert.True(sheet.Row(1).Cell(1).Style.Font.Bold);
            Assert.True(sheet.Column(1).Width > 5);
        }
        var summary = workbook.Worksheet("Summary");
        string Label(int row) => summary.Cell(row, 1).GetString();
        var rows = Enumerable.Range(2, summary.LastRowUsed()!.RowNumber() - 1).ToDictionary(Label, r => summary.Cell(r, 2));
        Assert.Equal("Fiesta Mövement: 2026!", rows["Campaign"].GetString());
        Assert.Equal(2, rows["Clicks"].GetValue<long>());
        Assert.Equal(1, rows["Sales"].GetValue<long>());
        Assert.Equal(1, rows["Leads"].GetValue<long>());
        Assert.Equal(80m, rows["Revenue EUR"].GetValue<decimal>());
        Assert.Contains("\"EUR\"", rows["Revenue EUR"].Style.NumberFormat.Format);
        Assert.Equal(0.4m, rows["KPI progress"].GetValue<decimal>());
        Assert.Equal(XLDataType.DateTime, rows["Exported on"].DataType);
        var rewards = stats["rewards"]!["pending"].MoneyIn("EUR") + stats["rewards"]!["approved"].MoneyIn("EUR");
        Assert.Equal(rewards, rows["Rewards EUR"].GetValue<decimal>());

        var leaderboard = workbook.Worksheet("Leaderboard");
        Assert.Equal(["Rank", "Ambassador", "Ambassador id", "Sales", "Leads", "Clicks", "Unique visitors", "Revenue EUR", "Rewards EUR"],
            leaderboard.Row(1).CellsUsed().Select(c => c.GetString()).ToList());
        Assert.Equal(3, leaderboard.LastRowUsed()!.RowNumber());
        Assert.Equal((1, "Anna Sheet", anna.Id, 1L), (leaderboard.Cell(2, 1).GetValue<int>(), leaderboard.Cell(2, 2).GetString(), leaderboard.Cell(2, 3).GetString(), leaderboard.Cell(2, 4).GetValue<long>()));
        Assert.Equal((2, "Bram Sheet", 1L), (leaderboard.Cell(3, 1).GetValue<int>(), leaderboard.Cell(3, 2).GetString(), leaderboard.Cell(3, 5).GetValue<long>()));
        Assert.Equal(rewards, leaderboard.Cell(2, 9).GetValue<decimal>() + leaderboard.Cell(3, 9).GetValue<decimal>());

        var content = workbook.Worksheet("Content");
        Assert.Equal(piece, content.Cell(2, 2).GetString());
        Assert.False(content.Cell(2, 1).HasFormula);
        Assert.EndsWith("=HYPERLINK(\"x\")", content.Cell(2, 1).GetString());
        Assert.Equal((1000L, 2L, 1L), (content.Cell(2, 3).GetValue<long>(), content.Cell(2, 5).GetValue<long>(), content.Cell(2, 7).GetValue<long>()));

        var daily = workbook.Worksheet("Daily");
        Assert.Equal(XLDataType.DateTime, daily.Cell(2, 1).DataType);
        var last = daily.LastRowUsed()!.RowNumber();
        Assert.Equal(today, DateOnly.FromDateTime(daily.Cell(last, 1).GetDateTime()));
        Assert.Equal(2, Enumerable.Range(2, last - 1).Sum(r => daily.Cell(r, 2).GetValue<long>()));

        Dutch(browser);
        var dutch = await browser.GetAsync($"/manage/campaigns/{campaign}/results.xlsx");
        Assert.StartsWith("fiesta-movement-2026-resultaten-", dutch.Content.Headers.ContentDisposition!.FileNameStar ?? dutch.Content.Headers.ContentDisposition.FileName);
        using var nl = new XLWorkbook(await dutch.Content.ReadAsStreamAsync());
        Assert.Equal("Plaats", nl.Worksheet("Leaderboard").Cell(1, 1).GetString());
        Assert.Equal("Campagne", nl.Worksheet("Summary").Cell(2, 1).GetString());
    }

    /// <summary>"24.50 EUR" as 24.50; "–" as 0.</summary>
    private static decimal Amount(string text) => text == "–" ? 0 : decimal.Parse(text.Split(' ')[0], NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>The amount of one currency in "40.00 EUR, 12.50 USD"; 0 without it.</summary>
    private static decimal AmountIn(string text, string currency) => text.Split(", ")
        .Where(part => part.EndsWith(" " + currency, StringComparison.Ordinal)).Select(Amount).SingleOrDefault();
}

public sealed class ResultsPagesOnSqlite(SqliteFixture fixture) : ResultsPagesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ResultsPagesOnPostgres(PostgresFixture fixture) : ResultsPagesTests(fixture), IClassFixture<PostgresFixture>;
