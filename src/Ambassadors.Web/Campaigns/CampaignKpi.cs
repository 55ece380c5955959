using Ambassadors.Data;
using Ambassadors.Web.Stats;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Campaigns;

/// <summary>A campaign's KPI against its stats: how far the objective is reached.</summary>
public static class CampaignKpi
{
    /// <summary>The target as shown: revenue with the currency's decimals, a count as a whole number.</summary>
    public static decimal Target(KpiRecord kpi, string currency) =>
        kpi.Metric == "revenue" ? Currencies.WithMinorUnits(kpi.Target, currency) : decimal.Round(kpi.Target, 0);

    /// <summary>What the stats count of the KPI's metric: revenue in the campaign's currency, else the count.</summary>
    public static decimal Reached(KpiRecord kpi, string currency, StatsView stats) =>
        Reached(kpi, currency, stats.Clicks, stats.UniqueVisitors, stats.Leads, stats.Sales, stats.Revenue);

    /// <summary>The same from the figures themselves (the programme overview reads them from the kept counts).</summary>
    public static decimal Reached(KpiRecord kpi, string currency, long clicks, long uniqueVisitors, long leads, long sales,
        IReadOnlyList<MoneyView> revenue) => kpi.Metric switch
    {
        "clicks" => clicks,
        "uniqueVisitors" => uniqueVisitors,
        "leads" => leads,
        "sales" => sales,
        _ => revenue.Where(r => r.Currency == currency).Sum(r => r.Amount),
    };

    /// <summary>
    /// The fraction of the target the stats reach (0.42 for 42 %), 4 decimals, not capped at 1; null without a KPI.
    /// It follows the stats' window: all time unless the stats were asked for a narrower one.
    /// </summary>
    public static decimal? Progress(CampaignRecord campaign, StatsView stats) =>
        campaign.Kpi is { } kpi ? Progress(kpi, Reached(kpi, campaign.Currency, stats)) : null;

    public static decimal? Progress(KpiRecord kpi, decimal reached) =>
        kpi.Target > 0 ? Math.Round(reached / kpi.Target, 4, MidpointRounding.AwayFromZero) : null;

    /// <summary>
    /// What each campaign's KPI metric has reached, all time, for a list of campaigns: the figures their stats answer, read
    /// with one query of the kept all-time conversion counts of those measured by leads, sales or revenue, and one grain call (its
    /// counters) for each measured by clicks or unique visitors, instead of a full stats read per campaign.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, decimal>> ReachedAsync(
        IReadOnlyList<CampaignRecord> campaigns, AppDbContext db, IGrainFactory grains, DateOnly today, CancellationToken cancellationToken)
    {
        var reached = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var byConversions = campaigns.Where(c => c.Kpi is { Metric: "leads" or "sales" or "revenue" }).ToList();
        var ids = byConversions.Select(c => c.Id).ToList();
        // The kept all-time rows (a row per kind and currency), not the campaigns' conversions: the same figures, flat in them.
        var rows = ids.Count == 0 ? [] : await db.ConversionCounts.AsNoTracking()
            .Where(c => c.Subject == ConversionSubject.Campaign && c.Day == ConversionCount.AllTime && ids.Contains(c.SubjectId))
            .Select(c => new { CampaignId = c.SubjectId, c.Kind, c.Currency, c.Count, Amount = c.AmountMinor })
            .ToListAsync(cancellationToken);
        foreach (var campaign in byConversions)
        {
            var mine = rows.Where(r => r.CampaignId == campaign.Id).ToList();
            reached[campaign.Id] = campaign.Kpi!.Metric switch
            {
                "leads" => mine.Where(r => r.Kind == ConversionKind.Lead).Sum(r => r.Count),
                "sales" => mine.Where(r => r.Kind == ConversionKind.Sale).Sum(r => r.Count),
                _ => Rewards.FromMinor(mine.Where(r => r.Kind == ConversionKind.Sale && r.Currency == campaign.Currency).Sum(r => r.Amount), campaign.Currency),
            };
        }
        foreach (var campaign in campaigns.Where(c => c.Kpi is { Metric: "clicks" or "uniqueVisitors" }))
        {
            var traffic = await grains.GetGrain<ICampaignGrain>(campaign.Id).GetTrafficAsync(null, null, today, today);
            reached[campaign.Id] = campaign.Kpi!.Metric == "clicks" ? traffic.Clicks : traffic.UniqueVisitors;
        }
        return reached;
    }

    /// <summary>Completes a campaign's stats with its <see cref="StatsView.KpiProgress"/> (the stats route's hook).</summary>
    public static async Task<StatsView> WithProgressAsync(string id, StatsView stats, IServiceProvider services)
    {
        var campaign = await services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(id).GetAsync();
        return campaign is null ? stats : stats with { KpiProgress = Progress(campaign, stats) };
    }
}
