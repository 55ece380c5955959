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
    /// <summary>Optimistic concurrency token, bumped on every change.</summary>
    public long Version { get; set; }
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
        campaign.Property(c => c.Version).IsConcurrencyToken();
    }
}
