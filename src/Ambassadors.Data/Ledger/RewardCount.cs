using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>
/// Ledger money that is not voided, per subject (the entry's ambassador, campaign, content piece), the day its conversion
/// happened (or <see cref="ConversionCount.AllTime"/>), currency, degree, state (open or paid) and the UTC day its holding
/// period ends. Kept by the conversion, reversal and payout transitions, so stats sum rows instead of entries: an open row
/// whose holding ends before today is approved, after today pending; only today's entries are summed from the ledger's
/// covering index (<see cref="LedgerEntry.CountsOn"/>, <see cref="LedgerEntry.SecondDegree"/>).
/// </summary>
public sealed class RewardCount
{
    public required string Subject { get; init; }
    public required string SubjectId { get; init; }
    public DateOnly Day { get; init; }
    public required string Currency { get; init; }
    /// <summary>Money to someone other than the converting ambassador: an override, or the clawback of one.</summary>
    public bool SecondDegree { get; init; }
    /// <summary><see cref="LedgerEntryState.Open"/> or <see cref="LedgerEntryState.Paid"/>.</summary>
    public LedgerEntryState State { get; init; }
    /// <summary>The UTC day of the entries' <see cref="LedgerEntry.AvailableAt"/>.</summary>
    public DateOnly AvailableOn { get; init; }
    public long AmountMinor { get; set; }
    /// <summary>How many entries the row sums (a list shows a currency when it has entries, even if they sum to 0).</summary>
    public long Entries { get; set; }
}

internal sealed class RewardCountConfiguration : IEntityTypeConfiguration<RewardCount>
{
    public void Configure(EntityTypeBuilder<RewardCount> count)
    {
        count.HasKey(c => new { c.Subject, c.SubjectId, c.Day, c.Currency, c.SecondDegree, c.State, c.AvailableOn });
        count.Property(c => c.Subject).HasMaxLength(20);
        count.Property(c => c.SubjectId).HasMaxLength(40);
        count.Property(c => c.Currency).HasMaxLength(3).IsFixedLength();
        count.Property(c => c.State).HasConversion<LowerCaseEnumConverter<LedgerEntryState>>().HasMaxLength(20);
    }
}
