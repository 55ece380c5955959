using Ambassadors.Data;
using System.ComponentModel;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ambassadors.Web.Content;

public sealed record CreateContentRequest(
    string? Title,
    string? Body = null,
    [property: Description("An image or video of the piece: an absolute http(s) URL.")] string? MediaUrl = null,
    [property: Description("Where this piece's links go; the campaign's destination when left out.")] string? DestinationUrl = null);

public static class ContentApi
{
    public static IEndpointRouteBuilder MapContent(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/campaigns/{id}/content", CreateAsync)
            .WithTags("Content")
            .RequireAuthorization(ApiPolicies.Manager)
            .WithName("CreateContent")
            .Refuses(400, 404, 422)
            .WithSummary("Publish a content piece in a campaign")
            .WithDescription("Every member of the campaign gets a tracked link for the piece. The destination defaults to the campaign's.");

        routes.MapGet("/api/v1/content/{id}", GetAsync)
            .WithTags("Content")
            .RequireAuthorization(ApiPolicies.Manager)
            .WithName("GetContent")
            .Refuses(404)
            .WithSummary("Get a content piece")
            .WithDescription("The piece and where its links send people (its own destination or the campaign's). 404 for an unknown id.");

        return routes;
    }

    private static async Task<Results<Created<ContentView>, ProblemHttpResult>> CreateAsync(
        string id, CreateContentRequest request, IGrainFactory grains)
    {
        var check = new Validation();
        var title = check.Required("title", request.Title, 200);
        var body = check.Optional("body", request.Body, 20_000);
        var media = check.Url("mediaUrl", request.MediaUrl, required: false);
        var destination = check.Url("destinationUrl", request.DestinationUrl, required: false);
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (!Ids.LooksLike(id, "cmp")) return Problems.NotFound($"No campaign {id}.");

        var result = await grains.GetGrain<IContentGrain>(Ids.New("cnt"))
            .CreateAsync(new ContentDraft(id, title, body, media, destination));
        return result.Failure is { } failure
            ? Problems.From(failure)
            : TypedResults.Created($"/api/v1/content/{result.Value!.Id}", result.Value);
    }

    private static async Task<Results<Ok<ContentView>, ProblemHttpResult>> GetAsync(string id, IGrainFactory grains)
    {
        if (!Ids.LooksLike(id, "cnt")) return Problems.NotFound($"No content {id}.");
        return await grains.GetGrain<IContentGrain>(id).GetAsync() is { } content
            ? TypedResults.Ok(content)
            : Problems.NotFound($"No content {id}.");
    }
}
