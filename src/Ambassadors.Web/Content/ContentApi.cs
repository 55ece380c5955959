using Microsoft.EntityFrameworkCore;
using Ambassadors.Data;
using System.ComponentModel;
using System.Security.Claims;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Stats;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Ambassadors.Web.Content;

public sealed record CreateContentRequest(
    string? Title,
    string? Body = null,
    [property: Description("An image or video of the piece: an absolute http(s) URL.")] string? MediaUrl = null,
    [property: Description("Where this piece's links go; the campaign's destination when left out.")] string? DestinationUrl = null,
    [property: Description("An exclusive preview until this instant (ISO 8601 with its offset, e.g. 2026-12-12T09:00:00+01:00): " +
        "before it only the campaign's members see the piece; from it on the piece is public. Left out: public at once.")]
    string? EmbargoUntil = null);

public sealed record UpdateContentRequest(
    string? Title = null,
    string? Body = null,
    [property: Description("An absolute http(s) URL; null clears it.")] string? MediaUrl = null,
    [property: Description("An absolute http(s) URL; null goes back to the campaign's destination.")] string? DestinationUrl = null,
    [property: Description("ISO 8601 with its offset; null ends the embargo (the piece is public).")] string? EmbargoUntil = null);

public static class ContentApi
{
    public static RouteGroupBuilder MapContent(this IEndpointRouteBuilder routes)
    {
        // Pieces are created and listed under their campaign (/api/v1/campaigns/{id}/content, mapped with the campaign's routes).
        var content = routes.MapGroup("/api/v1/content");
        var manager = content.MapGroup("").WithTags("Content").RequireAuthorization(ApiPolicies.Manager);
        manager.MapGet("/{id}", GetAsync)
            .WithName("GetContent")
            .Refuses(404)
            .WithSummary("Get a content piece")
            .WithDescription("The piece, its embargo and where its links send people (its own destination or the campaign's). 404 for an unknown id.");
        manager.MapPatch("/{id}", UpdateAsync)
            .WithName("UpdateContent")
            .Accepts<UpdateContentRequest>(MergePatch.ContentType, "application/json")
            .Refuses(400, 404, 415, 422)
            .WithSummary("Change a content piece")
            .WithDescription("A JSON Merge Patch (RFC 7396): a field left out stays as it is; null clears body, mediaUrl, destinationUrl " +
                "(back to the campaign's) or embargoUntil (public at once); title cannot be cleared. Every change is audited.");

        content.MapStats(StatsSubject.Content, "cnt", "GetContentStats", "A content piece's results",
            StatsApi.Description + " potentialReach counts the followers of the ambassadors who drew at least one click with the piece; funnel is reach, clicks, leads, sales.");
        return content;
    }

    /// <summary>POST /api/v1/campaigns/{id}/content.</summary>
    public static async Task<Results<Created<ContentView>, ProblemHttpResult>> CreateAsync(
        string id, CreateContentRequest request, IGrainFactory grains, AppDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var fields = ContentInput.Fields(check, request.Title, request.Body, request.MediaUrl, request.DestinationUrl);
        var embargo = ContentInput.Embargo(check, request.EmbargoUntil);
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (!Ids.LooksLike(id, "cmp")) return Problems.NotFound($"No campaign {id}.");

        var result = await PublishAsync(grains, id, fields, embargo, new ContentActor(user.Actor(), user.Identity?.Name));
        return result.Failure is { } failure
            ? Problems.From(failure)
            : TypedResults.Created($"/api/v1/content/{result.Value!.Id}", await ViewAsync(result.Value, db, cancellationToken));
    }

    /// <summary>Creates a piece (a new id) and every member's link for it: the one way in, for the API and the library's form.</summary>
    public static Task<Result<ContentRecord>> PublishAsync(
        IGrainFactory grains, string campaignId, ContentFields fields, DateTimeOffset? embargo, ContentActor by) =>
        grains.GetGrain<IContentGrain>(Ids.New("cnt"))
            .CreateAsync(new ContentDraft(campaignId, fields.Title, fields.Body, fields.MediaUrl, fields.DestinationUrl, embargo, by));

    /// <summary>GET /api/v1/campaigns/{id}/content: newest first, paged.</summary>
    public static async Task<Results<Ok<Page<ContentView>>, ProblemHttpResult>> ListAsync(
        string id, [AsParameters] Paging paging, AppDbContext db, CancellationToken cancellationToken)
    {
        var check = paging.Check();
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        var campaign = Ids.LooksLike(id, "cmp")
            ? await db.Campaigns.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.DestinationUrl }).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (campaign is null) return Problems.NotFound($"No campaign {id}.");
        var pieces = db.Content.AsNoTracking().Where(c => c.CampaignId == id);
        var total = await pieces.CountAsync(cancellationToken);
        var page = await pieces.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip(paging.Skip).Take(paging.Take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ContentView>(
            page.Select(p => ContentView.Of(ContentRecord.From(p), campaign.DestinationUrl)).ToList(), total, paging.Take, paging.Skip));
    }

    private static async Task<Results<Ok<ContentView>, ProblemHttpResult>> GetAsync(
        string id, IGrainFactory grains, AppDbContext db, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "cnt")) return Problems.NotFound($"No content {id}.");
        return await grains.GetGrain<IContentGrain>(id).GetAsync() is { } content
            ? TypedResults.Ok(await ViewAsync(content, db, cancellationToken))
            : Problems.NotFound($"No content {id}.");
    }

    private static async Task<Results<Ok<ContentView>, ProblemHttpResult>> UpdateAsync(
        string id, HttpRequest http, IGrainFactory grains, AppDbContext db, IOptions<JsonOptions> json, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var patch = await MergePatch.ReadAsync<UpdateContentRequest>(http, json.Value.SerializerOptions);
        if (!Ids.LooksLike(id, "cnt")) return Problems.NotFound($"No content {id}.");
        var grain = grains.GetGrain<IContentGrain>(id);
        if (await grain.GetAsync() is not { } current) return Problems.NotFound($"No content {id}.");
        var (check, edit) = ContentInput.Patch(patch, current);
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        var result = await grain.UpdateAsync(edit, new ContentActor(user.Actor(), user.Identity?.Name));
        return result.Failure is { } failure ? Problems.From(failure) : TypedResults.Ok(await ViewAsync(result.Value!, db, cancellationToken));
    }

    /// <summary>The piece as the API shows it: where its links send people now (its own destination or its campaign's).</summary>
    private static async Task<ContentView> ViewAsync(ContentRecord piece, AppDbContext db, CancellationToken cancellationToken)
    {
        var destination = piece.DestinationUrl ?? await db.Campaigns.Where(c => c.Id == piece.CampaignId)
            .Select(c => c.DestinationUrl).SingleAsync(cancellationToken);
        return ContentView.Of(piece, destination);
    }
}

public sealed record ContentView(
    string Id, string CampaignId, string Title, string? Body, string? MediaUrl, string DestinationUrl, bool UsesCampaignDestination,
    DateTimeOffset CreatedAt,
    [property: Description("Exclusive preview until this instant (UTC); absent: public.")] DateTimeOffset? EmbargoUntil,
    DateTimeOffset? UpdatedAt)
{
    public static ContentView Of(ContentRecord piece, string campaignDestination) =>
        new(piece.Id, piece.CampaignId, piece.Title, piece.Body, piece.MediaUrl, piece.DestinationUrl ?? campaignDestination,
            piece.DestinationUrl is null, piece.CreatedAt, piece.EmbargoUntil, piece.UpdatedAt);
}
