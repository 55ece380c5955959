using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>
/// A themed task for a campaign's members (Ford's monthly mission): a brief, the days it runs and an optional bonus in the
/// campaign's currency, paid through the ledger for each accepted submission.
/// </summary>
public sealed class Mission
{
    public required string Id { get; init; }
    public required string CampaignId { get; init; }
    public required string Title { get; set; }
    public required string Brief { get; set; }
    /// <summary>First day members can submit (UTC date, inclusive).</summary>
    public DateOnly StartsOn { get; set; }
    /// <summary>Last day of the mission (UTC date, inclusive).</summary>
    public DateOnly DueOn { get; set; }
    /// <summary>The bonus per accepted submission in minor units of <see cref="Currency"/>; null for none.</summary>
    public long? BonusMinor { get; set; }
    /// <summary>The campaign's currency when the mission was made.</summary>
    public required string Currency { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class MissionConfiguration : IEntityTypeConfiguration<Mission>
{
    public void Configure(EntityTypeBuilder<Mission> mission)
    {
        mission.HasKey(m => m.Id);
        mission.Property(m => m.Id).HasMaxLength(40);
        mission.Property(m => m.CampaignId).HasMaxLength(40);
        mission.Property(m => m.Title).HasMaxLength(200);
        mission.Property(m => m.Brief).HasMaxLength(20000);
        mission.Property(m => m.Currency).HasMaxLength(3).IsFixedLength();
        mission.HasIndex(m => new { m.CampaignId, m.StartsOn });
        mission.HasOne<Campaign>().WithMany().HasForeignKey(m => m.CampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}
