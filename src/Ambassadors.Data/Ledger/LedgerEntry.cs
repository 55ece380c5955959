using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>
/// reward: the first-degree reward; secondDegree: the referrer's override; clawback: a paid amount taken back;
/// missionBonus: a mission's bonus for an accepted submission (no conversion).
/// </summary>
public enum LedgerEntryKind { Reward, SecondDegree, Clawback, MissionBonus }

/// <summary>
/// open: owed (pending until <see cref="LedgerEntry.AvailableAt"/>, approved after); paid; voided (reversed before payment).
/// </summary>
public enum LedgerEntryState { Open, Paid, Voided }

/// <summary>Money owed to (or taken back from) an ambassador. Amounts are integer minor units, rounded once when made.</summary>
public sealed class LedgerEntry
{
    public long Id { get; init; }
    /// <summary>The conversion that earned it; null for a mission bonus.</summary>
    public string? ConversionId { get; init; }
    /// <summary>The accepted mission submission a bonus pays for; unique, so a submission's bonus is in the ledger once.</summary>
    public string? SubmissionId { get; init; }
    /// <summary>
    /// For an entry without a conversion (a mission bonus): the UTC day it counts on in stats (the day it was accepted),
    /// where a conversion's entries count on the conversion's day.
    /// </summary>
    public DateOnly? EarnedOn { get; init; }
    /// <summary>
    /// The UTC day the entry counts on in stats: its conversion's day, or <see cref="EarnedOn"/> for a bonus. Copied when
    /// the entry is made (a conversion's day never changes), so the stats read today's maturing entries from the ledger's
    /// index alone, without their conversions.
    /// </summary>
    public DateOnly CountsOn { get; init; }
    /// <summary>
    /// Money to someone other than the converting ambassador: an override, or the clawback of one (a bonus is its
    /// ambassador's own). Copied when the entry is made, for the same reason as <see cref="CountsOn"/>.
    /// </summary>
    public bool SecondDegree { get; init; }
    public required string AmbassadorId { get; init; }
    public required string CampaignId { get; init; }
    public string? ContentId { get; init; }
    public LedgerEntryKind Kind { get; init; }
    public long AmountMinor { get; init; }
    public required string Currency { get; init; }
    public LedgerEntryState State { get; set; }
    /// <summary>When the holding period ends: pending before, approved after.</summary>
    public DateTimeOffset AvailableAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
    /// <summary>For a clawback: the paid entry it takes back.</summary>
    public long? ReversesEntryId { get; init; }
    /// <summary>
    /// The payout batch holding this entry (draft, approved or paid); null while unbatched. One column, so an entry is
    /// in at most one batch; it is claimed by a conditional update and released when its draft is discarded.
    /// </summary>
    public string? PayoutBatchId { get; set; }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> entry)
    {
        entry.HasKey(e => e.Id);
        entry.Property(e => e.ConversionId).HasMaxLength(40);
        entry.Property(e => e.AmbassadorId).HasMaxLength(40);
        entry.Property(e => e.CampaignId).HasMaxLength(40);
        entry.Property(e => e.ContentId).HasMaxLength(40);
        entry.Property(e => e.Kind).HasConversion<LowerCaseEnumConverter<LedgerEntryKind>>().HasMaxLength(20);
        entry.Property(e => e.State).HasConversion<LowerCaseEnumConverter<LedgerEntryState>>().HasMaxLength(20);
        entry.Property(e => e.Currency).HasMaxLength(3).IsFixedLength();
        // One reward, one override and one clawback of each per conversion and ambassador: a money event counts once.
        entry.HasIndex(e => new { e.ConversionId, e.Kind, e.AmbassadorId }).IsUnique();
        entry.HasIndex(e => e.ReversesEntryId).IsUnique();
        entry.Property(e => e.SubmissionId).HasMaxLength(40);
        entry.HasIndex(e => e.SubmissionId).IsUnique();
        entry.HasOne<MissionSubmission>().WithMany().HasForeignKey(e => e.SubmissionId).OnDelete(DeleteBehavior.Restrict);
        // Per subject, state and holding end, covering what the stats sum of the entries whose holding ends today (day,
        // degree, currency, amount): a range of one index, no row and no conversion read per entry.
        entry.HasIndex(e => new { e.AmbassadorId, e.State, e.AvailableAt, e.CountsOn, e.SecondDegree, e.Currency, e.AmountMinor })
            .HasDatabaseName("IX_Ledger_AmbassadorId_State_AvailableAt_Stats");
        entry.HasIndex(e => new { e.CampaignId, e.State, e.AvailableAt, e.CountsOn, e.SecondDegree, e.Currency, e.AmountMinor })
            .HasDatabaseName("IX_Ledger_CampaignId_State_AvailableAt_Stats");
        entry.HasIndex(e => new { e.ContentId, e.State, e.AvailableAt, e.CountsOn, e.SecondDegree, e.Currency, e.AmountMinor })
            .HasDatabaseName("IX_Ledger_ContentId_State_AvailableAt_Stats");
        entry.HasOne<Conversion>().WithMany().HasForeignKey(e => e.ConversionId).OnDelete(DeleteBehavior.Restrict);
        entry.Property(e => e.PayoutBatchId).HasMaxLength(40);
        entry.HasIndex(e => e.PayoutBatchId);
        entry.HasIndex(e => new { e.State, e.AvailableAt });
        entry.HasOne<PayoutBatch>().WithMany().HasForeignKey(e => e.PayoutBatchId).OnDelete(DeleteBehavior.Restrict);
    }
}
