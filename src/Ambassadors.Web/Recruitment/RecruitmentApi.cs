using System.ComponentModel;
using System.Security.Claims;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Recruitment;

/// <summary>An application as the API shows it, with its score, the parts and the campaign's weights that make it.</summary>
public sealed record ApplicationView(
    string Id,
    string CampaignId,
    string Name,
    string Email,
    string Country,
    string Status,
    double? Score,
    IReadOnlyDictionary<string, double>? ScoreParts,
    IReadOnlyDictionary<string, decimal>? Weights,
    int? MotivationRating,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? DecidedAt,
    string? AmbassadorId)
{
    public static ApplicationView From(ScoredApplication scored, ScoringWeights weights) => From(scored.Application) with
    {
        Score = scored.Score,
        ScoreParts = scored.Parts.Named.ToDictionary(p => p.Name, p => Math.Round(p.Value, 4)),
        Weights = ApplicationScores.Named(weights).ToDictionary(w => w.Name, w => w.Weight),
    };

    public static ApplicationView From(Application a) => new(a.Id, a.CampaignId, a.Name, a.Email, a.Country, a.Status.Name(),
        null, null, null, a.MotivationRating, a.SubmittedAt, a.DecidedAt, a.AmbassadorId);
}

public sealed record OutboxMessageView(string Id, string Kind, string To, string Subject, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

public sealed record InvitationView(string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Recruitment's API: the applications of a campaign (mapped inside the campaigns' group), the decisions on one
/// application, the outbox, and an ambassador's invitation (mapped inside the ambassadors' group).
/// </summary>
public static class RecruitmentApi
{
    public static IEndpointRouteBuilder MapRecruitment(this IEndpointRouteBuilder routes)
    {
        var applications = routes.MapGroup("/api/v1/applications").WithTags("Recruitment").RequireAuthorization(ApiPolicies.Manager);
        applications.MapPost("/{id}/accept", AcceptAsync)
            .WithName("AcceptApplication")
            .Refuses(404, 409)
            .WithSummary("Accept an application")
            .WithDescription("Makes the ambassador (or finds them by email), enrols them in the campaign with a code and links, and puts " +
                "an invitation (a single-use link, 7 days) in the outbox. 409 when the campaign is full or has ended (nothing changed); " +
                "accepting again answers 200 without a change.");
        applications.MapPost("/{id}/decline", DeclineAsync)
            .WithName("DeclineApplication")
            .Refuses(404, 409, 422)
            .WithSummary("Decline an application")
            .WithDescription("notify=true also puts a kind message for the applicant in the outbox. 409 after an accept.");
        applications.MapPost("/{id}/waitlist", WaitlistAsync)
            .WithName("WaitlistApplication")
            .Refuses(404, 409)
            .WithSummary("Put an application on the waiting list")
            .WithDescription("The same decision again answers 200 without a change; 409 after an accept.");

        routes.MapGroup("/api/v1/outbox").WithTags("Recruitment").RequireAuthorization(ApiPolicies.Manager)
            .MapGet("/", OutboxAsync)
            .WithName("ListOutbox")
            .Refuses(400, 422)
            .WithSummary("List the outbox")
            .WithDescription("What a mail sender sends (invitations, kind declines, password resets), newest first; paged with limit and offset.");
        return routes;
    }

    /// <summary><c>GET /api/v1/campaigns/{id}/applications</c>, inside the campaigns' group.</summary>
    public static RouteHandlerBuilder MapApplications(this RouteGroupBuilder campaigns) =>
        campaigns.MapGet("/{id}/applications", ListAsync)
            .WithName("ListCampaignApplications")
            .Refuses(404, 422)
            .WithSummary("List a campaign's applications")
            .WithDescription("Highest score first. The score is the sum of weight x part over reach, engagement, motivation, countryFit " +
                "and pastResults (each 0 to 1; the formula is in docs/decisions.md); each application carries its parts and the campaign's weights.");

    /// <summary><c>POST /api/v1/ambassadors/{id}/invitation</c>, inside the ambassadors' group.</summary>
    public static RouteHandlerBuilder MapInvitation(this RouteGroupBuilder ambassadors) =>
        ambassadors.MapPost("/{id}/invitation", InviteAsync)
            .WithName("CreateInvitation")
            .Refuses(404)
            .WithSummary("Invite an ambassador to the portal")
            .WithDescription("A single-use link (7 days) with which the ambassador sets a password; also put in the outbox. Only its hash is stored.");

    private static async Task<Results<Ok<List<ApplicationView>>, ProblemHttpResult>> ListAsync(
        [Description("The campaign id.")] string id,
        [Description("Only applications with this status: new, accepted, declined or waitlisted.")] string? status,
        AppDbContext db, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var wanted = check.OneOf<ApplicationStatus>("status", status, required: false);
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        var campaign = Ids.LooksLike(id, "cmp") ? await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
        if (campaign is null) return Problems.NotFound($"No campaign {id}.");
        var review = await Review.ListAsync(db, campaign, new ReviewQuery(wanted), cancellationToken);
        return TypedResults.Ok(review.Items.Select(s => ApplicationView.From(s, campaign.Scoring)).ToList());
    }

    private static Task<Results<Ok<ApplicationView>, ProblemHttpResult>> AcceptAsync(
        string id, Decisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        AnswerAsync(id, () => decisions.AcceptAsync(null, [id], Actor(user), cancellationToken));

    private static Task<Results<Ok<ApplicationView>, ProblemHttpResult>> DeclineAsync(
        string id, [Description("true: put a kind message for the applicant in the outbox.")] bool? notify,
        Decisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        AnswerAsync(id, () => decisions.DecideAsync(null, [id], ApplicationStatus.Declined, notify == true, Actor(user), cancellationToken));

    private static Task<Results<Ok<ApplicationView>, ProblemHttpResult>> WaitlistAsync(
        string id, Decisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        AnswerAsync(id, () => decisions.DecideAsync(null, [id], ApplicationStatus.Waitlisted, false, Actor(user), cancellationToken));

    private static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> AnswerAsync(
        string id, Func<Task<Result<IReadOnlyList<Application>>>> decide)
    {
        if (!Ids.LooksLike(id, "app")) return Problems.NotFound($"No application {id}.");
        var result = await decide();
        return result.Failure is { } failure ? Problems.From(failure) : TypedResults.Ok(ApplicationView.From(result.Value![0]));
    }

    private static async Task<Results<Ok<Page<OutboxMessageView>>, ProblemHttpResult>> OutboxAsync(
        [AsParameters] Paging paging, AppDbContext db, CancellationToken cancellationToken)
    {
        var check = paging.Check();
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        var (messages, total) = await Outbox.PageAsync(db, paging.Skip, paging.Take, cancellationToken);
        return TypedResults.Ok(new Page<OutboxMessageView>(messages.Select(m =>
            new OutboxMessageView(m.Id, m.Kind.Name(), m.To, m.Subject, m.Body, m.Link, m.CreatedAt, m.SentAt)).ToList(), total, paging.Take, paging.Skip));
    }

    private static async Task<Results<Created<InvitationView>, ProblemHttpResult>> InviteAsync(
        string id, Decisions decisions, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "amb")) return Problems.NotFound($"No ambassador {id}.");
        var result = await decisions.InviteAsync(id, cancellationToken);
        return result.Failure is { } failure
            ? Problems.From(failure)
            : TypedResults.Created($"/api/v1/ambassadors/{id}", new InvitationView(result.Value!.Url, result.Value.ExpiresAt));
    }

    /// <summary>Who decided, as people read it: the key's name, or the signed-in person's email.</summary>
    public static string Actor(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown";
}

/// <summary>The outbox, newest first.</summary>
public static class Outbox
{
    public static async Task<(List<OutboxMessage> Messages, int Total)> PageAsync(AppDbContext db, int skip, int take, CancellationToken cancellationToken)
    {
        var total = await db.Outbox.CountAsync(cancellationToken);
        var messages = await db.Outbox.AsNoTracking().OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (messages, total);
    }
}
