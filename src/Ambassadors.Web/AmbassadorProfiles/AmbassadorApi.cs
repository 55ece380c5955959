using System.ComponentModel;
using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Recruitment;
using Ambassadors.Web.Stats;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles;

public sealed record SocialProfileRequest(
    [property: Description("instagram, tiktok, youtube, x, blog, ...")] string? Network,
    string? Handle,
    long? Followers);

public sealed record CreateAmbassadorRequest(string? Name, string? Email, List<SocialProfileRequest>? SocialProfiles = null);

public sealed record SocialProfileView(string Network, string Handle, long Followers);

public sealed record AmbassadorView(
    string Id, string Name, string Email, IReadOnlyList<SocialProfileView> SocialProfiles, long PotentialReach, DateTimeOffset CreatedAt)
{
    public static AmbassadorView From(Ambassador a) => From(AmbassadorRecord.From(a));

    public static AmbassadorView From(AmbassadorRecord a) => new(a.Id, a.Name, a.Email,
        a.SocialProfiles.Select(p => new SocialProfileView(p.Network, p.Handle, p.Followers)).ToList(), a.PotentialReach, a.CreatedAt);
}

public sealed record LinkResponse(string Code, string Url, string CampaignId, string? ContentId, string? ContentTitle);

public static class AmbassadorApi
{
    public const int MaxSocialProfiles = 20;

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

        group.MapGet("/{id}/links", LinksAsync)
            .WithName("GetAmbassadorLinks")
            .Refuses(404)
            .WithSummary("List an ambassador's tracked links")
            .WithDescription("The campaign link of each membership, plus one link per content piece of that campaign.");

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
        var profiles = new List<SocialProfileRecord>();
        if (request.SocialProfiles is { Count: > MaxSocialProfiles })
        {
            check.Add("socialProfiles", $"At most {MaxSocialProfiles} social profiles.");
        }
        foreach (var (profile, index) in (request.SocialProfiles ?? []).Select((p, i) => (p, i)))
        {
            var prefix = $"socialProfiles[{index}]";
            if (profile is null)
            {
                check.Add(prefix, $"'{prefix}' is empty.");
                continue;
            }
            var network = check.Required($"{prefix}.network", profile.Network, 50);
            var handle = check.Required($"{prefix}.handle", profile.Handle, 100);
            if (profile.Followers is null) check.Add($"{prefix}.followers", $"'{prefix}.followers' is required.");
            check.Range($"{prefix}.followers", profile.Followers, 0, 10_000_000_000);
            profiles.Add(new SocialProfileRecord(network.ToLowerInvariant(), handle, profile.Followers ?? 0));
        }
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var result = await grains.GetGrain<IAmbassadorGrain>(Ids.New("amb")).CreateAsync(new AmbassadorDraft(name, email, profiles));
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

    private static async Task<Results<Ok<List<LinkResponse>>, ProblemHttpResult>> LinksAsync(
        string id, AppDbContext db, PublicLinks links, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(id, "amb") || !await db.Ambassadors.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return Problems.NotFound($"No ambassador {id}.");
        }
        var rows = await (
                from code in db.ReferralCodes.AsNoTracking()
                where code.AmbassadorId == id
                join content in db.Content on code.ContentId equals content.Id into pieces
                from piece in pieces.DefaultIfEmpty()
                select new { code.Code, code.CampaignId, code.ContentId, Title = piece == null ? null : piece.Title, code.CreatedAt })
            .ToListAsync(cancellationToken);
        // Campaign link first, then its content pieces in the order they were published.
        var result = rows
            .OrderBy(r => r.CampaignId, StringComparer.Ordinal)
            .ThenBy(r => r.ContentId is not null)
            .ThenBy(r => r.CreatedAt)
            .ThenBy(r => r.ContentId, StringComparer.Ordinal)
            .Select(r => new LinkResponse(r.Code, links.For(r.Code), r.CampaignId, r.ContentId, r.Title))
            .ToList();
        return TypedResults.Ok(result);
    }
}
