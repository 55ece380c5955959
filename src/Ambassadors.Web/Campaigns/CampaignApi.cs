using System.ComponentModel;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.AmbassadorProfiles;
using Ambassadors.Web.Http;
using Ambassadors.Web.Content;
using Ambassadors.Web.Feedback;
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

public sealed record KpiRequest(
    [property: Description("clicks, uniqueVisitors, leads, sales or revenue.")] string? Metric,
    [property: Description("The number to reach, above 0: a whole number for a count, revenue with the currency's decimals.")] decimal? Target);

public sealed record ScoringRequest(
    [property: Description("Weight of potential reach (followers on a log scale), 0 to 100.")] decimal? Reach = null,
    [property: Description("Weight of engagement, when the applicant gives it, 0 to 100.")] decimal? Engagement = null,
    [property: Description("Weight of motivation, 0 to 100.")] decimal? Motivation = null,
    [property: Description("Weight of living in one of the target countries, 0 to 100.")] decimal? CountryFit = null,
    [property: Description("Weight of results caused in earlier campaigns, 0 to 100.")] decimal? PastResults = null);

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
    [property: Description("draft, recruiting, active (default), paused or ended.")] string? Status = null,
    [property: Description("The objective made measurable; the campaign's stats then carry kpiProgress.")] KpiRequest? Kpi = null,
    [property: Description("What the campaign is, as applicants read it (up to 4000 characters, line breaks kept).")] string? Description = null,
    [property: Description("The programme's terms applicants consent to (up to 20000 characters).")] string? Terms = null,
    [property: Description("ISO 3166-1 alpha-2 codes of the countries recruited in; none means anywhere.")] IReadOnlyList<string?>? TargetCountries = null,
    [property: Description("Weights of an applicant's score parts, each 0 to 100 (default 1 each).")] ScoringRequest? Scoring = null);

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
    [property: Description("Cannot change; accepted only when equal to the campaign's.")] string? Currency = null,
    [property: Description("Replaces the KPI (metric and target); null removes it.")] KpiRequest? Kpi = null,
    [property: Description("null or an empty string removes it.")] string? Description = null,
    [property: Description("null or an empty string removes them.")] string? Terms = null,
    [property: Description("Replaces the list; null or [] means anywhere.")] IReadOnlyList<string?>? TargetCountries = null,
    [property: Description("The weights to change: a weight sent replaces it, one left out stays.")] ScoringRequest? Scoring = null);

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
    long Version,
    KpiView? Kpi,
    string? Description,
    string? Terms,
    IReadOnlyList<string> TargetCountries,
    ScoringView Scoring)
{
    public static CampaignView From(Campaign c) => From(CampaignRecord.From(c));

    public static CampaignView From(CampaignRecord c) => new(
        c.Id, c.Name, c.Objective.Name(), c.Status.Name(),
        c.DestinationUrl, c.Currency, c.StartsOn, c.EndsOn, c.Capacity, c.AttributionWindowDays,
        c.HoldingPeriodDays,
        new RewardRules(Money(c.Rewards.PerLead, c.Currency), Money(c.Rewards.PerSale, c.Currency), c.Rewards.SalePercent,
            c.Rewards.SecondDegreePercent),
        c.Members, c.CreatedAt, c.UpdatedAt, c.Version,
        c.Kpi is { } kpi ? new KpiView(kpi.Metric, CampaignKpi.Target(kpi, c.Currency)) : null,
        c.Description, c.Terms, c.TargetCountries ?? [], ScoringView.From(c.Scoring ?? ScoringRecord.Default));

    private static decimal? Money(decimal? amount, string currency) =>
        amount is { } a ? Currencies.WithMinorUnits(a, currency) : null;
}

public sealed record KpiView(string Metric, decimal Target);

public sealed record ScoringView(decimal Reach, decimal Engagement, decimal Motivation, decimal CountryFit, decimal PastResults)
{
    public static ScoringView From(ScoringRecord s) => new(Plain(s.Reach), Plain(s.Engagement), Plain(s.Motivation), Plain(s.CountryFit), Plain(s.PastResults));

    /// <summary>A weight without trailing zeros (a database's numeric(9,4) reads 1 back as 1.0000).</summary>
    private static decimal Plain(decimal value) => value / 1.000000000000000000000000000000000m;
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

        group.MapMemberRemoval();
        campaigns.MapGroup("").WithTags("Recruitment").RequireAuthorization(ApiPolicies.Manager).MapApplications();

        campaigns.MapGroup("").WithTags("Content").RequireAuthorization(ApiPolicies.Manager)
            .MapPost("/{id}/content", ContentApi.CreateAsync)
            .WithName("CreateContent")
            .Refuses(400, 404, 422)
            .WithSummary("Publish a content piece in a campaign")
            .WithDescription("Every member of the campaign gets a tracked link for the piece. The destination defaults to the campaign's; " +
                "embargoUntil makes it an exclusive preview for the members until then.");
        campaigns.MapGroup("").WithTags("Content").RequireAuthorization(ApiPolicies.Manager)
            .MapGet("/{id}/content", ContentApi.ListAsync)
            .WithName("ListCampaignContent")
            .Refuses(404, 422)
            .WithSummary("List a campaign's content pieces")
            .WithDescription("Newest first, with each piece's embargo; paged with limit and offset.");
        campaigns.MapGroup("").WithTags("Feedback").RequireAuthorization(ApiPolicies.Manager)
            .MapGet("/{id}/feedback", FeedbackApi.ListAsync)
            .WithName("ListCampaignFeedback")
            .Refuses(404, 422)
            .WithSummary("A campaign's feedback")
            .WithDescription("The members' ratings (1-5) and comments on the campaign and its pieces: the average and count over all of them, " +
                "and the entries newest first (contentId absent: about the campaign), paged with limit and offset.");

        campaigns.MapStats(StatsSubject.Campaign, "cmp", "GetCampaignStats", "A campaign's results",
            StatsApi.Description + " content holds the funnel reach, clicks, leads, sales per content piece; kpiProgress the fraction of " +
            "the campaign's KPI target reached in the window (0.42 for 42 %; absent without a KPI).", CampaignKpi.WithProgressAsync);

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
        var input = CampaignInput.Create(request);
        if (input.Failure is { } invalid) return Problems.From(invalid);
        var draft = input.Value!;
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

        var changes = CampaignInput.Update(patch, current);
        if (changes.Failure is { } invalid) return Problems.From(invalid);
        var result = await grain.UpdateAsync(changes.Value!);
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
}
