using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>What a campaign is for; stored as its lowercase name.</summary>
public enum CampaignObjective { Brand, Product, Sales, Service }

public enum CampaignStatus { Draft, Recruiting, Active, Paused, Ended }

public sealed class Campaign
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public CampaignObjective Objective { get; set; }
    public CampaignStatus Status { get; set; }
    public required string DestinationUrl { get; set; }
    public required string Currency { get; init; }
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public int? Capacity { get; set; }
    public int AttributionWindowDays { get; set; }
    public int HoldingPeriodDays { get; set; }
    public decimal? RewardPerLead { get; set; }
    public decimal? RewardPerSale { get; set; }
    public decimal? RewardSalePercent { get; set; }
    /// <summary>Share (percent) of a referred member's reward credited to the member who referred them.</summary>
    public decimal? RewardSecondDegreePercent { get; set; }
    /// <summary>Members enrolled; raised only by a conditional update so capacity holds under races.</summary>
    public int MemberCount { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The objective made measurable: one of <see cref="CampaignKpis.Metrics"/> ("uniqueVisitors", ...), or none.</summary>
    public string? KpiMetric { get; set; }
    /// <summary>The target of <see cref="KpiMetric"/> (a count, or revenue in the campaign's currency).</summary>
    public decimal? KpiTarget { get; set; }
    /// <summary>What the campaign is, as applicants read it on the public form.</summary>
    public string? Description { get; set; }
    /// <summary>The programme's terms, shown on the application form; applicants consent to this text.</summary>
    public string? Terms { get; set; }
    /// <summary>ISO 3166-1 alpha-2 codes of the countries the campaign recruits in (the score's country fit); empty: anywhere.</summary>
    public List<string> TargetCountries { get; set; } = [];
    /// <summary>The weights of an applicant's score parts, set per campaign by its manager.</summary>
    public ScoringWeights Scoring { get; set; } = new();
    /// <summary>Optimistic concurrency token, bumped on every change.</summary>
    public long Version { get; set; }
}

/// <summary>The KPI metrics a campaign can be measured by, spelled as the API spells them.</summary>
public static class CampaignKpis
{
    public static readonly IReadOnlyList<string> Metrics = ["clicks", "uniqueVisitors", "leads", "sales", "revenue"];
}

/// <summary>
/// How much each part of an applicant's score counts (recruitment). Each part is a number from 0 to 1; the score is
/// the sum of weight x part. Every weight is 0 or more; a weight of 0 leaves the part out.
/// </summary>
public sealed class ScoringWeights
{
    /// <summary>Potential reach: followers on a log scale.</summary>
    public decimal Reach { get; set; } = 1m;
    /// <summary>Engagement rate, when the applicant gave one.</summary>
    public decimal Engagement { get; set; } = 1m;
    /// <summary>Motivation, as rated by the manager (a jury's rating).</summary>
    public decimal Motivation { get; set; } = 1m;
    /// <summary>Whether the applicant's country is one of the campaign's target countries.</summary>
    public decimal CountryFit { get; set; } = 1m;
    /// <summary>Results caused in earlier campaigns of this programme (an existing ambassador's conversions).</summary>
    public decimal PastResults { get; set; } = 1m;
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> campaign)
    {
        campaign.HasKey(c => c.Id);
        campaign.Property(c => c.Id).HasMaxLength(40);
        campaign.Property(c => c.Name).HasMaxLength(200);
        campaign.Property(c => c.Objective).HasConversion<LowerCaseEnumConverter<CampaignObjective>>().HasMaxLength(20);
        campaign.Property(c => c.Status).HasConversion<LowerCaseEnumConverter<CampaignStatus>>().HasMaxLength(20);
        campaign.Property(c => c.DestinationUrl).HasMaxLength(2048);
        campaign.Property(c => c.Currency).HasMaxLength(3).IsFixedLength();
        campaign.Property(c => c.RewardPerLead).HasPrecision(18, 4);
        campaign.Property(c => c.RewardPerSale).HasPrecision(18, 4);
        campaign.Property(c => c.RewardSalePercent).HasPrecision(9, 4);
        campaign.Property(c => c.RewardSecondDegreePercent).HasPrecision(9, 4);
        campaign.Property(c => c.KpiMetric).HasMaxLength(20);
        campaign.Property(c => c.KpiTarget).HasPrecision(18, 4);
        campaign.Property(c => c.Description).HasMaxLength(4000);
        campaign.Property(c => c.Terms).HasMaxLength(20000);
        campaign.PrimitiveCollection(c => c.TargetCountries);
        campaign.ComplexProperty(c => c.Scoring, scoring =>
        {
            scoring.Property(w => w.Reach).HasColumnName("ScoreWeightReach").HasPrecision(9, 4);
            scoring.Property(w => w.Engagement).HasColumnName("ScoreWeightEngagement").HasPrecision(9, 4);
            scoring.Property(w => w.Motivation).HasColumnName("ScoreWeightMotivation").HasPrecision(9, 4);
            scoring.Property(w => w.CountryFit).HasColumnName("ScoreWeightCountryFit").HasPrecision(9, 4);
            scoring.Property(w => w.PastResults).HasColumnName("ScoreWeightPastResults").HasPrecision(9, 4);
        });
        campaign.Property(c => c.Version).IsConcurrencyToken();
    }
}
