using System.ComponentModel;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Content;
using Ambassadors.Web.Recruitment;
using Ambassadors.Web.Stats;
using Ambassadors.Web.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ambassadors.Web.Campaigns;

public sealed record RewardRulesRequest(
    [property: Description("Reward for each lead, in the campaign currency.")] decimal? PerLead = null,
    [property: Description("Fixed reward for each sale, in the campaign currency.")] decimal? PerSale = null,
    [property: Description("Percent of the sale amount added to the reward of a sale.")] decimal? SalePercent = null,
    [property: Description("Percent of a referred member's reward credited to the member who referred them (one level only).")] decimal? SecondDegreePercent = null);

public sealed record CreateCampaignRequest(
    [property: Description("Shown to managers and ambassadors.")] string? Name,
    [property: Description("brand, product, sales or service.")] string? Objective,
    [property: Description("Where tracked links send people: an absolute http(s) URL.")] string? DestinationUrl,
    [property: Description("ISO 4217 code of the campaign's money, e.g. EUR.")] string? Currency,
    DateOnly? StartsOn = null,
    DateOnly? EndsOn = null,
    [property: Description("How many ambassadors may join; none means no limit.")] int? Capacity = null,
    [property: Description("Days after a click in which a conversion is credited to it (default 30).")] int? AttributionWindowDays = null,
    [property: Description("Days a reward stays pending before it is approved (default 14).")] int? HoldingPeriodDays = null,
    RewardRulesRequest? Rewards = null,
    [property: Description("draft, recruiting, active (default), paused or ended.")] string? Status = null);

public sealed record UpdateCampaignRequest(
    string? Name = null,
    string? Objective = null,
    string? Status = null,
    string? DestinationUrl = null,
    DateOnly? StartsOn = null,
    DateOnly? EndsOn = null,
    int? Capacity = null,
    int? AttributionWindowDays = null,
    int? HoldingPeriodDays = null,
    [property: Description("The rules to change: a rule sent replaces it (null clears it), a rule left out stays; rewards: null clears them all.")] RewardRulesRequest? Rewards = null,
    [property: Description("Cannot change; accepted only when equal to the campaign's.")] string? Currency = null);

public sealed record EnrolRequest(
    [property: Description("The ambassador to add.")] string? AmbassadorId,
    [property: Description("A code of their own (3-32 letters, digits, '-' or '_'); generated when left out.")] string? ReferralCode = null,
    [property: Description("The referral code of the member of this campaign whose link brought them in, or the click id of that visit (the amb_click cookie); that member earns the campaign's second-degree reward on their conversions.")] string? ReferredBy = null);

public sealed record RosterEntry(string AmbassadorId, string Name, string Email, string ReferralCode, string Url, DateTimeOffset JoinedAt);

public sealed record MembershipResponse(string AmbassadorId, string CampaignId, string ReferralCode, string Url, DateTimeOffset JoinedAt, string? ReferredBy);

/// <summary>A campaign as the API shows it.</summary>
public sealed record CampaignView(
    string Id,
    string Name,
    string Objective,
    string Status,
    string DestinationUrl,
    string Currency,
    DateOnly? StartsOn,
    DateOnly? EndsOn,
    int? Capacity,
    int AttributionWindowDays,
    int HoldingPeriodDays,
    RewardRules Rewards,
    int Members,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public static CampaignView From(Campaign c) => From(CampaignRecord.From(c));

    public static CampaignView From(CampaignRecord c) => new(
        c.Id, c.Name, c.Objective.Name(), c.Status.Name(),
        c.DestinationUrl, c.Currency, c.StartsOn, c.EndsOn, c.Capacity, c.AttributionWindowDays,
        c.HoldingPeriodDays,
        new RewardRules(Money(c.Rewards.PerLead, c.Currency), Money(c.Rewards.PerSale, c.Currency), c.Rewards.SalePercent,
            c.Rewards.SecondDegreePercent),
        c.Members, c.CreatedAt, c.UpdatedAt, c.Version);

    private static decimal? Money(decimal? amount, string currency) =>
        amount is { } a ? Currencies.WithMinorUnits(a, currency) : null;
}


public static class CampaignApi
{
    public static RouteGroupBuilder MapCampaigns(this IEndpointRouteBuilder routes)
    {
        // Every /api/v1/campaigns route is here; each sub-group sets its tag and who may call it.
        var campaigns = routes.MapGroup("/api/v1/campaigns");
        var group = campaigns.MapGroup("").WithTags("Campaigns").RequireAuthorization(ApiPolicies.Manager);

        group.MapPost("/", CreateAsync)
            .WithName("CreateCampaign")
            .Refuses(400, 422)
            .WithSummary("Create a campaign")
            .WithDescription("Sets up a campaign with its objective, destination, currency, windows, capacity and reward rules.");

        group.MapGet("/", ListAsync)
            .WithName("ListCampaigns")
            .Refuses(400, 422)
            .WithSummary("List campaigns")
            .WithDescription("Newest first, optionally only those with one status; paged with limit and offset.");

        group.MapGet("/{id}/ambassadors", RosterAsync)
            .WithName("ListCampaignAmbassadors")
            .Refuses(400, 404, 422)
            .WithSummary("List a campaign's ambassadors")
            .WithDescription("The roster in the order people joined: who, their referral code and tracked link.");

        group.MapGet("/{id}", GetAsync)
            .WithName("GetCampaign")
            .Refuses(404)
            .WithSummary("Get a campaign")
            .WithDescription("The campaign's settings, reward rules (money with the currency's decimals) and how many members it has. 404 for an unknown id.");

        group.MapPatch("/{id}", UpdateAsync)
            .WithName("UpdateCampaign")
            .Accepts<UpdateCampaignRequest>(MergePatch.ContentType, "application/json")
            .Refuses(400, 404, 409, 415, 422)
            .WithSummary("Change a campaign")
            .WithDescription("A JSON Merge Patch (RFC 7396): a field left out stays as it is; null clears an optional field " +
                "(capacity, startsOn, endsOn, a reward rule, or rewards as a whole); null or an empty string for a field that " +
                "cannot be empty (name, objective, status, destinationUrl, currency, attributionWindowDays, holdingPeriodDays) is a 422. " +
                "Inside rewards, a rule left out stays as it is. The currency cannot change; capacity cannot go below the members already enrolled.");

        group.MapPost("/{id}/ambassadors", EnrolAsync)
            .WithName("AddAmbassadorToCampaign")
            .Refuses(400, 404, 409, 422)
            .WithSummary("Add an ambassador to a campaign")
            .WithDescription("Gives the ambassador a referral code (unique across the system, case-insensitive) and a tracked link per campaign and content piece. 409 when the code is taken or the campaign is full.");

        campaigns.MapGroup("").WithTags("Recruitment").RequireAuthorization(ApiPolicies.Manager).MapApplications();

        campaigns.MapGroup("").WithTags("Content").RequireAuthorization(ApiPolicies.Manager)
            .MapPost("/{id}/content", ContentApi.CreateAsync)
            .WithName("CreateContent")
            .Refuses(400, 404, 422)
            .WithSummary("Publish a content piece in a campaign")
            .WithDescription("Every member of the campaign gets a tracked link for the piece. The destination defaults to the campaign's.");

        campaigns.MapStats(StatsSubject.Campaign, "cmp", "GetCampaignStats", "A campaign's results",
            StatsApi.Description + " content holds the funnel reach, clicks, leads, sales per content piece.");

        campaigns.MapGroup("").WithTags("Stats").RequireAuthorization(ApiPolicies.Manager)
            .MapGet("/{id}/clicks", ClickList.ListAsync)
            .WithName("ListCampaignClicks")
            .Refuses(404, 422)
            .WithSummary("List a campaign's raw clicks")
            .WithDescription("Newest first; flagged=true lists only the clicks flagged for review (more than 30 a minute from one address). " +
                "Addresses are shown only as a hash. Clicks reach this list within a second or two of the redirect.");

        return campaigns;
    }

    private static async Task<Results<Created<CampaignView>, ProblemHttpResult>> CreateAsync(
        CreateCampaignRequest request, IGrainFactory grains)
    {
        var check = new Validation();
        var name = check.Required("name", request.Name, 200);
        var objective = check.OneOf<CampaignObjective>("objective", request.Objective, required: true);
        var status = check.OneOf<CampaignStatus>("status", request.Status, required: false) ?? CampaignStatus.Active;
        var destination = check.Url("destinationUrl", request.DestinationUrl, required: true);
        var currency = check.Currency("currency", request.Currency, required: true);
        check.Range("capacity", request.Capacity, 1, 1_000_000);
        check.Range("attributionWindowDays", request.AttributionWindowDays, 1, 365);
        check.Range("holdingPeriodDays", request.HoldingPeriodDays, 0, 365);
        var rewards = CheckRewards(check, request.Rewards, currency);
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var draft = new CampaignDraft(name, objective!.Value, destination!, currency!, request.StartsOn, request.EndsOn,
            request.Capacity, request.AttributionWindowDays ?? 30, request.HoldingPeriodDays ?? 14, rewards, status);
        var result = await grains.GetGrain<ICampaignGrain>(Ids.New("cmp")).CreateAsync(draft);
        return result.Failure is { } failure
            ? Problems.From(failure)
            : TypedResults.Created($"/api/v1/campaigns/{result.Value!.Id}", CampaignView.From(result.Value));
    }

    private static async Task<Results<Ok<Page<CampaignView>>, ProblemHttpResult>> ListAsync(
        [AsParameters] Paging paging,
        [Description("Only campaigns with this status: draft, recruiting, active, paused or ended.")] string? status,
        AppDbContext db, CancellationToken cancellationToken)
    {
        var check = paging.Check();
        var wanted = check.OneOf<CampaignStatus>("status", status, required: false);
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var query = db.Campaigns.AsNoTracking();
        if (wanted is { } s) query = query.Where(c => c.Status == s);
        var total = await query.CountAsync(cancellationToken);
        var campaigns = await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id)
            .Skip(paging.Skip).Take(paging.Take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<CampaignView>(campaigns.Select(c => CampaignView.From(c)).ToList(), total, paging.Take, paging.Skip));
    }

    private static async Task<Results<Ok<Page<RosterEntry>>, ProblemHttpResult>> RosterAsync(
        string id, [AsParameters] Paging paging, AppDbContext db, PublicLinks links, CancellationToken cancellationToken)
    {
        var check = paging.Check();
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (!Ids.LooksLike(id, "cmp") || !await db.Campaigns.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return Problems.NotFound($"No campaign {id}.");
        }
        var members = db.Memberships.AsNoTracking().Where(m => m.CampaignId == id);
        var total = await members.CountAsync(cancellationToken);
        var rows = await (
                from m in members
                join a in db.Ambassadors on m.AmbassadorId equals a.Id
                orderby m.JoinedAt, m.AmbassadorId
                select new { m.AmbassadorId, a.Name, a.Email, m.ReferralCode, m.JoinedAt })
            .Skip(paging.Skip).Take(paging.Take).ToListAsync(cancellationToken);
        var entries = rows.Select(r => new RosterEntry(r.AmbassadorId, r.Name, r.Email, r.ReferralCode, links.For(r.ReferralCode), r.JoinedAt)).ToList();
        return TypedResults.Ok(new Page<RosterEntry>(entries, total, paging.Take, paging.Skip));
    }

    private static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> GetAsync(
        [Description("The campaign id.")] string id, IGrainFactory grains)
    {
        if (!Ids.LooksLike(id, "cmp")) return Problems.NotFound($"No campaign {id}.");
        return await grains.GetGrain<ICampaignGrain>(id).GetAsync() is { } campaign
            ? TypedResults.Ok(CampaignView.From(campaign))
            : Problems.NotFound($"No campaign {id}.");
    }

    private static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> UpdateAsync(
        string id, HttpRequest http, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var patch = await MergePatch.ReadAsync<UpdateCampaignRequest>(http, json.Value.SerializerOptions);
        var request = patch.Value;
        if (!Ids.LooksLike(id, "cmp")) return Problems.NotFound($"No campaign {id}.");
        var grain = grains.GetGrain<ICampaignGrain>(id);
        var current = await grain.GetAsync();
        if (current is null) return Problems.NotFound($"No campaign {id}.");

        var check = new Validation();
        // These always have a value: sent, they must carry one ("" and null are refused, never silently ignored).
        foreach (var field in new[] { "name", "objective", "status", "destinationUrl", "currency", "attributionWindowDays", "holdingPeriodDays" })
        {
            if (patch.Cleared(field)) check.Add(field, $"'{field}' cannot be cleared; leave it out to keep it as it is.");
        }
        var name = request.Name is null ? null : check.Required("name", request.Name, 200);
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
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var result = await grain.UpdateAsync(new CampaignChanges(name, objective, status, destination, request.StartsOn,
            request.EndsOn, request.Capacity, request.AttributionWindowDays, request.HoldingPeriodDays, rewards,
            ClearCapacity: patch.Cleared("capacity"), ClearStartsOn: patch.Cleared("startsOn"), ClearEndsOn: patch.Cleared("endsOn")));
        return result.Failure is { } failure ? Problems.From(failure) : TypedResults.Ok(CampaignView.From(result.Value!));
    }

    private static async Task<Results<Created<MembershipResponse>, Ok<MembershipResponse>, ProblemHttpResult>> EnrolAsync(
        string id, EnrolRequest request, IGrainFactory grains, PublicLinks links)
    {
        var check = new Validation();
        var ambassadorId = check.Required("ambassadorId", request.AmbassadorId, 40);
        if (request.ReferralCode is not null && ReferralCodeFormat.Problem(request.ReferralCode) is { } codeProblem)
        {
            check.Add("referralCode", codeProblem);
        }
        if (request.ReferredBy is not null && ReferralCodeFormat.Problem(request.ReferredBy) is { } referrerProblem)
        {
            check.Add("referredBy", referrerProblem);
        }
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (!Ids.LooksLike(id, "cmp")) return Problems.NotFound($"No campaign {id}.");
        if (!Ids.LooksLike(ambassadorId, "amb")) return Problems.NotFound($"No ambassador {ambassadorId}.");

        var result = await grains.GetGrain<ICampaignGrain>(id).EnrolAsync(ambassadorId, request.ReferralCode, request.ReferredBy);
        if (result.Failure is { } failure) return Problems.From(failure);
        var membership = result.Value!;
        var response = new MembershipResponse(membership.AmbassadorId, membership.CampaignId, membership.ReferralCode,
            links.For(membership.ReferralCode), membership.JoinedAt, membership.ReferredBy);
        return result.Created
            ? TypedResults.Created($"/api/v1/ambassadors/{membership.AmbassadorId}/links", response)
            : TypedResults.Ok(response);
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
            if (value is { } percent && (percent < 0 || percent > 100 || decimal.Round(percent, 4) != percent))
            {
                check.Add(field, $"'{field}' must be between 0 and 100, with at most 4 decimals.");
            }
        }
        return new RewardRules(rewards.PerLead, rewards.PerSale, rewards.SalePercent, rewards.SecondDegreePercent);
    }
}
