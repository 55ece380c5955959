using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public sealed class Membership
{
    public required string CampaignId { get; init; }
    public required string AmbassadorId { get; init; }
    /// <summary>Normalised (upper-case) campaign referral code.</summary>
    public required string ReferralCode { get; init; }
    public DateTimeOffset JoinedAt { get; init; }
    /// <summary>The member of the same campaign whose referral link brought this one in (second-degree credit).</summary>
    public string? ReferredBy { get; init; }
    /// <summary>When a manager removed the member from the campaign: their links stop earning for it; history and rewards stay.</summary>
    public DateTimeOffset? RemovedAt { get; set; }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> membership)
    {
        membership.HasKey(m => new { m.CampaignId, m.AmbassadorId });
        membership.Property(m => m.CampaignId).HasMaxLength(40);
        membership.Property(m => m.AmbassadorId).HasMaxLength(40);
        membership.Property(m => m.ReferralCode).HasMaxLength(32);
        membership.HasIndex(m => m.ReferralCode).IsUnique();
        membership.HasIndex(m => m.AmbassadorId);
        membership.Property(m => m.ReferredBy).HasMaxLength(40);
        membership.HasOne<Campaign>().WithMany().HasForeignKey(m => m.CampaignId).OnDelete(DeleteBehavior.Restrict);
        membership.HasOne<Ambassador>().WithMany().HasForeignKey(m => m.AmbassadorId).OnDelete(DeleteBehavior.Restrict);
    }
}
