using Microsoft.AspNetCore.Identity;

namespace Ambassadors.Data.Model;

/// <summary>What a campaign is for; stored as its lowercase name.</summary>
public enum CampaignObjective { Brand, Product, Sales, Service }

public enum CampaignStatus { Draft, Recruiting, Active, Paused, Ended }

public enum ApiKeyRole { Admin, Manager, Finance, Merchant }

public enum StaffRole { Admin, Manager, Finance }

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
    /// <summary>Members enrolled; raised only by a conditional update so capacity holds under races.</summary>
    public int MemberCount { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency token, bumped on every change.</summary>
    public long Version { get; set; }
}

public sealed class Ambassador
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    /// <summary>Lower-cased email; unique.</summary>
    public required string NormalizedEmail { get; set; }
    public List<SocialProfile> SocialProfiles { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class SocialProfile
{
    public required string Network { get; set; }
    public required string Handle { get; set; }
    public long Followers { get; set; }
}

public sealed class Membership
{
    public required string CampaignId { get; init; }
    public required string AmbassadorId { get; init; }
    /// <summary>Normalised (upper-case) campaign referral code.</summary>
    public required string ReferralCode { get; init; }
    public DateTimeOffset JoinedAt { get; init; }
}

public sealed class ContentPiece
{
    public required string Id { get; init; }
    public required string CampaignId { get; init; }
    public required string Title { get; set; }
    public string? Body { get; set; }
    public string? MediaUrl { get; set; }
    /// <summary>Null means the campaign's destination.</summary>
    public string? DestinationUrl { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

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

public sealed class ApiKey
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public ApiKeyRole Role { get; init; }
    /// <summary>SHA-256 of the key, hex; the key itself is shown once and never stored.</summary>
    public required string KeyHash { get; init; }
    /// <summary>The first characters of the key, to recognise it in lists.</summary>
    public required string Prefix { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Someone who signs in to the web pages: staff, or an ambassador in the portal.</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>admin, manager, finance or ambassador.</summary>
    public required string Role { get; set; }
    public string? AmbassadorId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Append-only record of who changed what.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>"key:{id}", "user:{id}" or "bootstrap".</summary>
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    public string? Details { get; init; }
}
