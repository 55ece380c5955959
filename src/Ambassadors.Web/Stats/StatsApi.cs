using System.ComponentModel;
using Ambassadors.Data.Access;
using Ambassadors.Web.Access;
using Ambassadors.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ambassadors.Web.Stats;

public static class StatsApi
{
    /// <summary>The widest window asked for at once (the daily series has one entry per day).</summary>
    public const int MaxWindowDays = 3660;

    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder routes)
    {
        const string description = "Clicks, unique visitors, bot clicks, leads, sales, potential reach, revenue and rewards per currency, " +
            "conversion rate and a daily series. from/to are UTC dates, both inclusive (default: all time for the totals, the last 30 days for daily). " +
            "uniqueVisitors counts each visitor once, on the day first seen.";
        routes.MapGet("/api/v1/ambassadors/{id}/stats", (string id, string? from, string? to, StatsService stats, TimeProvider clock, CancellationToken ct) =>
                GetAsync(StatsSubject.Ambassador, "amb", id, from, to, stats, clock, ct))
            .WithTags("Stats").RequireAuthorization(ApiPolicies.Stats)
            .WithName("GetAmbassadorStats").Refuses(404, 422)
            .WithSummary("An ambassador's results").WithDescription(description + " secondDegree holds the override rewards earned through members they referred.");
        routes.MapGet("/api/v1/campaigns/{id}/stats", (string id, string? from, string? to, StatsService stats, TimeProvider clock, CancellationToken ct) =>
                GetAsync(StatsSubject.Campaign, "cmp", id, from, to, stats, clock, ct))
            .WithTags("Stats").RequireAuthorization(ApiPolicies.Stats)
            .WithName("GetCampaignStats").Refuses(404, 422)
            .WithSummary("A campaign's results").WithDescription(description + " content holds the funnel reach, clicks, leads, sales per content piece.");
        routes.MapGet("/api/v1/content/{id}/stats", (string id, string? from, string? to, StatsService stats, TimeProvider clock, CancellationToken ct) =>
                GetAsync(StatsSubject.Content, "cnt", id, from, to, stats, clock, ct))
            .WithTags("Stats").RequireAuthorization(ApiPolicies.Stats)
            .WithName("GetContentStats").Refuses(404, 422)
            .WithSummary("A content piece's results").WithDescription(description + " potentialReach counts the followers of the ambassadors who drew at least one click with the piece; funnel is reach, clicks, leads, sales.");
        return routes;
    }

    private static async Task<Results<Ok<StatsView>, ProblemHttpResult>> GetAsync(
        StatsSubject subject, string prefix, string id,
        [Description("First UTC date, YYYY-MM-DD, inclusive.")] string? from,
        [Description("Last UTC date, YYYY-MM-DD, inclusive.")] string? to,
        StatsService stats, TimeProvider clock, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var fromDate = check.Date("from", from);
        var toDate = check.Date("to", to);
        if (fromDate is { } f)
        {
            // An open end is today: the daily series runs to it.
            var end = toDate ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            if (toDate is { } t && t < f) check.Add("to", "'to' is before 'from'.");
            else if (end.DayNumber - f.DayNumber >= MaxWindowDays) check.Add("from", $"Ask for at most {MaxWindowDays} days at once.");
        }
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        var name = subject.ToString().ToLowerInvariant();
        if (!Ids.LooksLike(id, prefix)) return Problems.NotFound($"No {name} {id}.");
        return await stats.ForAsync(subject, id, fromDate, toDate, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"No {name} {id}.");
    }
}
