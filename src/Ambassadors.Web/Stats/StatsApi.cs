using Ambassadors.Data;
using System.ComponentModel;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ambassadors.Web.Stats;

public static class StatsApi
{
    /// <summary>The widest window asked for at once (the daily series has one entry per day).</summary>
    public const int MaxWindowDays = 3660;

    public const string Description = "Clicks, unique visitors, bot clicks, leads, sales, potential reach, revenue and rewards per currency, " +
        "conversion rate and a daily series. from/to are UTC dates, both inclusive (default: all time for the totals, the last 30 days for daily). " +
        "uniqueVisitors counts each visitor once, on the day first seen.";

    /// <summary>What a resource adds to its stats before they are answered (a campaign's KPI progress).</summary>
    public delegate Task<StatsView> Completion(string id, StatsView stats, IServiceProvider services);

    /// <summary>Maps GET {group}/{id}/stats for one kind of subject; each resource's route group calls it.</summary>
    public static RouteHandlerBuilder MapStats(this RouteGroupBuilder group, StatsSubject subject, string prefix, string name, string summary,
        string description, Completion? complete = null) =>
        group.MapGet("/{id}/stats", (
                    string id,
                    [Description("First UTC date, YYYY-MM-DD, inclusive.")] string? from,
                    [Description("Last UTC date, YYYY-MM-DD, inclusive.")] string? to,
                    StatsService stats, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
                GetAsync(subject, prefix, id, from, to, stats, clock, complete is null ? null : view => complete(id, view, http.RequestServices), cancellationToken))
            .WithTags("Stats").RequireAuthorization(ApiPolicies.Stats)
            .WithName(name).Refuses(404, 422)
            .WithSummary(summary).WithDescription(description);

    private static async Task<Results<Ok<StatsView>, ProblemHttpResult>> GetAsync(
        StatsSubject subject, string prefix, string id, string? from, string? to,
        StatsService stats, TimeProvider clock, Func<StatsView, Task<StatsView>>? complete, CancellationToken cancellationToken)
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
        var name = subject.Name();
        if (!Ids.LooksLike(id, prefix)) return Problems.NotFound($"No {name} {id}.");
        if (await stats.ForAsync(subject, id, fromDate, toDate, cancellationToken) is not { } view) return Problems.NotFound($"No {name} {id}.");
        return TypedResults.Ok(complete is null ? view : await complete(view));
    }
}
