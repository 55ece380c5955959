using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Http.Pages;
using Ambassadors.Web.Stats;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>A campaign's KPI as a bar: "42% of 1,000 sales", wherever the campaign appears.</summary>
public sealed record KpiBar(KpiRecord Kpi, string Currency, decimal Reached, decimal Progress)
{
    public static KpiBar? Of(CampaignRecord campaign, StatsView stats) =>
        campaign.Kpi is { } kpi ? Of(campaign, CampaignKpi.Reached(kpi, campaign.Currency, stats)) : null;

    public static KpiBar? Of(CampaignRecord campaign, decimal reached) =>
        campaign.Kpi is { } kpi && CampaignKpi.Progress(kpi, reached) is { } progress ? new KpiBar(kpi, campaign.Currency, reached, progress) : null;

    /// <summary>The bar's value, full at the target (written with a dot: it is an attribute, not text).</summary>
    public string BarValue => Math.Min(Progress, 1m).ToString("0.####", CultureInfo.InvariantCulture);

    public string Percent => Display.Percent((double)Progress);

    public bool Revenue => Kpi.Metric == "revenue";

    public string Target => Revenue
        ? Display.Money(CampaignKpi.Target(Kpi, Currency), Currency)
        : Display.Number((long)CampaignKpi.Target(Kpi, Currency));

    public string ReachedText => Revenue ? Display.Money(Reached, Currency) : Display.Number((long)Reached);
}

/// <summary>How the campaign pages write a campaign's dates, capacity and rewards, in the page's language.</summary>
public static class CampaignDisplay
{
    public static string Dates(CampaignRecord c, IStringLocalizer<CampaignTexts> t) => (c.StartsOn, c.EndsOn) switch
    {
        ({ } starts, { } ends) => t["Dates.Range", Display.Date(starts), Display.Date(ends)],
        ({ } starts, null) => t["Dates.From", Display.Date(starts)],
        (null, { } ends) => t["Dates.Until", Display.Date(ends)],
        _ => t["Dates.None"],
    };

    public static string Members(int count, IStringLocalizer<CampaignTexts> t) =>
        count == 1 ? t["Members.One"] : t["Members.Many", Display.Number(count)];

    public static string Days(int count, IStringLocalizer<CampaignTexts> t) =>
        count == 1 ? t["Page.Days.One"] : t["Page.Days.Many", Display.Number(count)];

    /// <summary>"12 of 100 · 88 left", "100 of 100 · full", "12 members · no limit".</summary>
    public static string Capacity(CampaignRecord c, IStringLocalizer<CampaignTexts> t) => c.Capacity switch
    {
        null => t["Capacity.NoLimit", Members(c.Members, t)],
        { } capacity when c.Members >= capacity => t["Capacity.Full", Display.Number(c.Members), Display.Number(capacity)],
        { } capacity => t["Capacity.UsedLeft", Display.Number(c.Members), Display.Number(capacity), Display.Number(capacity - c.Members)],
    };

    /// <summary>The reward rules in words, one phrase per rule set.</summary>
    public static IReadOnlyList<string> Rewards(CampaignRecord c, IStringLocalizer<CampaignTexts> t)
    {
        var rules = new List<string>();
        if (c.Rewards.PerLead is { } lead) rules.Add(t["Rewards.PerLead", Display.Money(lead, c.Currency)]);
        if (c.Rewards.PerSale is { } sale) rules.Add(t["Rewards.PerSale", Display.Money(sale, c.Currency)]);
        if (c.Rewards.SalePercent is { } percent) rules.Add(t["Rewards.SalePercent", Display.Percent((double)percent / 100)]);
        if (c.Rewards.SecondDegreePercent is { } share) rules.Add(t["Rewards.SecondDegree", Display.Percent((double)share / 100)]);
        return rules;
    }

    public static string Money(IReadOnlyList<MoneyView> amounts, IStringLocalizer<CampaignTexts> t) =>
        amounts.Count == 0 ? t["Total.Nothing"] : string.Join(", ", amounts.Select(m => Display.Money(m.Amount, m.Currency)));

    /// <summary>A number as a number input and an SVG attribute want it: invariant, whatever the page's language.</summary>
    public static string Attribute(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
