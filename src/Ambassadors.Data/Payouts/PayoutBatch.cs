using Microsoft.AspNetCore.Identity;

namespace Ambassadors.Data;

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
    /// <summary>Share (percent) of a referred member's reward credited to the member who referred them.</summary>
    public decimal? RewardSecondDegreePercent { get; set; }
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
    /// <summary>The member of the same campaign whose referral link brought this one in (second-degree credit).</summary>
    public string? ReferredBy { get; init; }
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
    /// <summary>"key:{id}", "user:{id}", "cli" or "bootstrap".</summary>
    public required string Actor { get; init; }
    /// <summary>The actor as people read it when the entry was written (an email, a key's name).</summary>
    public string? ActorName { get; init; }
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    public string? Details { get; init; }
}

public enum ConversionKind { Lead, Sale }

/// <summary>reward: the first-degree reward; secondDegree: the referrer's override; clawback: a paid amount taken back.</summary>
public enum LedgerEntryKind { Reward, SecondDegree, Clawback }

/// <summary>
/// open: owed (pending until <see cref="LedgerEntry.AvailableAt"/>, approved after); paid; voided (reversed before payment).
/// </summary>
public enum LedgerEntryState { Open, Paid, Voided }

/// <summary>One redirect through a tracked link (append-only, written in batches).</summary>
public sealed class Click
{
    /// <summary>"clk_" + 26 base-32 characters whose first ten carry the time in milliseconds.</summary>
    public required string Id { get; init; }
    public required string Code { get; init; }
    public required string AmbassadorId { get; init; }
    public required string CampaignId { get; init; }
    public string? ContentId { get; init; }
    public required string VisitorId { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>A known bot, link-preview fetcher or HEAD request: redirected, not counted as a click.</summary>
    public bool IsBot { get; init; }
    /// <summary>Many clicks from one address in a short time: counted, but flagged for review.</summary>
    public bool Flagged { get; init; }
    /// <summary>SHA-256 of the client address (hex, first 32 characters); the address itself is not kept.</summary>
    public string? AddressHash { get; init; }
    public string? UserAgent { get; init; }
}

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
    public DateTimeOffset? ReversedAt { get; set; }
    public string? ReversalReason { get; set; }
}

/// <summary>Money owed to (or taken back from) an ambassador. Amounts are integer minor units, rounded once when made.</summary>
public sealed class LedgerEntry
{
    public long Id { get; init; }
    public required string ConversionId { get; init; }
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

public enum WorkbookExportState { Queued, Running, Done, Failed, Downloaded }

/// <summary>
/// A payout workbook written in the background for the person who asked, on whichever node took the request; its
/// progress and, once written, the file are in the database, so any node can answer the polling and the download.
/// </summary>
public sealed class WorkbookExport
{
    public required string Id { get; init; }
    public required string BatchId { get; init; }
    /// <summary>The user id of who started it; nobody else sees it.</summary>
    public required string StartedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>Moved on by the writing node at least every few seconds; a queued or running export left behind is failed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    public WorkbookExportState State { get; set; }
    public long RowsWritten { get; set; }
    public long TotalRows { get; set; }
    public string? FileName { get; set; }
    public string? Error { get; set; }
    /// <summary>The .xlsx once written; cleared when downloaded.</summary>
    public byte[]? Content { get; set; }
}

