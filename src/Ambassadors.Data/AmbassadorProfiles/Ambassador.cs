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
    /// <summary>ISO 3166-1 alpha-2 country code (upper case), when known.</summary>
    public string? Country { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
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
