using System.ComponentModel;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Missions;

public sealed record CreateMissionRequest(
    [property: Description("What the mission is called, 1-200 characters.")] string? Title,
    [property: Description("What members are asked to do, 1-20000 characters, line breaks kept.")] string? Brief,
    [property: Description("First day proof can be sent (UTC date, inclusive).")] DateOnly? StartsOn,
    [property: Description("Last day proof can be sent (UTC date, inclusive), on or after startsOn.")] DateOnly? DueOn,
    [property: Description("The bonus per accepted submission in the campaign's currency (its decimals at most); none means no bonus.")] decimal? Bonus = null);

public sealed record BonusView(decimal Amount, string Currency);

/// <summary>A mission as the API shows it, with how many submissions it has per status.</summary>
public sealed record MissionView(
    string Id, string CampaignId, string Title, string Brief, DateOnly StartsOn, DateOnly DueOn, BonusView? Bonus,
    DateTimeOffset CreatedAt, SubmissionCounts Submissions)
{
    public static MissionView From(Mission m, SubmissionCounts? counts = null) => new(m.Id, m.CampaignId, m.Title, m.Brief, m.StartsOn, m.DueOn,
        m.BonusMinor is { } b ? new BonusView(Currencies.FromMinor(b, m.Currency), m.Currency) : null, m.CreatedAt, counts ?? SubmissionCounts.None);
}

/// <summary>The bonus a submission earned: its amount and where it stands (pending, approved, paid).</summary>
public sealed record SubmissionBonusView(decimal Amount, string Currency, string Status, DateTimeOffset AvailableAt);

/// <summary>A submission as the API shows it, with its review and bonus.</summary>
public sealed record SubmissionView(
    string Id, string MissionId, string CampaignId, string AmbassadorId, string ProofUrl, string? Note, string Status,
    DateTimeOffset SubmittedAt, DateTimeOffset? ReviewedAt, string? ReviewedBy, string? RejectionReason, SubmissionBonusView? Bonus)
{
    public static SubmissionView From(MissionSubmission s, LedgerEntry? bonus, DateTimeOffset now) => new(
        s.Id, s.MissionId, s.CampaignId, s.AmbassadorId, s.ProofUrl, s.Note, s.Status.Name(), s.SubmittedAt, s.ReviewedAt, s.ReviewedBy,
        s.RejectionReason,
        bonus is null ? null : new SubmissionBonusView(Currencies.FromMinor(bonus.AmountMinor, bonus.Currency), bonus.Currency,
            LedgerRules.StatusOf(bonus, now).Name(), bonus.AvailableAt));
}

public sealed record RejectRequest([property: Description("Why, as the member reads it: 1-500 characters.")] string? Reason);

/// <summary>Missions' API: a campaign's missions, one mission, its submissions, and the review of a submission (manager, admin).</summary>
public static class MissionApi
{
    public static IEndpointRouteBuilder MapMissions(this IEndpointRouteBuilder routes)
    {
        var campaigns = routes.MapGroup("/api/v1/campaigns").WithTags("Missions").RequireAuthorization(ApiPolicies.Manager);
        campaigns.MapPost("/{id}/missions", CreateAsync)
            .WithName("CreateMission")
            .Refuses(400, 404, 422)
            .WithSummary("Create a mission in a campaign")
            .WithDescription("A themed task for the campaign's members: a title, a brief, the UTC days it runs (startsOn..dueOn, inclusive) " +
                "and an optional bonus in the campaign's currency, added to the ledger for each accepted submission.");
        campaigns.MapGet("/{id}/missions", ListAsync)
            .WithName("ListCampaignMissions")
            .Refuses(404)
            .WithSummary("List a campaign's missions")
            .WithDescription("Latest start first, each with its submissions counted per status.");

        var missions = routes.MapGroup("/api/v1/missions").WithTags("Missions").RequireAuthorization(ApiPolicies.Manager);
        missions.MapGet("/{id}", GetAsync)
            .WithName("GetMission")
            .Refuses(404)
            .WithSummary("Get a mission")
            .WithDescription("The mission with its submissions counted per status.");
        missions.MapGet("/{id}/submissions", SubmissionsAsync)
            .WithName("ListMissionSubmissions")
            .Refuses(404, 422)
            .WithSummary("List a mission's submissions")
            .WithDescription("Newest first: each member's proof link and note, its status (submitted, accepted, rejected), review and bonus.");

        var submissions = routes.MapGroup("/api/v1/submissions").WithTags("Missions").RequireAuthorization(ApiPolicies.Manager);
        submissions.MapPost("/{id}/accept", AcceptAsync)
            .WithName("AcceptSubmission")
            .Refuses(404, 409)
            .WithSummary("Accept a submission")
            .WithDescription("The mission's bonus becomes a reward in the ledger exactly once (pending for the campaign's holding period, " +
                "then approved and paid like any reward). Accepting again answers 200 without a change; a rejected submission is a 409 " +
                "until the member sends it again.");
        submissions.MapPost("/{id}/reject", RejectAsync)
            .WithName("RejectSubmission")
            .Refuses(400, 404, 409, 422)
            .WithSummary("Reject a submission with a reason")
            .WithDescription("The member reads the reason and may send the proof again while the mission runs. Rejecting again answers 200 " +
                "without a change; an accepted submission is final (409).");
        return routes;
    }

    private static async Task<Results<Created<MissionView>, ProblemHttpResult>> CreateAsync(
        [Description("The campaign id.")] string id, CreateMissionRequest request, MissionService missions, HttpContext http,
        CancellationToken cancellationToken)
    {
        var result = await missions.CreateAsync(id, new MissionInput(request.Title, request.Brief, request.StartsOn, request.DueOn, request.Bonus),
            StaffActor.Of(http.User).Audit, cancellationToken);
        return result.Failure is { } failure
            ? Problems.From(failure)
            : TypedResults.Created($"/api/v1/missions/{result.Value!.Id}", MissionView.From(result.Value));
    }

    private static async Task<Results<Ok<List<MissionView>>, ProblemHttpResult>> ListAsync(
        [Description("The campaign id.")] string id, MissionService missions, AppDbContext db, CancellationToken cancellationToken)
    {
        if (await missions.ListAsync(id, cancellationToken) is not { } list) return Problems.NotFound($"No campaign {id}.");
        var counts = await MissionService.CountsAsync(db, list.Select(m => m.Id).ToList(), cancellationToken);
        return TypedResults.Ok(list.Select(m => MissionView.From(m, counts.GetValueOrDefault(m.Id))).ToList());
    }

    private static async Task<Results<Ok<MissionView>, ProblemHttpResult>> GetAsync(
        [Description("The mission id.")] string id, MissionService missions, AppDbContext db, CancellationToken cancellationToken)
    {
        if (await missions.FindAsync(id, cancellationToken) is not { } mission) return Problems.NotFound($"No mission {id}.");
        var counts = await MissionService.CountsAsync(db, [id], cancellationToken);
        return TypedResults.Ok(MissionView.From(mission, counts.GetValueOrDefault(id)));
    }

    private static async Task<Results<Ok<List<SubmissionView>>, ProblemHttpResult>> SubmissionsAsync(
        [Description("The mission id.")] string id,
        [Description("Only submissions with this status: submitted, accepted or rejected.")] string? status,
        AppDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var wanted = check.OneOf<SubmissionStatus>("status", status, required: false);
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (!Ids.LooksLike(id, "msn") || !await db.Missions.AnyAsync(m => m.Id == id, cancellationToken)) return Problems.NotFound($"No mission {id}.");
        var submissions = await MissionService.SubmissionsOf(db, id, wanted).ToListAsync(cancellationToken);
        var bonuses = await MissionService.BonusesAsync(db, submissions.Select(s => s.Id).ToList(), cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(submissions.Select(s => SubmissionView.From(s, bonuses.GetValueOrDefault(s.Id), now)).ToList());
    }

    private static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> AcceptAsync(
        [Description("The submission id.")] string id, MissionService missions, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await missions.AcceptAsync(id, StaffActor.Of(http.User).Audit, cancellationToken), clock);

    private static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> RejectAsync(
        [Description("The submission id.")] string id, RejectRequest request, MissionService missions, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        Answer(await missions.RejectAsync(id, request.Reason, StaffActor.Of(http.User).Audit, cancellationToken), clock);

    private static Results<Ok<SubmissionView>, ProblemHttpResult> Answer(Result<SubmissionReview> result, TimeProvider clock) =>
        result.Failure is { } failure
            ? Problems.From(failure)
            : TypedResults.Ok(SubmissionView.From(result.Value!.Submission, result.Value.Bonus, clock.GetUtcNow()));
}
