using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Http;

namespace Ambassadors.Web.Campaigns.Pages;

/// <summary>
/// The campaign form as posted: text as typed. It only turns the text into the API's request (numbers, dates, lists);
/// the rules are <see cref="CampaignInput"/>'s, the same the API applies. Text that is not a number or a date is
/// reported under the API's field name, so each error lands next to its box either way.
/// </summary>
public sealed class CampaignForm
{
    public string? Name { get; set; }
    public string? Objective { get; set; }
    public string? Status { get; set; }
    public string? DestinationUrl { get; set; }
    public string? Currency { get; set; }
    public string? StartsOn { get; set; }
    public string? EndsOn { get; set; }
    public string? Capacity { get; set; }
    public string? AttributionWindowDays { get; set; }
    public string? HoldingPeriodDays { get; set; }
    public string? PerLead { get; set; }
    public string? PerSale { get; set; }
    public string? SalePercent { get; set; }
    public string? SecondDegreePercent { get; set; }
    public string? KpiMetric { get; set; }
    public string? KpiTarget { get; set; }
    public string? Description { get; set; }
    public string? Terms { get; set; }
    public string? TargetCountries { get; set; }
    public string? Reach { get; set; }
    public string? Engagement { get; set; }
    public string? Motivation { get; set; }
    public string? CountryFit { get; set; }
    public string? PastResults { get; set; }

    /// <summary>A new campaign's form: active, 30 and 14 days, every score part weighing 1.</summary>
    public static CampaignForm Blank() => new()
    {
        Status = CampaignStatus.Active.Name(), Currency = "EUR", AttributionWindowDays = "30", HoldingPeriodDays = "14",
        Reach = "1", Engagement = "1", Motivation = "1", CountryFit = "1", PastResults = "1",
    };

    public static CampaignForm Of(CampaignRecord c) => new()
    {
        Name = c.Name,
        Objective = c.Objective.Name(),
        Status = c.Status.Name(),
        DestinationUrl = c.DestinationUrl,
        Currency = c.Currency,
        StartsOn = c.StartsOn is { } starts ? IsoDates.Write(starts) : null,
        EndsOn = c.EndsOn is { } ends ? IsoDates.Write(ends) : null,
        Capacity = c.Capacity?.ToString(CultureInfo.InvariantCulture),
        AttributionWindowDays = c.AttributionWindowDays.ToString(CultureInfo.InvariantCulture),
        HoldingPeriodDays = c.HoldingPeriodDays.ToString(CultureInfo.InvariantCulture),
        PerLead = Plain(c.Rewards.PerLead),
        PerSale = Plain(c.Rewards.PerSale),
        SalePercent = Plain(c.Rewards.SalePercent),
        SecondDegreePercent = Plain(c.Rewards.SecondDegreePercent),
        KpiMetric = c.Kpi?.Metric,
        KpiTarget = c.Kpi is { } kpi ? Plain(CampaignKpi.Target(kpi, c.Currency)) : null,
        Description = c.Description,
        Terms = c.Terms,
        TargetCountries = string.Join(", ", c.TargetCountries ?? []),
        Reach = Plain((c.Scoring ?? ScoringRecord.Default).Reach),
        Engagement = Plain((c.Scoring ?? ScoringRecord.Default).Engagement),
        Motivation = Plain((c.Scoring ?? ScoringRecord.Default).Motivation),
        CountryFit = Plain((c.Scoring ?? ScoringRecord.Default).CountryFit),
        PastResults = Plain((c.Scoring ?? ScoringRecord.Default).PastResults),
    };

    /// <summary>How a number input wants its value: a dot, no group separators, whatever the page's language.</summary>
    private static string? Plain(decimal? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);

    public CreateCampaignRequest ToCreate(Validation unreadable)
    {
        var reader = new Reader(unreadable);
        return new CreateCampaignRequest(Name, Objective, DestinationUrl, Currency,
            reader.Date("startsOn", StartsOn), reader.Date("endsOn", EndsOn), reader.Integer("capacity", Capacity),
            reader.Integer("attributionWindowDays", AttributionWindowDays), reader.Integer("holdingPeriodDays", HoldingPeriodDays),
            Rewards(reader), Status, Kpi(reader), Description, Terms, Countries(), Scoring(reader));
    }

    /// <summary>
    /// The form as a merge patch of every field it shows: an empty box is null (clearing what may be empty; refused, as by
    /// the API, for what may not). The currency is left out: it cannot change.
    /// </summary>
    public MergePatch<UpdateCampaignRequest> ToPatch(Validation unreadable)
    {
        var reader = new Reader(unreadable);
        var request = new UpdateCampaignRequest(Name ?? "", Objective ?? "", Status ?? "", DestinationUrl ?? "",
            reader.Date("startsOn", StartsOn), reader.Date("endsOn", EndsOn), reader.Integer("capacity", Capacity),
            reader.Integer("attributionWindowDays", AttributionWindowDays), reader.Integer("holdingPeriodDays", HoldingPeriodDays),
            Rewards(reader), Currency: null, Kpi(reader), Description ?? "", Terms ?? "", Countries(), Scoring(reader));
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "name", "objective", "status", "destinationUrl", "startsOn", "endsOn", "capacity", "attributionWindowDays",
            "holdingPeriodDays", "rewards", "rewards.perLead", "rewards.perSale", "rewards.salePercent", "rewards.secondDegreePercent",
            "kpi", "description", "terms", "targetCountries", "scoring", "scoring.reach", "scoring.engagement", "scoring.motivation",
            "scoring.countryFit", "scoring.pastResults",
        };
        var nulls = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Null(string field, object? value)
        {
            if (value is null) nulls.Add(field);
        }
        Null("startsOn", request.StartsOn);
        Null("endsOn", request.EndsOn);
        Null("capacity", request.Capacity);
        Null("attributionWindowDays", request.AttributionWindowDays);
        Null("holdingPeriodDays", request.HoldingPeriodDays);
        Null("rewards.perLead", request.Rewards!.PerLead);
        Null("rewards.perSale", request.Rewards.PerSale);
        Null("rewards.salePercent", request.Rewards.SalePercent);
        Null("rewards.secondDegreePercent", request.Rewards.SecondDegreePercent);
        Null("kpi", request.Kpi);
        Null("targetCountries", request.TargetCountries);
        Null("scoring.reach", request.Scoring!.Reach);
        Null("scoring.engagement", request.Scoring.Engagement);
        Null("scoring.motivation", request.Scoring.Motivation);
        Null("scoring.countryFit", request.Scoring.CountryFit);
        Null("scoring.pastResults", request.Scoring.PastResults);
        return new MergePatch<UpdateCampaignRequest>(request, present, nulls);
    }

    private RewardRulesRequest Rewards(Reader reader) => new(
        reader.Number("rewards.perLead", PerLead), reader.Number("rewards.perSale", PerSale),
        reader.Number("rewards.salePercent", SalePercent), reader.Number("rewards.secondDegreePercent", SecondDegreePercent));

    /// <summary>No metric and no target: no KPI. One without the other is sent as it is, for the rules to refuse.</summary>
    private KpiRequest? Kpi(Reader reader)
    {
        var target = reader.Number("kpi.target", KpiTarget);
        return string.IsNullOrWhiteSpace(KpiMetric) && string.IsNullOrWhiteSpace(KpiTarget) ? null : new KpiRequest(NullIfBlank(KpiMetric), target);
    }

    private ScoringRequest Scoring(Reader reader) => new(
        reader.Number("scoring.reach", Reach), reader.Number("scoring.engagement", Engagement), reader.Number("scoring.motivation", Motivation),
        reader.Number("scoring.countryFit", CountryFit), reader.Number("scoring.pastResults", PastResults));

    /// <summary>"NL, be DE" as ["NL", "be", "DE"]; commas, semicolons and spaces all separate.</summary>
    private List<string?>? Countries() => string.IsNullOrWhiteSpace(TargetCountries)
        ? null
        : TargetCountries.Split([',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(c => (string?)c).ToList();

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>Reads numbers and dates as the API does (exact decimals, ISO dates); what cannot be read is an error of that field.</summary>
    private sealed class Reader(Validation unreadable)
    {
        public decimal? Number(string field, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (JsonInput.TryParseExact(text.Trim(), out var value, out _)) return value;
            unreadable.Add(field, $"'{field}' is not a number.");
            return null;
        }

        public int? Integer(string field, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
            unreadable.Add(field, $"'{field}' is not a whole number.");
            return null;
        }

        public DateOnly? Date(string field, string? text) => unreadable.Date(field, text);
    }
}
