using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public enum ConversionKind { Lead, Sale }

/// <summary>A lead or sale reported by a merchant, attributed to an ambassador; idempotent on <see cref="ExternalId"/>.</summary>
public sealed class Conversion
{
    public required string Id { get; init; }
    public required string ExternalId { get; init; }
    public ConversionKind Kind { get; init; }
    /// <summary>Sale amount in minor units of <see cref="Currency"/> (cents for EUR); null for a lead without one.</summary>
    public long? AmountMinor { get; init; }
    public required string Currency { get; init; }
    public string? CustomerId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    /// <summary>UTC date of <see cref="OccurredAt"/>, for daily series.</summary>
    public DateOnly OccurredOn { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public required string AmbassadorId { get; init; }
    public required string CampaignId { get; init; }
    public string? ContentId { get; init; }
    public string? ClickId { get; init; }
    /// <summary>The code credited (the click's code when attributed by click).</summary>
    public required string ReferralCode { get; init; }
    /// <summary>"clickId" or "referralCode".</summary>
    public required string AttributedBy { get; init; }
    /// <summary>SHA-256 of the request as sent, to tell a retry (same body) from a clash (different body).</summary>
    public required string Fingerprint { get; init; }
    /// <summary>
    /// Why the conversion earns nothing (the campaign had not started or had ended), decided when it was recorded; null
    /// when it earns by the campaign's rules. A conversion with a note has no ledger entries.
    /// </summary>
    public string? RewardNote { get; init; }
    public DateTimeOffset? ReversedAt { get; set; }
    public string? ReversalReason { get; set; }
}

internal sealed class ConversionConfiguration : IEntityTypeConfiguration<Conversion>
{
    public void Configure(EntityTypeBuilder<Conversion> conversion)
    {
        conversion.HasKey(c => c.Id);
        conversion.Property(c => c.Id).HasMaxLength(40);
        conversion.Property(c => c.ExternalId).HasMaxLength(200);
        // Exactly once: the merchant's id is unique, so a duplicate cannot be stored twice whatever the race.
        conversion.HasIndex(c => c.ExternalId).IsUnique();
        conversion.Property(c => c.Kind).HasConversion<LowerCaseEnumConverter<ConversionKind>>().HasMaxLength(10);
        conversion.Property(c => c.Currency).HasMaxLength(3).IsFixedLength();
        conversion.Property(c => c.CustomerId).HasMaxLength(200);
        conversion.Property(c => c.AmbassadorId).HasMaxLength(40);
        conversion.Property(c => c.CampaignId).HasMaxLength(40);
        conversion.Property(c => c.ContentId).HasMaxLength(40);
        conversion.Property(c => c.ClickId).HasMaxLength(40);
        conversion.Property(c => c.ReferralCode).HasMaxLength(32);
        conversion.Property(c => c.AttributedBy).HasMaxLength(20);
        conversion.Property(c => c.Fingerprint).HasMaxLength(64);
        conversion.Property(c => c.ReversalReason).HasMaxLength(500);
        conversion.Property(c => c.RewardNote).HasMaxLength(200);
        conversion.HasIndex(c => new { c.AmbassadorId, c.OccurredOn });
        conversion.HasIndex(c => new { c.CampaignId, c.OccurredOn });
        conversion.HasIndex(c => new { c.ContentId, c.OccurredOn });
        conversion.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Restrict);
        conversion.HasOne<Ambassador>().WithMany().HasForeignKey(c => c.AmbassadorId).OnDelete(DeleteBehavior.Restrict);
    }
}
