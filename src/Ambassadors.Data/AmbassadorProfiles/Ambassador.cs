using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public sealed class Ambassador
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    /// <summary>Lower-cased email; unique.</summary>
    public required string NormalizedEmail { get; set; }
    public List<SocialProfile> SocialProfiles { get; set; } = [];
    /// <summary>
    /// The followers of all <see cref="SocialProfiles"/>: potential reach, summed in SQL (the profiles are JSON). Derived, never
    /// set by hand: <see cref="AppDbContext"/> sets it from the profiles before every save (<see cref="KeepFollowers"/>).
    /// </summary>
    public long Followers { get; private set; }
    /// <summary>ISO 3166-1 alpha-2 country code (upper case), when known.</summary>
    public string? Country { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Sets <see cref="Followers"/> from the profiles of every ambassador added or changed in the context.</summary>
    internal static void KeepFollowers(DbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries<Ambassador>())
        {
            if (entry.State == EntityState.Deleted) continue;
            var followers = entry.Entity.SocialProfiles.Sum(p => p.Followers);
            if (entry.Entity.Followers != followers) entry.Entity.Followers = followers;
        }
    }
}

public sealed class SocialProfile
{
    public required string Network { get; set; }
    public required string Handle { get; set; }
    public long Followers { get; set; }
}

internal sealed class AmbassadorConfiguration : IEntityTypeConfiguration<Ambassador>
{
    public void Configure(EntityTypeBuilder<Ambassador> ambassador)
    {
        ambassador.HasKey(a => a.Id);
        ambassador.Property(a => a.Id).HasMaxLength(40);
        ambassador.Property(a => a.Name).HasMaxLength(200);
        ambassador.Property(a => a.Email).HasMaxLength(254);
        ambassador.Property(a => a.NormalizedEmail).HasMaxLength(254);
        ambassador.HasIndex(a => a.NormalizedEmail).IsUnique();
        ambassador.Property(a => a.Country).HasMaxLength(2);
        ambassador.OwnsMany(a => a.SocialProfiles, profiles => profiles.ToJson());
    }
}
