using Ambassadors.Data;
using Ambassadors.Web.Stats;

namespace Ambassadors.Web.Campaigns;

/// <summary>A campaign's KPI against its stats: how far the objective is reached.</summary>
public static class CampaignKpi
{
    /// <summary>The target as shown: revenue with the currency's decimals, a count as a whole number.</summary>
    public static decimal Target(KpiRecord kpi, string currency) =>
        kpi.Metric == "revenue" ? Currencies.WithMinorUnits(kpi.Target, currency) : decimal.Round(kpi.Target, 0);

    /// <summary>What the stats count of the KPI's metric: revenue in the campaign's currency, else the count.</summary>
    public static decimal Reached(KpiRecord kpi, string currency, StatsView stats) => kpi.Metric switch
    {
        "clicks" => stats.Clicks,
        "uniqueVisitors" => stats.UniqueVisitors,
        "leads" => stats.Leads,
        "sales" => stats.Sales,
        _ => stats.Revenue.Where(r => r.Currency == currency).Sum(r => r.Amount),
    };

    /// <summary>
    /// The fraction of the target the stats reach (0.42 for 42 %), 4 decimals, not capped at 1; null without a KPI.
    /// It follows the stats' window: all time unless the stats were asked for a narrower one.
    /// </summary>
    public static decimal? Progress(CampaignRecord campaign, StatsView stats) =>
        campaign.Kpi is { Target: > 0 } kpi
            ? Math.Round(Reached(kpi, campaign.Currency, stats) / kpi.Target, 4, MidpointRounding.AwayFromZero)
            : null;

    /// <summary>Completes a campaign's stats with its <see cref="StatsView.KpiProgress"/> (the stats route's hook).</summary>
    public static async Task<StatsView> WithProgressAsync(string id, StatsView stats, IServiceProvider services)
    {
        var campaign = await services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(id).GetAsync();
        return campaign is null ? stats : stats with { KpiProgress = Progress(campaign, stats) };
    }
}
