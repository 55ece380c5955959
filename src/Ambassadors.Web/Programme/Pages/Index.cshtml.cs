using System.Diagnostics;
using Ambassadors.Web.Access;
using Ambassadors.Web.Campaigns.Pages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Programme.Pages;

/// <summary>The programme overview: every campaign's KPI progress and results, the totals, the best content and ambassadors.</summary>
[Authorize(Policy = StaffPolicies.Manage)]
public sealed class IndexModel(ResultsService results, IStringLocalizer<CampaignTexts> campaignTexts, ILogger<IndexModel> logger) : PageModel
{
    public ProgrammeResults Results { get; private set; } = null!;
    public ProgressChart Chart { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Results = await results.ProgrammeAsync(cancellationToken);
        Chart = new ProgressChart(Results.Campaigns.Where(c => c.Kpi is not null).Take(ProgressChart.MaxBars)
            .Select(c => new ProgressBar(c.Campaign.Id, c.Campaign.Name, c.Kpi!.Progress, KpiText(c.Kpi))).ToList());
        logger.LogDebug("Programme results: {Count} campaigns in {Elapsed} ms", Results.Campaigns.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>"42% of 1,000 sales", as the campaign pages write it.</summary>
    private string KpiText(KpiBar kpi) => kpi.Revenue
        ? campaignTexts["Kpi.ProgressRevenue", kpi.Percent, kpi.Target]
        : campaignTexts["Kpi.Progress", kpi.Percent, kpi.Target, campaignTexts["Metric." + kpi.Kpi.Metric]];
}
