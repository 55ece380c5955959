using Microsoft.EntityFrameworkCore;
using Ambassadors.Data;
using System.ComponentModel;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Stats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ambassadors.Web.Content;

public sealed record CreateContentRequest(
    string? Title,
    string? Body = null,
    [property: Description("An image or video of the piece: an absolute http(s) URL.")] string? MediaUrl = null,
    [property: Description("Where this piece's links go; the campaign's destination when left out.")] string? DestinationUrl = null);

public static class ContentApi
{
    public static RouteGroupBuilder MapContent(this IEndpointRouteBuilder routes)
    {
        // Pieces are created under their campaign (POST /api/v1/campaigns/{id}/content, mapped with the campaign's routes).
        var content = routes.MapGroup("/api/v1/content");
        content.MapGroup("").WithTags("Content").RequireAuthorization(ApiPolicies.Manager)
            .MapGet("/{id}", GetAsync)
            .WithName("GetContent")
            .Refuses(404)
            .WithSummary("Get a content piece")
            .WithDescription("The piece and where its links send people (its own destination or the campaign's). 404 for an unknown id.");

        content.MapStats(StatsSubject.Content, "cnt", "GetContentStats", "A content piece's results",
            StatsApi.Description + " potentialReach counts the followers of the ambassadors who drew at least one click with the piece; funnel is reach, clicks, leads, sales.");
        return content;
    }

    /// <summary>POST /api/v1/campaigns/{id}/content.</summary>
    public static async Task<Results<Created<ContentView>, ProblemHttpResult>> CreateAsync(
        string id, CreateContentRequest request, IGrainFactory grains, AppDbContext db, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var title = check.Required("title", request.Title, 200);
        var body = check.Optional("body", request.Body, 20_000, multiline: true);
        var media = check.Url("mediaUrl", request.MediaUrl, required: false);
        var destination = check.Url("destinationUrl", request.DestinationUrl, required: false);
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (!Ids.LooksLike(id, "cmp")) return Problems.NotFound($"No campaign {id}.");

        var result = await grains.GetGrain<IContentGrain>(Ids.New("cnt"))
            .CreateAsync(new ContentDraft(id, title, body, media, destination));
        return result.Failure is { } failure
            ? Problems.From(failure)
            : TypedResults.Created($"/api/v1/content/{result.Value!.Id}", await ViewAsync(result.Value, db, cancellationToken));
    }

    private static async Task<Results<Ok<ContentView>, ProblemHttpResult>> GetAsync(
        string id, IGrainFactory grains, AppDbContext db, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "cnt")) return Problems.NotFound($"No content {id}.");
        return await grains.GetGrain<IContentGrain>(id).GetAsync() is { } content
            ? TypedResults.Ok(await ViewAsync(content, db, cancellationToken))
            : Problems.NotFound($"No content {id}.");
    }

    /// <summary>The piece as the API shows it: where its links send people now (its own destination or its campaign's).</summary>
    private static async Task<ContentView> ViewAsync(ContentRecord piece, AppDbContext db, CancellationToken cancellationToken)
    {
        var destination = piece.DestinationUrl ?? await db.Campaigns.Where(c => c.Id == piece.CampaignId)
            .Select(c => c.DestinationUrl).SingleAsync(cancellationToken);
        return new ContentView(piece.Id, piece.CampaignId, piece.Title, piece.Body, piece.MediaUrl, destination,
            piece.DestinationUrl is null, piece.CreatedAt);
    }
}

public sealed record ContentView(
    string Id, string CampaignId, string Title, string? Body, string? MediaUrl, string DestinationUrl, bool UsesCampaignDestination,
    DateTimeOffset CreatedAt);
