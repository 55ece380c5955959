using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>draft (holds its entries) → approved → paid; or draft → discarded (entries released).</summary>
public enum PayoutBatchStatus { Draft, Approved, Paid, Discarded }

/// <summary>One payment run: every line and the ledger entries it pays. Transitions are conditional updates on <see cref="Status"/>.</summary>
public sealed class PayoutBatch
{
    public required string Id { get; init; }
    public PayoutBatchStatus Status { get; set; }
    public DateOnly PeriodEnd { get; init; }
    public decimal MinimumAmount { get; init; }
    /// <summary>Entries approved (available) at or before this instant were eligible.</summary>
    public DateTimeOffset Cutoff { get; init; }
    public int LineCount { get; set; }
    public int RewardCount { get; set; }
    public List<PayoutBatchTotal> Totals { get; set; } = [];
    /// <summary>Payees who would have had a line but have no payout details (snapshot at creation).</summary>
    public List<PayoutMissingDetails> MissingDetails { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public required string CreatedByName { get; init; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public string? ApprovedBy { get; set; }
    public string? ApprovedByName { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public string? PaidBy { get; set; }
    public string? PaidByName { get; set; }
    public DateOnly? PaymentDate { get; set; }
    public string? PaymentReference { get; set; }
    public DateTimeOffset? DiscardedAt { get; set; }
    public string? DiscardedBy { get; set; }
    public string? DiscardedByName { get; set; }
}

public sealed class PayoutBatchTotal
{
    public required string Currency { get; set; }
    public int Lines { get; set; }
    public int Rewards { get; set; }
    public long GrossMinor { get; set; }
    public long ClawbacksMinor { get; set; }
    public long NetMinor { get; set; }
}

public sealed class PayoutMissingDetails
{
    public required string AmbassadorId { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public required string Currency { get; set; }
    public long AmountMinor { get; set; }
}

internal sealed class PayoutBatchConfiguration : IEntityTypeConfiguration<PayoutBatch>
{
    public void Configure(EntityTypeBuilder<PayoutBatch> batch)
    {
        batch.HasKey(b => b.Id);
        batch.Property(b => b.Id).HasMaxLength(40);
        batch.Property(b => b.Status).HasConversion<LowerCaseEnumConverter<PayoutBatchStatus>>().HasMaxLength(20);
        batch.Property(b => b.MinimumAmount).HasPrecision(18, 4);
        foreach (var actor in new[] { "CreatedBy", "ApprovedBy", "PaidBy", "DiscardedBy" })
        {
            batch.Property<string>(actor).HasMaxLength(80);
            batch.Property<string>(actor + "Name").HasMaxLength(254);
        }
        batch.Property(b => b.PaymentReference).HasMaxLength(140);
        batch.HasIndex(b => b.CreatedAt);
        batch.OwnsMany(b => b.Totals, totals => totals.ToJson());
        batch.OwnsMany(b => b.MissingDetails, missing => missing.ToJson());
    }
}
