using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>Whose conversions a <see cref="ConversionCount"/> row counts.</summary>
public static class ConversionSubject
{
    public const string Ambassador = "ambassador";
    public const string Campaign = "campaign";
    public const string Content = "content";
    /// <summary>The referrer earning a second-degree override on the conversion (the subject id is the referrer's).</summary>
    public const string Referrer = "referrer";
}

/// <summary>
/// Conversions that stand (not reversed) per subject, day, kind and currency, kept in the transaction that records or
/// reverses them, so stats read a row per day instead of every conversion. The row of day <see cref="AllTime"/> holds the
/// subject's totals over all days.
/// </summary>
public sealed class ConversionCount
{
    /// <summary>
    /// The day of the all-time row: before any conversion (the API refuses an occurredAt that far back). Not
    /// <see cref="DateOnly.MinValue"/>, which Npgsql sends as -infinity while the migration's SQL wrote 0001-01-01.
    /// </summary>
    public static readonly DateOnly AllTime = new(1900, 1, 1);

    public required string Subject { get; init; }
    public required string SubjectId { get; init; }
    public DateOnly Day { get; init; }
    public ConversionKind Kind { get; init; }
    public required string Currency { get; init; }
    public long Count { get; set; }
    /// <summary>Sum of the conversions' amounts in minor units (a lead without an amount adds 0).</summary>
    public long AmountMinor { get; set; }
    /// <summary>How many of them carry a second-degree override.</summary>
    public long Overridden { get; set; }
}

internal sealed class ConversionCountConfiguration : IEntityTypeConfiguration<ConversionCount>
{
    public void Configure(EntityTypeBuilder<ConversionCount> count)
    {
        count.HasKey(c => new { c.Subject, c.SubjectId, c.Day, c.Kind, c.Currency });
        count.Property(c => c.Subject).HasMaxLength(20);
        count.Property(c => c.SubjectId).HasMaxLength(40);
        count.Property(c => c.Kind).HasConversion<LowerCaseEnumConverter<ConversionKind>>().HasMaxLength(10);
        count.Property(c => c.Currency).HasMaxLength(3).IsFixedLength();
    }
}
