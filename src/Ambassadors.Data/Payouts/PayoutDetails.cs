using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public enum PayoutMethod { Bank, Paypal }

/// <summary>Where and to whom an ambassador is paid; stored only once valid.</summary>
public sealed class PayoutDetails
{
    public required string AmbassadorId { get; init; }
    public PayoutMethod Method { get; set; }
    public required string LegalName { get; set; }
    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public required string Country { get; set; }
    /// <summary>Upper case, without spaces.</summary>
    public string? Iban { get; set; }
    public string? Bic { get; set; }
    public string? PaypalEmail { get; set; }
    public string? TaxId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

internal sealed class PayoutDetailsConfiguration : IEntityTypeConfiguration<PayoutDetails>
{
    public void Configure(EntityTypeBuilder<PayoutDetails> details)
    {
        details.HasKey(d => d.AmbassadorId);
        details.Property(d => d.AmbassadorId).HasMaxLength(40);
        details.Property(d => d.Method).HasConversion<LowerCaseEnumConverter<PayoutMethod>>().HasMaxLength(10);
        details.Property(d => d.LegalName).HasMaxLength(200);
        details.Property(d => d.Country).HasMaxLength(2).IsFixedLength();
        details.Property(d => d.Iban).HasMaxLength(34);
        details.Property(d => d.Bic).HasMaxLength(11);
        details.Property(d => d.PaypalEmail).HasMaxLength(254);
        details.Property(d => d.TaxId).HasMaxLength(50);
        details.Property(d => d.UpdatedBy).HasMaxLength(80);
        details.HasOne<Ambassador>().WithOne().HasForeignKey<PayoutDetails>(d => d.AmbassadorId).OnDelete(DeleteBehavior.Restrict);
    }
}
