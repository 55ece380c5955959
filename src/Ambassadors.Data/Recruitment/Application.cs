using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public enum ApplicationStatus { New, Accepted, Declined, Waitlisted }

/// <summary>Someone who applied to a campaign through its public form (<c>/apply/{campaignId}</c>).</summary>
public sealed class Application
{
    public required string Id { get; init; }
    public required string CampaignId { get; init; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    /// <summary>Lower-cased email; one application per email and campaign.</summary>
    public required string NormalizedEmail { get; set; }
    /// <summary>ISO 3166-1 alpha-2 country code, upper case.</summary>
    public required string Country { get; set; }
    public List<ApplicantProfile> SocialProfiles { get; set; } = [];
    public required string Motivation { get; set; }
    /// <summary>Links to samples of the applicant's content (absolute http(s) URLs).</summary>
    public List<string> SampleLinks { get; set; } = [];
    /// <summary>When the applicant consented to the campaign's terms (the form refuses an application without it).</summary>
    public DateTimeOffset ConsentedAt { get; init; }
    /// <summary>The terms as the applicant saw them when consenting (they may change later).</summary>
    public string? ConsentedTerms { get; init; }
    public ApplicationStatus Status { get; set; }
    public DateTimeOffset SubmittedAt { get; init; }
    /// <summary>The manager's (jury's) rating of the motivation, 0-5; none until rated.</summary>
    public int? MotivationRating { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>Who decided, as people read it (an email, a key's name).</summary>
    public string? DecidedBy { get; set; }
    /// <summary>The ambassador an accepted application made or matched (by email).</summary>
    public string? AmbassadorId { get; set; }
    /// <summary>Optimistic concurrency token, bumped on every change.</summary>
    public long Version { get; set; }
    /// <summary>
    /// The followers of all <see cref="SocialProfiles"/> as the score counts them (a negative count as 0). Derived, never
    /// set by hand: <see cref="AppDbContext"/> sets it and <see cref="Engagement"/> from the profiles before every save
    /// (<see cref="KeepScoreInputs"/>), so the review ranks a campaign's applicants without reading their profiles' JSON.
    /// </summary>
    public long Followers { get; private set; }
    /// <summary>The profiles' engagement part of the score, 0..1 (<see cref="ApplicationScores.Engagement"/>). Derived, as <see cref="Followers"/>.</summary>
    public double Engagement { get; private set; }

    /// <summary>Sets <see cref="Followers"/> and <see cref="Engagement"/> of every application added or changed in the context.</summary>
    internal static void KeepScoreInputs(DbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries<Application>())
        {
            if (entry.State is EntityState.Deleted or EntityState.Unchanged) continue;
            var profiles = entry.Entity.SocialProfiles;
            var followers = ApplicationScores.CountedFollowers(profiles);
            var engagement = ApplicationScores.Engagement(profiles);
            if (entry.Entity.Followers != followers) entry.Entity.Followers = followers;
            if (entry.Entity.Engagement != engagement) entry.Entity.Engagement = engagement;
        }
    }
}

/// <summary>A social profile as an applicant states it: followers, and an engagement rate (percent) when they give one.</summary>
public sealed class ApplicantProfile
{
    public required string Network { get; set; }
    public required string Handle { get; set; }
    public long Followers { get; set; }
    public decimal? EngagementRate { get; set; }
}

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> application)
    {
        application.HasKey(a => a.Id);
        application.Property(a => a.Id).HasMaxLength(40);
        application.Property(a => a.CampaignId).HasMaxLength(40);
        application.Property(a => a.Name).HasMaxLength(200);
        application.Property(a => a.Email).HasMaxLength(254);
        application.Property(a => a.NormalizedEmail).HasMaxLength(254);
        application.Property(a => a.Country).HasMaxLength(2);
        application.Property(a => a.Motivation).HasMaxLength(4000);
        application.Property(a => a.ConsentedTerms).HasMaxLength(20000);
        application.Property(a => a.Status).HasConversion<LowerCaseEnumConverter<ApplicationStatus>>().HasMaxLength(20);
        application.Property(a => a.DecidedBy).HasMaxLength(254);
        application.Property(a => a.AmbassadorId).HasMaxLength(40);
        application.Property(a => a.Version).IsConcurrencyToken();
        application.PrimitiveCollection(a => a.SampleLinks);
        application.OwnsMany(a => a.SocialProfiles, profiles => profiles.ToJson());
        application.HasIndex(a => new { a.CampaignId, a.NormalizedEmail }).IsUnique();
        application.HasIndex(a => new { a.CampaignId, a.Status });
        // The review's country filter and its list of countries, without reading the applications.
        application.HasIndex(a => new { a.CampaignId, a.Country });
        application.HasOne<Campaign>().WithMany().HasForeignKey(a => a.CampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}
