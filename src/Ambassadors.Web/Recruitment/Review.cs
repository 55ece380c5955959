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
/// Scores a campaign's applications in one pass: one query for the applications (filtered by status and country in SQL),
/// one for the past results of those who are already ambassadors, then the formula in memory, the minimum score, the order
/// and the page.
/// </summary>
public static class Review
{
    /// <param name="details">Read the page's applications whole (motivation, samples, consent); otherwise only what the
    /// score and the list need (the long texts of thousands of applicants are not read to show fifty).</param>
    public static async Task<ReviewResult> ListAsync(AppDbContext db, Campaign campaign, ReviewQuery query, CancellationToken cancellationToken,
        bool details = false)
    {
        var applications = db.Applications.AsNoTracking().Where(a => a.CampaignId == campaign.Id);
        if (query.Status is { } status) applications = applications.Where(a => a.Status == status);
        if (query.Country is { } country) applications = applications.Where(a => a.Country == country);
        var rows = await applications.Select(a => new Application
        {
            Id = a.Id, CampaignId = a.CampaignId, Name = a.Name, Email = a.Email, NormalizedEmail = a.NormalizedEmail,
            Country = a.Country, SocialProfiles = a.SocialProfiles, Motivation = "", Status = a.Status, SubmittedAt = a.SubmittedAt,
            MotivationRating = a.MotivationRating, DecidedAt = a.DecidedAt, DecidedBy = a.DecidedBy, AmbassadorId = a.AmbassadorId,
        }).ToListAsync(cancellationToken);
        var past = await PastResultsAsync(db, campaign.Id, cancellationToken);

        var scored = new List<ScoredApplication>(rows.Count);
        foreach (var application in rows)
        {
            var results = past.GetValueOrDefault(application.NormalizedEmail);
            var parts = ApplicationScores.Parts(application.SocialProfiles, application.MotivationRating, application.Country,
                campaign.TargetCountries, results);
            var score = ApplicationScores.Score(parts, campaign.Scoring);
            if (query.MinScore is { } min && score < min) continue;
            scored.Add(new ScoredApplication(application, parts, score, results));
        }
        var ordered = query.ByDate
            ? scored.OrderByDescending(s => s.Application.SubmittedAt).ThenBy(s => s.Application.Id, StringComparer.Ordinal)
            : scored.OrderByDescending(s => s.Score).ThenBy(s => s.Application.SubmittedAt).ThenBy(s => s.Application.Id, StringComparer.Ordinal);
        var page = ordered.Skip(query.Skip).Take(query.Take).ToList();
        if (details && page.Count > 0)
        {
            var ids = page.Select(s => s.Application.Id).ToList();
            var whole = await db.Applications.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
            page = page.Select(s => whole.TryGetValue(s.Application.Id, out var full) ? s with { Application = full } : s).ToList();
        }
        return new ReviewResult(page, scored.Count);
    }

    /// <summary>
    /// Leads and sales (not reversed) caused in the programme's other campaigns by the ambassadors whose email matches an
    /// application to this one, by normalised email: one grouped query whatever the number of applicants.
    /// </summary>
    public static async Task<Dictionary<string, long>> PastResultsAsync(AppDbContext db, string campaignId, CancellationToken cancellationToken) =>
        await (
                from application in db.Applications
                where application.CampaignId == campaignId
                join ambassador in db.Ambassadors on application.NormalizedEmail equals ambassador.NormalizedEmail
                join conversion in db.Conversions on ambassador.Id equals conversion.AmbassadorId
                where conversion.CampaignId != campaignId && conversion.ReversedAt == null
                group conversion by application.NormalizedEmail into results
                select new { Email = results.Key, Count = results.LongCount() })
            .ToDictionaryAsync(r => r.Email, r => r.Count, StringComparer.Ordinal, cancellationToken);

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
