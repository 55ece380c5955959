using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Recruitment;

/// <summary>
/// How an application enters a campaign, whoever sends it: the public form (<c>/apply/{campaignId}</c>, one at a time) and
/// the demo loader (<c>ambassadors demo</c>, thousands at once) make it here from checked input and store it here, so an
/// applicant of either is the same record, scored the same way on the review page.
/// </summary>
public static class Intake
{
    /// <summary>A new application (status new) with consent to the campaign's current terms, at <paramref name="at"/>.</summary>
    public static Application New(Campaign campaign, string name, string email, string country, List<ApplicantProfile> profiles,
        string motivation, List<string> sampleLinks, DateTimeOffset at) => new()
    {
        Id = Ids.New("app"),
        CampaignId = campaign.Id,
        Name = name,
        Email = email,
        NormalizedEmail = email.ToLowerInvariant(),
        Country = country,
        SocialProfiles = profiles,
        Motivation = motivation,
        SampleLinks = sampleLinks,
        ConsentedAt = at,
        ConsentedTerms = campaign.Terms,
        Status = ApplicationStatus.New,
        SubmittedAt = at,
        Version = 1,
    };

    /// <summary>
    /// Stores the applications of one campaign, one per email: an email that already applied (or appears twice) is passed
    /// over and changes nothing. Returns how many were stored.
    /// </summary>
    public static async Task<int> SubmitAsync(AppDbContext db, string campaignId, IReadOnlyList<Application> applications,
        CancellationToken cancellationToken)
    {
        var emails = applications.Select(a => a.NormalizedEmail).Distinct(StringComparer.Ordinal).ToList();
        var taken = (await db.Applications.Where(a => a.CampaignId == campaignId && emails.Contains(a.NormalizedEmail))
            .Select(a => a.NormalizedEmail).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var fresh = applications.Where(a => a.CampaignId == campaignId && taken.Add(a.NormalizedEmail)).ToList();
        if (fresh.Count == 0) return 0;
        db.Applications.AddRange(fresh);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && fresh.Count == 1)
        {
            // The same email sent twice at the same moment: one is stored.
            db.Entry(fresh[0]).State = EntityState.Detached;
            return 0;
        }
        return fresh.Count;
    }
}
