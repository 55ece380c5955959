using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Http;

namespace Ambassadors.Web.Campaigns;

/// <summary>
/// The rules a new campaign and a change to one must follow, written once: the API's routes and the /manage forms both
/// turn what they were sent into a <see cref="CreateCampaignRequest"/> or a merge patch of <see cref="UpdateCampaignRequest"/>
/// and come here, so a form refuses exactly what the API refuses, under the same field names.
/// </summary>
public static class CampaignInput
{
    public const int NameLength = 200;
    public const int DescriptionLength = 4000;
    public const int TermsLength = 20000;
    public const decimal MaxKpiTarget = 1_000_000_000_000m;
    public const decimal MaxWeight = 100m;

    /// <summary>The fields of a campaign that always have a value: sent in a patch, they cannot be null or empty.</summary>
    private static readonly string[] AlwaysSet =
        ["name", "objective", "status", "destinationUrl", "currency", "attributionWindowDays", "holdingPeriodDays", "scoring"];

    public static Result<CampaignDraft> Create(CreateCampaignRequest request)
    {
        var check = new Validation();
        var name = check.Required("name", request.Name, NameLength);
        var objective = check.OneOf<CampaignObjective>("objective", request.Objective, required: true);
        var status = check.OneOf<CampaignStatus>("status", request.Status, required: false) ?? CampaignStatus.Active;
        var destination = check.Url("destinationUrl", request.DestinationUrl, required: true);
        var currency = check.Currency("currency", request.Currency, required: true);
        check.Range("capacity", request.Capacity, 1, 1_000_000);
        check.Range("attributionWindowDays", request.AttributionWindowDays, 1, 365);
        check.Range("holdingPeriodDays", request.HoldingPeriodDays, 0, 365);
        var rewards = CheckRewards(check, request.Rewards, currency);
        var kpi = request.Kpi is null ? null : CheckKpi(check, request.Kpi, currency);
        var description = check.Optional("description", request.Description, DescriptionLength, multiline: true);
        var terms = check.Optional("terms", request.Terms, TermsLength, multiline: true);
        var countries = CheckCountries(check, request.TargetCountries);
        var scoring = CheckScoring(check, request.Scoring, ScoringRecord.Default);
        if (!check.IsValid) return Refused(check);

        return Result<CampaignDraft>.Ok(new CampaignDraft(name, objective!.Value, destination!, currency!, request.StartsOn, request.EndsOn,
            request.Capacity, request.AttributionWindowDays ?? 30, request.HoldingPeriodDays ?? 14, rewards, status,
            kpi, description, terms, countries, scoring));
    }

    /// <summary>A JSON Merge Patch (RFC 7396) of <paramref name="current"/>: left out stays, null clears what may be empty.</summary>
    public static Result<CampaignChanges> Update(MergePatch<UpdateCampaignRequest> patch, CampaignRecord current)
    {
        var request = patch.Value;
        var check = new Validation();
        // These always have a value: sent, they must carry one ("" and null are refused, never silently ignored).
        foreach (var field in AlwaysSet)
        {
            if (patch.Cleared(field)) check.Add(field, $"'{field}' cannot be cleared; leave it out to keep it as it is.");
        }
        var name = request.Name is null ? null : check.Required("name", request.Name, NameLength);
        var objective = request.Objective is null ? null : check.OneOf<CampaignObjective>("objective", request.Objective, required: true);
        var status = request.Status is null ? null : check.OneOf<CampaignStatus>("status", request.Status, required: true);
        var destination = request.DestinationUrl is null ? null : check.Url("destinationUrl", request.DestinationUrl, required: true);
        if (request.Currency is not null && request.Currency != current.Currency)
        {
            check.Add("currency", $"The currency of a campaign cannot change (it is {current.Currency}).");
        }
        check.Range("capacity", request.Capacity, 1, 1_000_000);
        check.Range("attributionWindowDays", request.AttributionWindowDays, 1, 365);
        check.Range("holdingPeriodDays", request.HoldingPeriodDays, 0, 365);
        var rewards = patch.Cleared("rewards") ? new RewardRules(null, null, null, null)
            : request.Rewards is null ? null
            : CheckRewards(check, MergedRewards(patch, current.Rewards), current.Currency);
        var kpi = request.Kpi is null ? null : CheckKpi(check, request.Kpi, current.Currency);
        // An empty text clears it as null does: a form's empty box means "none".
        var description = request.Description is null ? null : check.Optional("description", request.Description, DescriptionLength, multiline: true);
        var terms = request.Terms is null ? null : check.Optional("terms", request.Terms, TermsLength, multiline: true);
        var countries = patch.Cleared("targetCountries") ? [] : CheckCountries(check, request.TargetCountries);
        var scoring = request.Scoring is null ? null : CheckScoring(check, MergedScoring(patch, current.Scoring ?? ScoringRecord.Default), ScoringRecord.Default);
        if (!check.IsValid) return Refused(check);

        return Result<CampaignChanges>.Ok(new CampaignChanges(name, objective, status, destination, request.StartsOn,
            request.EndsOn, request.Capacity, request.AttributionWindowDays, request.HoldingPeriodDays, rewards,
            ClearCapacity: patch.Cleared("capacity"), ClearStartsOn: patch.Cleared("startsOn"), ClearEndsOn: patch.Cleared("endsOn"),
            Kpi: kpi, ClearKpi: patch.Cleared("kpi"),
            Description: description, ClearDescription: patch.Cleared("description") || (request.Description is not null && description is null),
            Terms: terms, ClearTerms: patch.Cleared("terms") || (request.Terms is not null && terms is null),
            TargetCountries: countries, Scoring: scoring));
    }

    private static Failure Refused(Validation check)
    {
        var errors = check.Errors;
        return Fail.Invalid(new Dictionary<string, string[]>(errors), string.Join(" ", errors.SelectMany(e => e.Value)));
    }

    /// <summary>The reward rules after a merge patch: a rule sent replaces (null clears), a rule left out stays.</summary>
    private static RewardRulesRequest MergedRewards(MergePatch<UpdateCampaignRequest> patch, RewardRules current)
    {
        var sent = patch.Value.Rewards!;
        decimal? Rule(string name, decimal? value, decimal? now) => patch.Sent($"rewards.{name}") ? value : now;
        return new RewardRulesRequest(
            Rule("perLead", sent.PerLead, current.PerLead),
            Rule("perSale", sent.PerSale, current.PerSale),
            Rule("salePercent", sent.SalePercent, current.SalePercent),
            Rule("secondDegreePercent", sent.SecondDegreePercent, current.SecondDegreePercent));
    }

    /// <summary>The weights after a merge patch: a weight sent replaces it, one left out stays (null is refused by the check).</summary>
    private static ScoringRequest MergedScoring(MergePatch<UpdateCampaignRequest> patch, ScoringRecord current)
    {
        var sent = patch.Value.Scoring!;
        decimal? Weight(string name, decimal? value, decimal now) => patch.Sent($"scoring.{name}") ? value ?? -1 : now;
        return new ScoringRequest(
            Weight("reach", sent.Reach, current.Reach),
            Weight("engagement", sent.Engagement, current.Engagement),
            Weight("motivation", sent.Motivation, current.Motivation),
            Weight("countryFit", sent.CountryFit, current.CountryFit),
            Weight("pastResults", sent.PastResults, current.PastResults));
    }

    private static RewardRules CheckRewards(Validation check, RewardRulesRequest? rewards, string? currency)
    {
        if (rewards is null) return new RewardRules(null, null, null, null);
        foreach (var (field, amount) in new[] { ("rewards.perLead", rewards.PerLead), ("rewards.perSale", rewards.PerSale) })
        {
            if (amount is not { } a) continue;
            if (a < 0 || a > 1_000_000_000m) check.Add(field, $"'{field}' must be between 0 and 1000000000.");
            else check.MinorUnits(field, a, currency);
        }
        foreach (var (field, value) in new[] { ("rewards.salePercent", rewards.SalePercent), ("rewards.secondDegreePercent", rewards.SecondDegreePercent) })
        {
            if (value is { } percent && !IsPercent(percent))
            {
                check.Add(field, $"'{field}' must be between 0 and 100, with at most 4 decimals.");
            }
        }
        return new RewardRules(rewards.PerLead, rewards.PerSale, rewards.SalePercent, rewards.SecondDegreePercent);
    }

    private static bool IsPercent(decimal value) => value >= 0 && value <= MaxWeight && decimal.Round(value, 4) == value;

    /// <summary>A metric of <see cref="CampaignKpis.Metrics"/> and a target above 0: revenue with the currency's decimals, a count whole.</summary>
    private static KpiRecord? CheckKpi(Validation check, KpiRequest kpi, string? currency)
    {
        string? metric = null;
        if (string.IsNullOrWhiteSpace(kpi.Metric)) check.Add("kpi.metric", $"'kpi.metric' is required; one of: {Metrics}.");
        else if (!CampaignKpis.Metrics.Contains(kpi.Metric, StringComparer.Ordinal))
        {
            check.Add("kpi.metric", $"'kpi.metric' must be one of: {Metrics}; '{Validation.Truncate(kpi.Metric)}' is not.");
        }
        else metric = kpi.Metric;

        if (kpi.Target is not { } target) check.Add("kpi.target", "'kpi.target' is required: the number (or revenue) to reach.");
        else if (target <= 0 || target > MaxKpiTarget) check.Add("kpi.target", $"'kpi.target' must be above 0 and at most {MaxKpiTarget.ToString(CultureInfo.InvariantCulture)}.");
        else if (metric == "revenue") check.MinorUnits("kpi.target", target, currency);
        else if (metric is not null && decimal.Truncate(target) != target) check.Add("kpi.target", $"A {metric} target is a whole number.");

        return metric is not null && kpi.Target is { } t ? new KpiRecord(metric, t) : null;
    }

    private static string Metrics => string.Join(", ", CampaignKpis.Metrics);

    /// <summary>ISO 3166-1 alpha-2 codes in any case, stored upper case, each once; null when none were sent.</summary>
    private static List<string>? CheckCountries(Validation check, IReadOnlyList<string?>? codes)
    {
        if (codes is null) return null;
        var countries = new List<string>();
        foreach (var code in codes)
        {
            if (!Countries.TryNormalize(code, out var normalized))
            {
                check.Add("targetCountries", $"'{Validation.Truncate(code ?? "null")}' is not an ISO 3166-1 alpha-2 country code (e.g. NL, BE, DE).");
            }
            else if (!countries.Contains(normalized)) countries.Add(normalized);
        }
        return countries;
    }

    private static ScoringRecord? CheckScoring(Validation check, ScoringRequest? scoring, ScoringRecord defaults)
    {
        if (scoring is null) return null;
        var parts = new[]
        {
            ("scoring.reach", scoring.Reach ?? defaults.Reach), ("scoring.engagement", scoring.Engagement ?? defaults.Engagement),
            ("scoring.motivation", scoring.Motivation ?? defaults.Motivation), ("scoring.countryFit", scoring.CountryFit ?? defaults.CountryFit),
            ("scoring.pastResults", scoring.PastResults ?? defaults.PastResults),
        };
        foreach (var (field, weight) in parts)
        {
            if (!IsPercent(weight)) check.Add(field, $"'{field}' must be between 0 and 100, with at most 4 decimals.");
        }
        return new ScoringRecord(parts[0].Item2, parts[1].Item2, parts[2].Item2, parts[3].Item2, parts[4].Item2);
    }
}
