namespace Ambassadors.Data;

/// <summary>An applicant's score parts, each from 0 to 1 (docs/decisions.md, "Recruitment: the score").</summary>
public sealed record ScoreParts(double Reach, double Engagement, double Motivation, double CountryFit, double PastResults)
{
    /// <summary>The parts by the API's names, in the order the pages show them.</summary>
    public IReadOnlyList<(string Name, double Value)> Named =>
    [
        ("reach", Reach), ("engagement", Engagement), ("motivation", Motivation), ("countryFit", CountryFit), ("pastResults", PastResults),
    ];
}

/// <summary>
/// The transparent score of an application: each part is a number from 0 to 1, the score is the sum of the campaign's
/// weight times the part. Pure: the review page, the API and the tests compute it the same way.
/// </summary>
public static class ApplicationScores
{
    /// <summary>Followers (all profiles together) at which reach is full: 10 million.</summary>
    public const long ReachCap = 10_000_000;

    /// <summary>Engagement rate (percent) at which engagement is full: 10 %.</summary>
    public const decimal EngagementCapPercent = 10m;

    /// <summary>Leads plus sales caused in earlier campaigns at which past results are full: 1,000.</summary>
    public const long PastResultsCap = 1_000;

    public static readonly IReadOnlyList<string> PartNames = ["reach", "engagement", "motivation", "countryFit", "pastResults"];

    /// <summary>log10(1 + followers) / log10(1 + 10,000,000), at most 1: 1,000 followers is 0.43, 100,000 is 0.71.</summary>
    public static double Reach(long followers) => LogShare(followers, ReachCap);

    /// <summary>
    /// The stated engagement rate, averaged over the profiles that state one, weighted by their followers (a plain average
    /// when those profiles have no followers), divided by 10 % and at most 1; 0 when no profile states a rate.
    /// </summary>
    public static double Engagement(IEnumerable<ApplicantProfile> profiles)
    {
        var stated = profiles.Where(p => p.EngagementRate is not null).ToList();
        if (stated.Count == 0) return 0;
        var followers = stated.Sum(p => (decimal)Math.Max(0, p.Followers));
        var rate = followers > 0
            ? stated.Sum(p => p.EngagementRate!.Value * Math.Max(0, p.Followers)) / followers
            : stated.Average(p => p.EngagementRate!.Value);
        return (double)Math.Clamp(rate / EngagementCapPercent, 0m, 1m);
    }

    /// <summary>The manager's rating (0-5) divided by 5; an unrated application counts 0.</summary>
    public static double Motivation(int? rating) => rating is { } r ? Math.Clamp(r, 0, 5) / 5.0 : 0;

    /// <summary>1 when the campaign recruits anywhere (no target countries) or in the applicant's country, else 0.</summary>
    public static double CountryFit(string country, IReadOnlyCollection<string> targetCountries) =>
        targetCountries.Count == 0 || targetCountries.Contains(country, StringComparer.OrdinalIgnoreCase) ? 1 : 0;

    /// <summary>log10(1 + leads and sales caused in earlier campaigns) / log10(1 + 1,000), at most 1; 0 for someone new.</summary>
    public static double PastResults(long results) => LogShare(results, PastResultsCap);

    /// <summary>The followers of all profiles as reach counts them (a negative count as 0).</summary>
    public static long CountedFollowers(IEnumerable<ApplicantProfile> profiles) => profiles.Sum(p => Math.Max(0, p.Followers));

    public static ScoreParts Parts(IReadOnlyCollection<ApplicantProfile> profiles, int? motivationRating, string country,
        IReadOnlyCollection<string> targetCountries, long pastResults) =>
        Parts(CountedFollowers(profiles), Engagement(profiles), motivationRating, country, targetCountries, pastResults);

    /// <summary>As above, from what an application keeps of its profiles (<see cref="Application.Followers"/>, <see cref="Application.Engagement"/>).</summary>
    public static ScoreParts Parts(long countedFollowers, double engagement, int? motivationRating, string country,
        IReadOnlyCollection<string> targetCountries, long pastResults) => new(
        Reach(countedFollowers),
        engagement,
        Motivation(motivationRating),
        CountryFit(country, targetCountries),
        PastResults(pastResults));

    /// <summary>The sum of weight x part, rounded to 4 decimals (as the API and the pages show it).</summary>
    public static double Score(ScoreParts parts, ScoringWeights weights) => Math.Round(
        (double)weights.Reach * parts.Reach
        + (double)weights.Engagement * parts.Engagement
        + (double)weights.Motivation * parts.Motivation
        + (double)weights.CountryFit * parts.CountryFit
        + (double)weights.PastResults * parts.PastResults, 4);

    /// <summary>The weights by the parts' API names.</summary>
    public static IReadOnlyList<(string Name, decimal Weight)> Named(ScoringWeights weights) =>
    [
        ("reach", weights.Reach), ("engagement", weights.Engagement), ("motivation", weights.Motivation),
        ("countryFit", weights.CountryFit), ("pastResults", weights.PastResults),
    ];

    private static double LogShare(long value, long cap) =>
        value <= 0 ? 0 : Math.Min(1, Math.Log10(1 + (double)value) / Math.Log10(1 + (double)cap));
}
