using Ambassadors.Data;
using Ambassadors.Web.Http;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Campaigns;

[GenerateSerializer, Immutable]
public sealed record RewardRules(
    [property: Id(0)] decimal? PerLead,
    [property: Id(1)] decimal? PerSale,
    [property: Id(2)] decimal? SalePercent,
    [property: Id(3)] decimal? SecondDegreePercent = null);

/// <summary>A validated new campaign (the endpoint checks the shape, the grain the rest).</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignDraft(
    [property: Id(0)] string Name,
    [property: Id(1)] CampaignObjective Objective,
    [property: Id(2)] string DestinationUrl,
    [property: Id(3)] string Currency,
    [property: Id(4)] DateOnly? StartsOn,
    [property: Id(5)] DateOnly? EndsOn,
    [property: Id(6)] int? Capacity,
    [property: Id(7)] int AttributionWindowDays,
    [property: Id(8)] int HoldingPeriodDays,
    [property: Id(9)] RewardRules Rewards,
    [property: Id(10)] CampaignStatus Status,
    [property: Id(11)] KpiRecord? Kpi = null,
    [property: Id(12)] string? Description = null,
    [property: Id(13)] string? Terms = null,
    [property: Id(14)] IReadOnlyList<string>? TargetCountries = null,
    [property: Id(15)] ScoringRecord? Scoring = null);

/// <summary>A change to a campaign: null leaves a field as it is; the Clear flags empty an optional one.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignChanges(
    [property: Id(0)] string? Name,
    [property: Id(1)] CampaignObjective? Objective,
    [property: Id(2)] CampaignStatus? Status,
    [property: Id(3)] string? DestinationUrl,
    [property: Id(4)] DateOnly? StartsOn,
    [property: Id(5)] DateOnly? EndsOn,
    [property: Id(6)] int? Capacity,
    [property: Id(7)] int? AttributionWindowDays,
    [property: Id(8)] int? HoldingPeriodDays,
    [property: Id(9)] RewardRules? Rewards,
    [property: Id(10)] bool ClearCapacity = false,
    [property: Id(11)] bool ClearStartsOn = false,
    [property: Id(12)] bool ClearEndsOn = false,
    [property: Id(13)] KpiRecord? Kpi = null,
    [property: Id(14)] bool ClearKpi = false,
    [property: Id(15)] string? Description = null,
    [property: Id(16)] bool ClearDescription = false,
    [property: Id(17)] string? Terms = null,
    [property: Id(18)] bool ClearTerms = false,
    [property: Id(19)] IReadOnlyList<string>? TargetCountries = null,
    [property: Id(20)] ScoringRecord? Scoring = null);

/// <summary>The objective made measurable: one of <see cref="CampaignKpis.Metrics"/> and its target (a count, or revenue in the campaign's currency).</summary>
[GenerateSerializer, Immutable]
public sealed record KpiRecord(
    [property: Id(0)] string Metric,
    [property: Id(1)] decimal Target);

/// <summary>How much each part of an applicant's score counts (<see cref="ScoringWeights"/>), each 0 to 100.</summary>
[GenerateSerializer, Immutable]
public sealed record ScoringRecord(
    [property: Id(0)] decimal Reach,
    [property: Id(1)] decimal Engagement,
    [property: Id(2)] decimal Motivation,
    [property: Id(3)] decimal CountryFit,
    [property: Id(4)] decimal PastResults)
{
    /// <summary>Every part counts once: what a campaign starts with (and what the Recruitment migration gave existing ones).</summary>
    public static readonly ScoringRecord Default = From(new ScoringWeights());

    public static ScoringRecord From(ScoringWeights w) => new(w.Reach, w.Engagement, w.Motivation, w.CountryFit, w.PastResults);

    public ScoringWeights ToWeights() => new()
    {
        Reach = Reach, Engagement = Engagement, Motivation = Motivation, CountryFit = CountryFit, PastResults = PastResults,
    };
}

/// <summary>
/// A campaign as its grain keeps and returns it: the relational record's settings with enums, not the API's strings
/// (the API maps it to <see cref="CampaignView"/> at the edge, so renaming an API field never changes stored state).
/// Property names are the stored JSON's: state written before this type existed (the API view) still loads.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CampaignRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] CampaignObjective Objective,
    [property: Id(3)] CampaignStatus Status,
    [property: Id(4)] string DestinationUrl,
    [property: Id(5)] string Currency,
    [property: Id(6)] DateOnly? StartsOn,
    [property: Id(7)] DateOnly? EndsOn,
    [property: Id(8)] int? Capacity,
    [property: Id(9)] int AttributionWindowDays,
    [property: Id(10)] int HoldingPeriodDays,
    [property: Id(11)] RewardRules Rewards,
    [property: Id(12)] int Members,
    [property: Id(13)] DateTimeOffset CreatedAt,
    [property: Id(14)] DateTimeOffset UpdatedAt,
    [property: Id(15)] long Version,
    // Added with the managers' workspace: optional, so state stored before them still reads (and is refreshed, see RefreshAsync).
    [property: Id(16)] KpiRecord? Kpi = null,
    [property: Id(17)] string? Description = null,
    [property: Id(18)] string? Terms = null,
    [property: Id(19)] IReadOnlyList<string>? TargetCountries = null,
    [property: Id(20)] ScoringRecord? Scoring = null)
{
    public static CampaignRecord From(Campaign c) => new(
        c.Id, c.Name, c.Objective, c.Status, c.DestinationUrl, c.Currency, c.StartsOn, c.EndsOn, c.Capacity,
        c.AttributionWindowDays, c.HoldingPeriodDays,
        new RewardRules(c.RewardPerLead, c.RewardPerSale, c.RewardSalePercent, c.RewardSecondDegreePercent),
        c.MemberCount, c.CreatedAt, c.UpdatedAt, c.Version,
        c.KpiMetric is { } metric && c.KpiTarget is { } target ? new KpiRecord(metric, target) : null,
        c.Description, c.Terms, c.TargetCountries.ToList(), ScoringRecord.From(c.Scoring));

    /// <summary>The record as the relational model's type, for the rules written against it (rewards, the campaign's dates).</summary>
    public Campaign ToCampaign() => new()
    {
        Id = Id, Name = Name, Objective = Objective, Status = Status, DestinationUrl = DestinationUrl, Currency = Currency,
        StartsOn = StartsOn, EndsOn = EndsOn, Capacity = Capacity, AttributionWindowDays = AttributionWindowDays,
        HoldingPeriodDays = HoldingPeriodDays, RewardPerLead = Rewards.PerLead, RewardPerSale = Rewards.PerSale,
        RewardSalePercent = Rewards.SalePercent, RewardSecondDegreePercent = Rewards.SecondDegreePercent, MemberCount = Members,
        CreatedAt = CreatedAt, UpdatedAt = UpdatedAt, Version = Version, KpiMetric = Kpi?.Metric, KpiTarget = Kpi?.Target,
        Description = Description, Terms = Terms, TargetCountries = TargetCountries?.ToList() ?? [],
        Scoring = (Scoring ?? ScoringRecord.Default).ToWeights(),
    };
}

[GenerateSerializer, Immutable]
public sealed record MembershipView(
    [property: Id(0)] string AmbassadorId,
    [property: Id(1)] string CampaignId,
    [property: Id(2)] string ReferralCode,
    [property: Id(3)] DateTimeOffset JoinedAt,
    [property: Id(4)] string? ReferredBy = null);

public interface ICampaignGrain : ITrafficGrain
{
    Task<CampaignRecord?> GetAsync();
    Task<Result<CampaignRecord>> CreateAsync(CampaignDraft draft);
    Task<Result<CampaignRecord>> UpdateAsync(CampaignChanges changes);

    /// <summary>
    /// Enrols an ambassador with a referral code (generated when none is asked for), within capacity;
    /// also makes one code per content piece. Enrolling again with the same or no code returns the membership.
    /// </summary>
    /// <paramref name="referredByCode"/> is a code of another member of this campaign whose link brought them in.
    Task<Result<MembershipView>> EnrolAsync(string ambassadorId, string? requestedCode, string? referredByCode);

    /// <summary>Reads the record again after its members changed outside this grain (a removal, an import, recruitment's accept).</summary>
    Task ReloadAsync();

}

[GenerateSerializer]
public sealed class CampaignState : IHoldTraffic
{
    /// <summary>Cache of the relational record (docs/decisions.md, "Grains that cache records"); the database is the truth.</summary>
    [Id(0)] public CampaignRecord? Campaign { get; set; }
    [Id(1)] public TrafficCounters Traffic { get; set; } = new();
}

[GrainType(TrafficGrains.CampaignType)]
public sealed class CampaignGrain(
    [PersistentState("campaign", "grains")] IPersistentState<CampaignState> state,
    IDbContextFactory<AppDbContext> contexts,
    TimeProvider clock,
    ILogger<CampaignGrain> logger) : TrafficGrain<CampaignState>(state), ICampaignGrain
{
    private const int CodeAttempts = 8;

    private string Id => this.GetPrimaryKeyString();

    /// <summary>The record is the truth: re-read it on activation (one indexed read), in case a node that
    /// held this grain before changed it without this silo's storage seeing the last write.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        if (Stored.State.Campaign is null || Stored.State.Traffic.PiecesTracked) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await ImportPiecesAsync(await db.Content.Where(c => c.CampaignId == Id).Select(c => c.Id).ToListAsync(cancellationToken));
    }

    public Task<CampaignRecord?> GetAsync() => Task.FromResult(Stored.State.Campaign);

    public Task ReloadAsync() => RefreshAsync(default);



    public async Task<Result<CampaignRecord>> CreateAsync(CampaignDraft draft)
    {
        if (Stored.State.Campaign is { } existing) return Fail.Conflict($"Campaign {existing.Id} already exists.");
        if (DatesProblem(draft.StartsOn, draft.EndsOn) is { } dates) return dates;
        var now = clock.GetUtcNow();
        var campaign = new Campaign
        {
            Id = Id,
            Name = draft.Name,
            Objective = draft.Objective,
            Status = draft.Status,
            DestinationUrl = draft.DestinationUrl,
            Currency = draft.Currency,
            StartsOn = draft.StartsOn,
            EndsOn = draft.EndsOn,
            Capacity = draft.Capacity,
            AttributionWindowDays = draft.AttributionWindowDays,
            HoldingPeriodDays = draft.HoldingPeriodDays,
            RewardPerLead = draft.Rewards.PerLead,
            RewardPerSale = draft.Rewards.PerSale,
            RewardSalePercent = draft.Rewards.SalePercent,
            RewardSecondDegreePercent = draft.Rewards.SecondDegreePercent,
            KpiMetric = draft.Kpi?.Metric,
            KpiTarget = draft.Kpi?.Target,
            Description = draft.Description,
            Terms = draft.Terms,
            TargetCountries = draft.TargetCountries?.ToList() ?? [],
            Scoring = (draft.Scoring ?? ScoringRecord.Default).ToWeights(),
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
        }
        Stored.State.Campaign = CampaignRecord.From(campaign);
        Stored.State.Traffic.PiecesTracked = true; // a new campaign counts its pieces from its first click
        await Stored.WriteStateAsync();
        return Result<CampaignRecord>.Ok(Stored.State.Campaign, created: true);
    }

    public async Task<Result<CampaignRecord>> UpdateAsync(CampaignChanges changes)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == Id);
        if (campaign is null) return Fail.NotFound($"No campaign {Id}.");

        campaign.Name = changes.Name ?? campaign.Name;
        campaign.Objective = changes.Objective ?? campaign.Objective;
        campaign.Status = changes.Status ?? campaign.Status;
        campaign.DestinationUrl = changes.DestinationUrl ?? campaign.DestinationUrl;
        campaign.StartsOn = changes.ClearStartsOn ? null : changes.StartsOn ?? campaign.StartsOn;
        campaign.EndsOn = changes.ClearEndsOn ? null : changes.EndsOn ?? campaign.EndsOn;
        if (changes.ClearCapacity) campaign.Capacity = null;
        campaign.AttributionWindowDays = changes.AttributionWindowDays ?? campaign.AttributionWindowDays;
        campaign.HoldingPeriodDays = changes.HoldingPeriodDays ?? campaign.HoldingPeriodDays;
        if (changes.Rewards is { } rewards)
        {
            campaign.RewardPerLead = rewards.PerLead;
            campaign.RewardPerSale = rewards.PerSale;
            campaign.RewardSalePercent = rewards.SalePercent;
            campaign.RewardSecondDegreePercent = rewards.SecondDegreePercent;
        }
        if (changes.ClearKpi || changes.Kpi is not null)
        {
            campaign.KpiMetric = changes.Kpi?.Metric;
            campaign.KpiTarget = changes.Kpi?.Target;
        }
        campaign.Description = changes.ClearDescription ? null : changes.Description ?? campaign.Description;
        campaign.Terms = changes.ClearTerms ? null : changes.Terms ?? campaign.Terms;
        if (changes.TargetCountries is { } countries) campaign.TargetCountries = countries.ToList();
        if (changes.Scoring is { } scoring) campaign.Scoring = scoring.ToWeights();
        if (changes.Capacity is { } capacity)
        {
            if (capacity < campaign.MemberCount)
            {
                return Fail.Conflict($"The campaign already has {campaign.MemberCount} members; capacity cannot go below that.", "capacity");
            }
            campaign.Capacity = capacity;
        }
        if (DatesProblem(campaign.StartsOn, campaign.EndsOn) is { } dates) return dates;
        campaign.UpdatedAt = clock.GetUtcNow();
        campaign.Version++;
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another activation (during a membership change) or an enrolment changed the row first.
            await RefreshAsync(default);
            return Fail.Conflict("The campaign changed while this update was applied; read it again and retry.");
        }
        Stored.State.Campaign = CampaignRecord.From(campaign);
        await Stored.WriteStateAsync();
        return Result<CampaignRecord>.Ok(Stored.State.Campaign);
    }

    public async Task<Result<MembershipView>> EnrolAsync(string ambassadorId, string? requestedCode, string? referredByCode)
    {
        if (Stored.State.Campaign is null) return Fail.NotFound($"No campaign {Id}.");
        var code = requestedCode is null ? null : ReferralCodeFormat.Normalize(requestedCode);

        for (var attempt = 1; attempt <= CodeAttempts; attempt++)
        {
            // Null means a generated code met an existing one: draw another.
            if (await TryEnrolAsync(ambassadorId, code, referredByCode) is not { } outcome) continue;
            if (outcome.Created) await RefreshAsync(default);
            return outcome;
        }
        return Fail.Conflict("Could not find a free referral code; try again.");
    }

    private async Task<Result<MembershipView>?> TryEnrolAsync(string ambassadorId, string? requestedCode, string? referredByCode)
    {
        await using var db = await contexts.CreateDbContextAsync();
        if (!await db.Ambassadors.AnyAsync(a => a.Id == ambassadorId))
        {
            return Fail.NotFound($"No ambassador {ambassadorId}.");
        }
        if (await MembershipOfAsync(db, ambassadorId) is { } existing) return AlreadyIn(existing, requestedCode);
        if (Stored.State.Campaign!.Status == CampaignStatus.Ended)
        {
            return Fail.Conflict("The campaign has ended; nobody can join it.");
        }

        string? referredBy = null;
        if (referredByCode is not null)
        {
            // A click id (the amb_click cookie of someone who joined through a link) stands for the code clicked.
            var clicked = ClickIds.TryParse(referredByCode.Trim(), out _)
                ? await db.Clicks.AsNoTracking().Where(c => c.Id == referredByCode.Trim()).Select(c => c.Code).SingleOrDefaultAsync()
                : null;
            var normalized = clicked ?? ReferralCodeFormat.Normalize(referredByCode);
            var referrer = await db.ReferralCodes.AsNoTracking().SingleOrDefaultAsync(c => c.Code == normalized);
            if (referrer is null || referrer.CampaignId != Id)
            {
                return Fail.Invalid("referredBy", $"'{referredByCode}' is not a referral code (or click) of this campaign.");
            }
            if (referrer.AmbassadorId == ambassadorId)
            {
                return Fail.Invalid("referredBy", "An ambassador cannot refer themselves.");
            }
            referredBy = referrer.AmbassadorId;
        }

        var contentIds = await db.Content.Where(c => c.CampaignId == Id).Select(c => c.Id).ToListAsync();
        var campaignCode = requestedCode ?? ReferralCodeFormat.Generate();
        if (requestedCode is not null && await db.ReferralCodes.AnyAsync(c => c.Code == requestedCode))
        {
            return Fail.Conflict($"The referral code '{requestedCode}' is taken.", "referralCode");
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Capacity is held by one conditional update, so two nodes enrolling at once cannot overfill it.
        if (!await Enrolment.ReservePlacesAsync(db, Id, 1))
        {
            return Fail.Conflict($"The campaign is full: it takes {Stored.State.Campaign.Capacity} ambassadors.", "capacity");
        }
        var membership = Enrolment.Add(db, Id, ambassadorId, campaignCode, referredBy, contentIds, now);
        try
        {
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync();
            logger.LogInformation("Enrolment of {Ambassador} in {Campaign} hit a unique key: {Constraint}", ambassadorId, Id, DbErrors.ConstraintOf(e));
            return await WhyRefusedAsync(ambassadorId, requestedCode);
        }

        // Pieces published while this enrolment ran (perhaps on another node) get their links now: the database
        // decides, not this activation (ContentLinks).
        await ContentLinks.BackfillAsync(contexts, Id, now);
        return Result<MembershipView>.Ok(View(membership), created: true);
    }

    /// <summary>After a unique-key refusal: a concurrent enrolment won, the chosen code was taken, or (null) a generated code collided.</summary>
    private async Task<Result<MembershipView>?> WhyRefusedAsync(string ambassadorId, string? requestedCode)
    {
        await using var db = await contexts.CreateDbContextAsync();
        if (await MembershipOfAsync(db, ambassadorId) is { } existing) return AlreadyIn(existing, requestedCode);
        if (requestedCode is not null && await db.ReferralCodes.AnyAsync(c => c.Code == requestedCode))
        {
            return Fail.Conflict($"The referral code '{requestedCode}' is taken.", "referralCode");
        }
        return null;
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == Id, cancellationToken);
        if (campaign is null) return;
        // Same version and written with every field: nothing to do. State written before the workspace's fields (no scoring
        // weights) is refreshed once, so the KPI, texts, countries and weights stored in the record show.
        if (Stored.State.Campaign is { Scoring: not null } cached && cached.Version == campaign.Version) return;
        Stored.State.Campaign = CampaignRecord.From(campaign);
        await Stored.WriteStateAsync(cancellationToken);
    }

    private static Failure? DatesProblem(DateOnly? startsOn, DateOnly? endsOn) =>
        startsOn is { } starts && endsOn is { } ends && ends < starts
            ? Fail.Invalid("endsOn", "'endsOn' is before 'startsOn'.")
            : null;

    private Task<Membership?> MembershipOfAsync(AppDbContext db, string ambassadorId) =>
        db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.CampaignId == Id && m.AmbassadorId == ambassadorId);

    /// <summary>Enrolling someone already in: the same membership again, unless they ask for a different code.</summary>
    private static Result<MembershipView> AlreadyIn(Membership existing, string? requestedCode) =>
        requestedCode is null || requestedCode == existing.ReferralCode
            ? Result<MembershipView>.Ok(View(existing))
            : Fail.Conflict($"Ambassador {existing.AmbassadorId} is already in this campaign with code {existing.ReferralCode}.", "referralCode");

    private static MembershipView View(Membership m) => new(m.AmbassadorId, m.CampaignId, m.ReferralCode, m.JoinedAt, m.ReferredBy);
}
