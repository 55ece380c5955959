using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using static Ambassadors.Tests.Programme.ResultsSetup;

namespace Ambassadors.Tests.Programme;

/// <summary>
/// The programme overview (/manage/results) over a database of its own: two campaigns in two currencies, a draft and an
/// ended one, so every figure and total is known.
/// </summary>
public abstract class ProgrammeOverviewTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task TheOverviewShowsEachCampaignsKpiAndResultsTheTotalsPerCurrencyAndTheBest()
    {
        var setup = new ResultsSetup(App);
        var (browser, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var empty = await PageAsync(browser, "/manage/results");
        Assert.Contains("data-testid=\"empty\"", empty);

        var ended = await setup.CampaignAsync("Old times", status: "ended");
        var euro = await setup.CampaignAsync("Fiesta EU", "EUR", kpi: new { metric = "sales", target = 4 });
        var draft = await setup.CampaignAsync("Next year", status: "draft");
        var dollar = await setup.CampaignAsync("Fiesta US", "USD", kpi: new { metric = "clicks", target = 10 });
        var recruiting = await setup.CampaignAsync("Vogue circle", "EUR", kpi: new { metric = "revenue", target = 100 }, status: "recruiting");
        var anna = await setup.MemberAsync(euro, "Anna Overview");
        var bram = await setup.MemberAsync(euro, "Bram Overview");
        var cleo = await setup.MemberAsync(dollar, "Cleo Overview");
        var lookbook = await setup.PieceAsync(euro, "Lookbook");
        var clip = await setup.PieceAsync(dollar, "Clip");
        var annaClicks = await setup.ClicksAsync(await setup.PieceCodeAsync(anna.Id, lookbook), 2);
        await setup.ClicksAsync(bram.Code, 1);
        var cleoClicks = await setup.ClicksAsync(await setup.PieceCodeAsync(cleo.Id, clip), 5);
        await setup.SaleAsync("30.00", "EUR", clickId: annaClicks[0]);
        await setup.SaleAsync("20.00", "EUR", clickId: annaClicks[1]);
        await setup.LeadAsync(code: bram.Code);
        await setup.SaleAsync("15.00", "USD", clickId: cleoClicks[0]);
        await setup.LeadAsync(clickId: cleoClicks[1]);
        await setup.LeadAsync(clickId: cleoClicks[2]);
        var euroStats = await setup.CampaignStatsAsync(euro, 3);
        var dollarStats = await setup.CampaignStatsAsync(dollar, 5);

        var html = await PageAsync(browser, "/manage/results");
        // Running campaigns first, then recruiting, paused, draft, ended.
        var order = Regex.Matches(html, "<tr data-testid=\"campaign-(cmp_[^\"]+)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(5, order.Count);
        Assert.Equal([recruiting, draft, ended], order[2..]);
        Assert.Equal(new[] { euro, dollar }.Order(StringComparer.Ordinal), order[..2].Order(StringComparer.Ordinal));

        var eu = Row(html, $"campaign-{euro}");
        Assert.Equal(("3", "1", "2", "50.00 EUR"), (Cell(eu, "clicks"), Cell(eu, "leads"), Cell(eu, "sales"), Cell(eu, "revenue")));
        Assert.Contains("data-testid=\"kpi-text\">50% of 4 sales<", eu);
        var euroRewards = euroStats["rewards"]!["pending"].MoneyIn("EUR") + euroStats["rewards"]!["approved"].MoneyIn("EUR");
        Assert.Equal($"{euroRewards.ToString("N2", CultureInfo.InvariantCulture)} EUR", Cell(eu, "rewards"));
        Assert.Contains($"<a href=\"/manage/campaigns/{euro}/results\">Fiesta EU</a>", eu);
        var us = Row(html, $"campaign-{dollar}");
        Assert.Equal(("5", "2", "1", "15.00 USD"), (Cell(us, "clicks"), Cell(us, "leads"), Cell(us, "sales"), Cell(us, "revenue")));
        Assert.Contains("data-testid=\"kpi-text\">50% of 10 clicks<", us);
        Assert.Equal(dollarStats["clicks"].Long(), long.Parse(Cell(us, "clicks"), CultureInfo.InvariantCulture));
        Assert.Contains("No KPI set", Row(html, $"campaign-{draft}"));
        Assert.Contains("data-testid=\"kpi-text\">0% of 100.00 EUR revenue<", Row(html, $"campaign-{recruiting}"));

        // Totals: counts add up; money stays per currency.
        Assert.Equal("5", Figure(html, "total-campaigns"));
        Assert.Equal("8", Figure(html, "total-clicks"));
        Assert.Equal("3", Figure(html, "total-leads"));
        Assert.Equal("3", Figure(html, "total-sales"));
        Assert.Equal("50.00 EUR, 15.00 USD", Figure(html, "total-revenue"));
        Assert.Contains(" EUR, ", Figure(html, "total-rewards"));

        // The chart: a bar per campaign with a KPI, in the table's order.
        var chart = Regex.Match(html, "<svg class=\"chart progress-chart\"[\\s\\S]*?</svg>").Value;
        Assert.Equal(new[] { euro, dollar, recruiting }.OrderBy(order.IndexOf).ToList(),
            Regex.Matches(chart, "data-campaign=\"(cmp_[^\"]+)\"").Select(m => m.Groups[1].Value).ToList());

        // The best content and ambassadors: by sales, then leads, then clicks.
        var pieces = Regex.Matches(html, "<tr data-testid=\"piece-(cnt_[^\"]+)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([lookbook, clip], pieces);
        Assert.Contains("<a href=\"/manage/content/" + lookbook + "\">Lookbook</a><br><span class=\"muted\">Fiesta EU</span>", Row(html, $"piece-{lookbook}"));
        var people = Regex.Matches(html, "<tr data-testid=\"ambassador-(amb_[^\"]+)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([anna.Id, cleo.Id, bram.Id], people);
        Assert.Contains($"<a href=\"/manage/ambassadors/{cleo.Id}\">Cleo Overview</a>", Row(html, $"ambassador-{cleo.Id}"));
        Assert.Equal("1st", Regex.Match(Row(html, $"ambassador-{anna.Id}"), "<td>([^<]*)</td>").Groups[1].Value);

        ResultsSetup.Dutch(browser);
        var dutch = await PageAsync(browser, "/manage/results");
        Assert.Contains("Programmaresultaten", dutch);
        Assert.Equal("50,00 EUR, 15,00 USD", Figure(dutch, "total-revenue"));
        Assert.Contains("data-testid=\"kpi-text\">50% van 4 verkopen<", Row(dutch, $"campaign-{euro}"));
        Assert.Equal("1e", Regex.Match(Row(dutch, $"ambassador-{anna.Id}"), "<td>([^<]*)</td>").Groups[1].Value);
    }

    private static string Figure(string html, string testId) => Regex.Match(html, $"data-testid=\"{testId}\">([^<]*)<").Groups[1].Value;
}

public sealed class ProgrammeOverviewOnSqlite(SqliteFixture fixture) : ProgrammeOverviewTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ProgrammeOverviewOnPostgres(PostgresFixture fixture) : ProgrammeOverviewTests(fixture), IClassFixture<PostgresFixture>;
