using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Recruitment;

/// <summary>An application with its score, as the review page and the API list it.</summary>
public sealed record ScoredApplication(Application Application, ScoreParts Parts, double Score, long PastResults);

/// <summary>What the review lists: filters (all optional), the order and the page.</summary>
public sealed record ReviewQuery(ApplicationStatus? Status = null, string? Country = null, double? MinScore = null,
    bool ByDate = false, int Skip = 0, int Take = int.MaxValue);

public sealed record ReviewResult(IReadOnlyList<ScoredApplication> Items, int Total);

/// <summary>
/// Scores a campaign's applications in one pass: one query for the applications' score inputs (filtered by status and
/// country in SQL), one for the past results of those who are already ambassadors, then the formula in memory, the minimum
/// score, the order and the page, whose applications are read last.
/// </summary>
public static class Review
{
    /// <param name="details">Read the page's applications whole (motivation, samples, consent); otherwise only what the
    /// list shows.</param>
    public static async Task<ReviewResult> ListAsync(AppDbContext db, Campaign campaign, ReviewQuery query, CancellationToken cancellationToken,
        bool details = false)
    {
        var applications = db.Applications.AsNoTracking().Where(a => a.CampaignId == campaign.Id);
        if (query.Status is { } status) applications = applications.Where(a => a.Status == status);
        if (query.Country is { } country) applications = applications.Where(a => a.Country == country);
        // Every applicant is ranked from the few columns the score and the order need (the followers and engagement the
        // application keeps of its profiles); only the page's applications are read as the list shows them.
        var rows = await applications
            .Select(a => new Ranked(a.Id, a.Country, a.SubmittedAt, a.MotivationRating, a.Followers, a.Engagement))
            .ToListAsync(cancellationToken);
        var past = await PastResultsAsync(db, campaign.Id, cancellationToken);

        var scored = new List<(Ranked Row, ScoreParts Parts, double Score, long Results)>(rows.Count);
        foreach (var row in rows)
        {
            var results = past.GetValueOrDefault(row.Id);
            var parts = ApplicationScores.Parts(row.Followers, row.Engagement, row.MotivationRating, row.Country, campaign.TargetCountries, results);
            var score = ApplicationScores.Score(parts, campaign.Scoring);
            if (query.MinScore is { } min && score < min) continue;
            scored.Add((row, parts, score, results));
        }
        var ordered = query.ByDate
            ? scored.OrderByDescending(s => s.Row.SubmittedAt).ThenBy(s => s.Row.Id, StringComparer.Ordinal)
            : scored.OrderByDescending(s => s.Score).ThenBy(s => s.Row.SubmittedAt).ThenBy(s => s.Row.Id, StringComparer.Ordinal);
        var page = ordered.Skip(query.Skip).Take(query.Take).ToList();
        var ids = page.Select(s => s.Row.Id).ToList();
        // A page by its ids; a long one (the API lists every application) by its campaign, unfiltered: an application whose
        // status changed since it was ranked is still found.
        var pageRows = ids.Count <= MaxPageById
            ? db.Applications.AsNoTracking().Where(a => ids.Contains(a.Id))
            : db.Applications.AsNoTracking().Where(a => a.CampaignId == campaign.Id);
        var read = ids.Count == 0 ? new Dictionary<string, Application>()
            : details
                ? await pageRows.ToDictionaryAsync(a => a.Id, cancellationToken)
                : await pageRows.Select(a => new Application
                {
                    Id = a.Id, CampaignId = a.CampaignId, Name = a.Name, Email = a.Email, NormalizedEmail = a.NormalizedEmail,
                    Country = a.Country, SocialProfiles = a.SocialProfiles, Motivation = "", Status = a.Status, SubmittedAt = a.SubmittedAt,
                    MotivationRating = a.MotivationRating, DecidedAt = a.DecidedAt, DecidedBy = a.DecidedBy, AmbassadorId = a.AmbassadorId,
                }).ToDictionaryAsync(a => a.Id, cancellationToken);
        // An application is never deleted, so each ranked one is still there.
        var items = page.Select(s => new ScoredApplication(read[s.Row.Id], s.Parts, s.Score, s.Results)).ToList();
        return new ReviewResult(items, scored.Count);
    }

    private const int MaxPageById = 1_000;

    /// <summary>What ranking an application needs.</summary>
    private sealed record Ranked(string Id, string Country, DateTimeOffset SubmittedAt, int? MotivationRating, long Followers, double Engagement);

    /// <summary>
    /// Leads and sales (not reversed) caused in the programme's other campaigns by the ambassadors whose email matches an
    /// application to this one (by normalised email), per application id: one grouped query whatever the number of applicants.
    /// </summary>
    public static async Task<Dictionary<string, long>> PastResultsAsync(AppDbContext db, string campaignId, CancellationToken cancellationToken) =>
        await (
                from application in db.Applications
                where application.CampaignId == campaignId
                join ambassador in db.Ambassadors on application.NormalizedEmail equals ambassador.NormalizedEmail
                join conversion in db.Conversions on ambassador.Id equals conversion.AmbassadorId
                where conversion.CampaignId != campaignId && conversion.ReversedAt == null
                group conversion by application.Id into results
                select new { Id = results.Key, Count = results.LongCount() })
            .ToDictionaryAsync(r => r.Id, r => r.Count, StringComparer.Ordinal, cancellationToken);

    /// <summary>How many applications the campaign has per status (the review page's filter counts).</summary>
    public static async Task<Dictionary<ApplicationStatus, int>> CountsAsync(AppDbContext db, string campaignId, CancellationToken cancellationToken) =>
        await db.Applications.AsNoTracking().Where(a => a.CampaignId == campaignId)
            .GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    /// <summary>The countries applicants come from (the review page's country filter).</summary>
    public static Task<List<string>> CountriesAsync(AppDbContext db, string campaignId, CancellationToken cancellationToken) =>
        db.Applications.AsNoTracking().Where(a => a.CampaignId == campaignId).Select(a => a.Country).Distinct().OrderBy(c => c)
            .ToListAsync(cancellationToken);
}
