using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>A tracked link: a code unique across the system, pointing at a membership and optionally a content piece.</summary>
public sealed class ReferralCode
{
    /// <summary>Normalised (upper-case) code; the primary key, so uniqueness is case-insensitive.</summary>
    public required string Code { get; init; }
    public required string AmbassadorId { get; init; }
    public required string CampaignId { get; init; }
    public string? ContentId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class ReferralCodeConfiguration : IEntityTypeConfiguration<ReferralCode>
{
    public void Configure(EntityTypeBuilder<ReferralCode> code)
    {
        code.HasKey(c => c.Code);
        code.Property(c => c.Code).HasMaxLength(32);
        code.Property(c => c.AmbassadorId).HasMaxLength(40);
        code.Property(c => c.CampaignId).HasMaxLength(40);
        code.Property(c => c.ContentId).HasMaxLength(40);
        // One link per member per content piece, whoever races to make it; campaign links (no piece) are left out.
        code.HasIndex(c => new { c.AmbassadorId, c.CampaignId, c.ContentId }).IsUnique().HasFilter("\"ContentId\" IS NOT NULL");
        code.HasOne<Membership>().WithMany()
            .HasForeignKey(c => new { c.CampaignId, c.AmbassadorId }).OnDelete(DeleteBehavior.Restrict);
        code.HasOne<ContentPiece>().WithMany().HasForeignKey(c => c.ContentId).OnDelete(DeleteBehavior.Restrict);
    }
}
