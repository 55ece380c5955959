using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>What one payee is paid in one currency by a batch, with the payee's details as they were when it was made.</summary>
public sealed class PayoutLine
{
    public long Id { get; init; }
    public required string BatchId { get; init; }
    /// <summary>1-based, in payment order.</summary>
    public int Number { get; init; }
    public required string AmbassadorId { get; init; }
    public required string Currency { get; init; }
    public long GrossMinor { get; init; }
    /// <summary>Zero or negative.</summary>
    public long ClawbacksMinor { get; init; }
    public long NetMinor { get; init; }
    public int RewardCount { get; init; }
    public required string PaymentReference { get; init; }
    public required string Payee { get; init; }
    public required string Email { get; init; }
    public required string Country { get; init; }
    public PayoutMethod Method { get; init; }
    public string? Iban { get; init; }
    public string? Bic { get; init; }
    public string? PaypalEmail { get; init; }
    public string? TaxId { get; init; }
}

internal sealed class PayoutLineConfiguration : IEntityTypeConfiguration<PayoutLine>
{
    public void Configure(EntityTypeBuilder<PayoutLine> line)
    {
        line.HasKey(l => l.Id);
        line.Property(l => l.BatchId).HasMaxLength(40);
        line.Property(l => l.AmbassadorId).HasMaxLength(40);
        line.Property(l => l.Currency).HasMaxLength(3).IsFixedLength();
        line.Property(l => l.PaymentReference).HasMaxLength(60);
        line.Property(l => l.Payee).HasMaxLength(200);
        line.Property(l => l.Email).HasMaxLength(254);
        line.Property(l => l.Country).HasMaxLength(2).IsFixedLength();
        line.Property(l => l.Method).HasConversion<LowerCaseEnumConverter<PayoutMethod>>().HasMaxLength(10);
        line.Property(l => l.Iban).HasMaxLength(34);
        line.Property(l => l.Bic).HasMaxLength(11);
        line.Property(l => l.PaypalEmail).HasMaxLength(254);
        line.Property(l => l.TaxId).HasMaxLength(50);
        // One line per payee and currency in a batch.
        line.HasIndex(l => new { l.BatchId, l.AmbassadorId, l.Currency }).IsUnique();
        line.HasIndex(l => new { l.BatchId, l.Number }).IsUnique();
        line.HasIndex(l => l.PaymentReference).IsUnique();
        line.HasOne<PayoutBatch>().WithMany().HasForeignKey(l => l.BatchId).OnDelete(DeleteBehavior.Restrict);
    }
}
