using System.Text;
using Ambassadors.Data;
using Ambassadors.Payouts.Workbook;
using Ambassadors.Web.Access;
using Ambassadors.Web.Campaigns.Pages;
using Ambassadors.Web.Stats;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Programme.Pages;

/// <summary>
/// A campaign's results as an .xlsx: Summary (totals and KPI), Leaderboard (every ambassador), Content (each piece's
/// funnel) and Daily (the campaign's days so far). Sheet names are fixed; headings and labels are in the manager's language.
/// </summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class CampaignWorkbookModel(ResultsService results, StatsService stats, TimeProvider clock,
    IStringLocalizer<ResultsTexts> t, IStringLocalizer<CampaignTexts> campaignTexts) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await results.CampaignAsync(id, cancellationToken) is not { } found) return NotFound();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var c = found.Campaign;
        // The campaign's days so far: from its start (or creation) to its end or today, at most the stats' widest window.
        var to = c.EndsOn is { } ends && ends < today ? ends : today;
        var from = c.StartsOn ?? DateOnly.FromDateTime(c.CreatedAt.UtcDateTime);
        if (from > to) from = to;
        if (to.DayNumber - from.DayNumber >= StatsApi.MaxWindowDays) from = to.AddDays(-(StatsApi.MaxWindowDays - 1));
        var daily = (await stats.ForAsync(StatsSubject.Campaign, id, from, to, cancellationToken))?.Daily ?? [];

        var workbook = ResultsWorkbook.Write([Summary(found, today), Leaderboard(found), Content(found), Daily(daily)]);
        return File(workbook, PayoutWorkbook.ContentType, FileName(c.Name, today));
    }

    /// <summary>"fiesta-movement-results-2026-11-30.xlsx": the campaign's name in plain letters, the word, the day.</summary>
    public string FileName(string campaign, DateOnly day)
    {
        var slug = new StringBuilder();
        foreach (var ch in campaign.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9') slug.Append(ch);
            else if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(ch) != System.Globalization.UnicodeCategory.NonSpacingMark
                     && slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var name = slug.ToString().Trim('-');
        if (name.Length > 60) name = name[..60].Trim('-');
        return $"{(name.Length == 0 ? "campaign" : name)}-{t["Workbook.FileWord"]}-{day:yyyy-MM-dd}.xlsx";
    }

    private ResultsSheet Summary(CampaignResults r, DateOnly today)
    {
        var s = r.Stats;
        var rows = new List<SheetCell[]>
        {
            Pair(t["Workbook.Campaign"], SheetCell.Text(r.Campaign.Name)),
            Pair(t["Col.Status"], SheetCell.Text(t["Status." + r.Campaign.Status.Name()])),
            Pair(t["Workbook.Exported"], SheetCell.Date(today)),
        };
        if (r.Campaign.StartsOn is { } starts) rows.Add(Pair(t["Workbook.Starts"], SheetCell.Date(starts)));
        if (r.Campaign.EndsOn is { } ends) rows.Add(Pair(t["Workbook.Ends"], SheetCell.Date(ends)));
        if (r.Kpi is { } kpi)
        {
            rows.Add(Pair(t["Col.Kpi"], SheetCell.Text(kpi.Revenue
                ? campaignTexts["Kpi.ProgressRevenue", kpi.Percent, kpi.Target]
                : campaignTexts["Kpi.Progress", kpi.Percent, kpi.Target, campaignTexts["Metric." + kpi.Kpi.Metric]])));
            rows.Add(Pair(t["Workbook.KpiProgress"], SheetCell.Percent(kpi.Progress)));
        }
        else rows.Add(Pair(t["Col.Kpi"], SheetCell.Text(campaignTexts["Kpi.None"])));
        rows.Add(Pair(t["Total.reach"], SheetCell.Integer(s.PotentialReach)));
        rows.Add(Pair(t["Total.uniqueVisitors"], SheetCell.Integer(s.UniqueVisitors)));
        rows.Add(Pair(t["Total.clicks"], SheetCell.Integer(s.Clicks)));
        rows.Add(Pair(t["Total.leads"], SheetCell.Integer(s.Leads)));
        rows.Add(Pair(t["Total.sales"], SheetCell.Integer(s.Sales)));
        rows.AddRange(s.Revenue.Select(m => Pair(t["Workbook.RevenueIn", m.Currency], SheetCell.Money(m.Amount, m.Currency))));
        rows.AddRange(r.Rewards.Select(m => Pair(t["Workbook.RewardsIn", m.Currency], SheetCell.Money(m.Amount, m.Currency))));
        rows.Add(Pair(t["Workbook.Ambassadors"], SheetCell.Integer(r.Leaderboard.Count)));
        return new ResultsSheet("Summary", [t["Workbook.Label"], t["Workbook.Value"]], [30, 40], rows);

        static SheetCell[] Pair(string label, SheetCell value) => [SheetCell.Text(label), value];
    }

    private ResultsSheet Leaderboard(CampaignResults r)
    {
        var revenue = Currencies(r.Leaderboard.SelectMany(m => m.Revenue));
        var rewards = Currencies(r.Leaderboard.SelectMany(m => m.Rewards));
        var columns = new List<string> { t["Col.Rank"], t["Col.Ambassador"], t["Workbook.AmbassadorId"], t["Col.Sales"], t["Col.Leads"], t["Col.Clicks"], t["Col.UniqueVisitors"] };
        columns.AddRange(revenue.Select(cur => t["Workbook.RevenueIn", cur].Value));
        columns.AddRange(rewards.Select(cur => t["Workbook.RewardsIn", cur].Value));
        var rows = r.Leaderboard.Select(m => new[]
            {
                SheetCell.Integer(m.Rank), SheetCell.Text(m.Name), SheetCell.Text(m.AmbassadorId), SheetCell.Integer(m.Sales), SheetCell.Integer(m.Leads),
                SheetCell.Integer(m.Clicks), SheetCell.Integer(m.UniqueVisitors),
            }.Concat(Amounts(m.Revenue, revenue)).Concat(Amounts(m.Rewards, rewards)).ToArray())
            .ToList();
        return new ResultsSheet("Leaderboard", columns, [8, 30, 22, 10, 10, 10, 14, .. revenue.Concat(rewards).Select(_ => 18d)], rows);
    }

    private ResultsSheet Content(CampaignResults r)
    {
        var revenue = Currencies(r.Pieces.SelectMany(p => p.Revenue));
        var columns = new List<string> { t["Col.Piece"], t["Workbook.PieceId"], t["Stage.reach"], t["Stage.uniqueVisitors"], t["Stage.clicks"], t["Stage.leads"], t["Stage.sales"] };
        columns.AddRange(revenue.Select(cur => t["Workbook.RevenueIn", cur].Value));
        var rows = r.Pieces.Select(p => new[]
            {
                SheetCell.Text(p.Title), SheetCell.Text(p.ContentId), SheetCell.Integer(p.Reach), SheetCell.Integer(p.UniqueVisitors),
                SheetCell.Integer(p.Clicks), SheetCell.Integer(p.Leads), SheetCell.Integer(p.Sales),
            }.Concat(Amounts(p.Revenue, revenue)).ToArray())
            .ToList();
        return new ResultsSheet("Content", columns, [36, 22, 16, 16, 10, 10, 10, .. revenue.Select(_ => 18d)], rows);
    }

    private ResultsSheet Daily(IReadOnlyList<DailyStats> days) => new("Daily",
        [t["Workbook.Date"], t["Stage.clicks"], t["Stage.uniqueVisitors"], t["Stage.leads"], t["Stage.sales"]], [14, 10, 16, 10, 10],
        days.Select(d => new[] { SheetCell.Date(d.Date), SheetCell.Integer(d.Clicks), SheetCell.Integer(d.UniqueVisitors), SheetCell.Integer(d.Leads), SheetCell.Integer(d.Sales) }).ToList());

    private static List<string> Currencies(IEnumerable<MoneyView> amounts) =>
        amounts.Select(m => m.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<SheetCell> Amounts(IReadOnlyList<MoneyView> amounts, List<string> currencies) =>
        currencies.Select(cur => amounts.FirstOrDefault(m => m.Currency == cur) is { } m ? SheetCell.Money(m.Amount, cur) : SheetCell.Money(0, cur));
}
