using Ambassadors.Data;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ambassadors.Web.ReferralCodes;

public sealed record ReferralCodeResponse(string Code, string Url, string AmbassadorId, string CampaignId, string? ContentId, string Destination);

public static class ReferralCodeApi
{
    public static IEndpointRouteBuilder MapReferralCodes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/referral-codes/{code}", LookUpAsync)
            .WithTags("Ambassadors")
            .RequireAuthorization(ApiPolicies.Manager)
            .WithName("GetReferralCode")
            .Refuses(404)
            .WithSummary("Look up what a referral code points at")
            .WithDescription("Codes are case-insensitive: 'abc' and 'ABC' are the same code.");
        return routes;
    }

    private static async Task<Results<Ok<ReferralCodeResponse>, ProblemHttpResult>> LookUpAsync(
        string code, IGrainFactory grains, PublicLinks links)
    {
        if (ReferralCodeFormat.Problem(code) is not null) return Problems.NotFound($"No referral code {code}.");
        var normalized = ReferralCodeFormat.Normalize(code);
        var resolved = await grains.GetGrain<IReferralCodeGrain>(ReferralCodeGrain.KeyOf(normalized)).ResolveAsync();
        return resolved is { Target: var t }
            ? TypedResults.Ok(new ReferralCodeResponse(t.Code, links.For(t.Code), t.AmbassadorId, t.CampaignId, t.ContentId, resolved.Destination))
            : Problems.NotFound($"No referral code {code}.");
    }
}
