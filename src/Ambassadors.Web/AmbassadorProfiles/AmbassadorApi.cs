using System.ComponentModel;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Recruitment;
using Ambassadors.Web.Stats;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ambassadors.Web.AmbassadorProfiles;

public sealed record SocialProfileRequest(
    [property: Description("instagram, tiktok, youtube, x, blog, ...")] string? Network,
    string? Handle,
    long? Followers);

public sealed record CreateAmbassadorRequest(
    string? Name,
    string? Email,
    List<SocialProfileRequest?>? SocialProfiles = null,
    [property: Description("ISO 3166-1 alpha-2 code, e.g. NL; any case, stored upper-case.")] string? Country = null);

public sealed record UpdateAmbassadorRequest(
    string? Name = null,
    string? Email = null,
    [property: Description("ISO 3166-1 alpha-2 code; null clears it.")] string? Country = null,
    [property: Description("Replaces every social profile; null or [] removes them all.")] List<SocialProfileRequest?>? SocialProfiles = null);

public sealed record SocialProfileView(string Network, string Handle, long Followers);

public sealed record AmbassadorView(
    string Id, string Name, string Email, string? Country, IReadOnlyList<SocialProfileView> SocialProfiles, long PotentialReach, DateTimeOffset CreatedAt)
{
    public static AmbassadorView From(Ambassador a) => From(AmbassadorRecord.From(a));

    public static AmbassadorView From(AmbassadorRecord a) => new(a.Id, a.Name, a.Email, a.Country,
        a.SocialProfiles.Select(p => new SocialProfileView(p.Network, p.Handle, p.Followers)).ToList(), a.PotentialReach, a.CreatedAt);
}

public sealed record LinkResponse(string Code, string Url, string CampaignId, string? ContentId, string? ContentTitle);

public static class AmbassadorApi
{
    public static RouteGroupBuilder MapAmbassadors(this IEndpointRouteBuilder routes)
    {
        // The /api/v1/ambassadors routes; each sub-group sets its tag and who may call it.
        var ambassadors = routes.MapGroup("/api/v1/ambassadors");
        var group = ambassadors.MapGroup("").WithTags("Ambassadors").RequireAuthorization(ApiPolicies.Manager);

        group.MapPost("/", CreateAsync)
            .WithName("CreateAmbassador")
            .Refuses(400, 409, 415, 422)
            .WithSummary("Create an ambassador")
            .WithDescription("Email is unique across ambassadors (409 on a duplicate, whatever its case). Followers across social profiles make the potential reach.");

        group.MapGet("/", ListAsync)
            .WithName("ListAmbassadors")
            .Refuses(400, 422)
            .WithSummary("List ambassadors")
            .WithDescription("Newest first; 'search' matches the name or email (case-insensitive). Paged with limit and offset.");

        group.MapGet("/{id}", GetAsync)
            .WithName("GetAmbassador")
            .Refuses(404)
            .WithSummary("Get an ambassador")
            .WithDescription("Profile, social profiles and potential reach (the sum of their followers). 404 for an unknown id.");

        group.MapPatch("/{id}", UpdateAsync)
            .WithName("UpdateAmbassador")
            .Accepts<UpdateAmbassadorRequest>(MergePatch.ContentType, "application/json")
            .Refuses(400, 404, 409, 415, 422)
            .WithSummary("Change an ambassador's profile")
            .WithDescription("A JSON Merge Patch (RFC 7396): a field left out stays as it is; null clears the country; socialProfiles " +
                "replaces the whole list (null or [] removes them all); null or an empty string for name or email is a 422. " +
                "Email stays unique (409). Every change is written to the audit log.");

        group.MapGet("/{id}/links", LinksAsync)
            .WithName("GetAmbassadorLinks")
            .Refuses(404)
            .WithSummary("List an ambassador's tracked links")
            .WithDescription("The campaign link of each membership, plus one link per content piece of that campaign. " +
                "Memberships a manager removed are left out: their links no longer earn (they still redirect).");

        ambassadors.MapGroup("").WithTags("Recruitment").RequireAuthorization(ApiPolicies.Manager).MapInvitation();

        ambassadors.MapStats(StatsSubject.Ambassador, "amb", "GetAmbassadorStats", "An ambassador's results",
            StatsApi.Description + " secondDegree holds the override rewards earned through members they referred.");
        return ambassadors;
    }

    private static async Task<Results<Created<AmbassadorView>, ProblemHttpResult>> CreateAsync(
        CreateAmbassadorRequest request, IGrainFactory grains)
    {
        var check = new Validation();
        var name = check.Required("name", request.Name, 200);
        var email = check.Email("email", request.Email);
        var profiles = ProfileRules.SocialProfiles(check, request.SocialProfiles);
        var country = ProfileRules.Country(check, request.Country);
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var result = await grains.GetGrain<IAmbassadorGrain>(Ids.New("amb")).CreateAsync(new AmbassadorDraft(name, email, profiles, country));
        return result.Failure is { } failure
            ? Problems.From(failure)
            : TypedResults.Created($"/api/v1/ambassadors/{result.Value!.Id}", AmbassadorView.From(result.Value));
    }

    private static async Task<Results<Ok<Page<AmbassadorView>>, ProblemHttpResult>> ListAsync(
        [AsParameters] Paging paging,
        [Description("Part of a name or email.")] string? search,
        AppDbContext db, CancellationToken cancellationToken)
    {
        var check = paging.Check();
        check.Length("search", search, 200);
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var query = db.Ambassadors.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(a => a.NormalizedEmail.Contains(term) || a.Name.ToLower().Contains(term));
        }
        var total = await query.CountAsync(cancellationToken);
        var ambassadors = await query.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id)
            .Skip(paging.Skip).Take(paging.Take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<AmbassadorView>(ambassadors.Select(a => AmbassadorView.From(a)).ToList(), total, paging.Take, paging.Skip));
    }

    private static async Task<Results<Ok<AmbassadorView>, ProblemHttpResult>> GetAsync(string id, IGrainFactory grains)
    {
        if (!Ids.LooksLike(id, "amb")) return Problems.NotFound($"No ambassador {id}.");
        return await grains.GetGrain<IAmbassadorGrain>(id).GetAsync() is { } ambassador
            ? TypedResults.Ok(AmbassadorView.From(ambassador))
            : Problems.NotFound($"No ambassador {id}.");
    }

    private static async Task<Results<Ok<AmbassadorView>, ProblemHttpResult>> UpdateAsync(
        string id, HttpRequest http, IGrainFactory grains, IOptions<JsonOptions> json, ClaimsPrincipal user)
    {
        var patch = await MergePatch.ReadAsync<UpdateAmbassadorRequest>(http, json.Value.SerializerOptions);
        var request = patch.Value;
        if (!Ids.LooksLike(id, "amb")) return Problems.NotFound($"No ambassador {id}.");
        var check = new Validation();
        foreach (var field in new[] { "name", "email" })
        {
            if (patch.Cleared(field)) check.Add(field, $"'{field}' cannot be cleared; leave it out to keep it as it is.");
        }
        var name = request.Name is null ? null : check.Required("name", request.Name, ProfileRules.MaxName);
        var email = request.Email is null ? null : check.Email("email", request.Email);
        var country = ProfileRules.Country(check, request.Country);
        var profiles = request.SocialProfiles is null
            ? patch.Cleared("socialProfiles") ? [] : null
            : ProfileRules.SocialProfiles(check, request.SocialProfiles);
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var changes = new AmbassadorChanges(name, email, country, patch.Cleared("country") || request.Country is "", profiles);
        var result = await grains.GetGrain<IAmbassadorGrain>(id).UpdateAsync(changes, new ChangedBy(user.Actor(), user.Identity?.Name));
        return result.Failure is { } failure ? Problems.From(failure) : TypedResults.Ok(AmbassadorView.From(result.Value!));
    }

    private static async Task<Results<Ok<List<LinkResponse>>, ProblemHttpResult>> LinksAsync(
        string id, AppDbContext db, PublicLinks links, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "amb") || !await db.Ambassadors.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return Problems.NotFound($"No ambassador {id}.");
        }
        var result = (await AmbassadorLinks.OfAsync(db, id, cancellationToken))
            .Where(l => l.RemovedAt is null)
            .Select(l => new LinkResponse(l.Code, links.For(l.Code), l.CampaignId, l.ContentId, l.ContentTitle))
            .ToList();
        return TypedResults.Ok(result);
    }
}
