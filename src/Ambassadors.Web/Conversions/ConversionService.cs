using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ambassadors.Data;
using Ambassadors.Web.Campaigns;
using Ambassadors.Web.Http;
using Ambassadors.Web.ReferralCodes;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Conversions;

/// <summary>A conversion request that passed the shape checks.</summary>
public sealed record ConversionInput(
    string ExternalId,
    ConversionKind Kind,
    decimal? Amount,
    string? Currency,
    string? ReferralCode,
    string? ClickId,
    string? CustomerId,
    DateTimeOffset? OccurredAt)
{
    /// <summary>The request as sent, canonically (10 and 10.00 alike): a retry has the same fingerprint, a clash another.</summary>
    public string Fingerprint()
    {
        var text = string.Join('\n',
            Kind, Amount is { } a ? (a / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : "",
            Currency ?? "", ReferralCode ?? "", ClickId ?? "", CustomerId ?? "",
            OccurredAt?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

public sealed record RewardView(decimal Amount, string Currency, string Status, decimal? ClawedBack = null);

public sealed record SecondDegreeView(string AmbassadorId, decimal Amount, string Currency, string Status);

public sealed record ConversionView(
    string Id,
    string ExternalId,
    string Kind,
    string Status,
    string AmbassadorId,
    string CampaignId,
    string? ContentId,
    decimal? Amount,
    string Currency,
    string ReferralCode,
    string? ClickId,
    string AttributedBy,
    string? CustomerId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    RewardView? Reward,
    string? RewardNote,
    SecondDegreeView? SecondDegree,
    DateTimeOffset? ReversedAt,
    string? ReversalReason);

/// <summary>
/// Records conversions and reversals. Exactly once is the database's job: the merchant's externalId is a
/// unique key, and a conversion and its ledger entries are stored in one transaction.
/// </summary>
public sealed class ConversionService(IDbContextFactory<AppDbContext> contexts, ConversionWriter writer, MemberTermsReader members, IGrainFactory grains, TimeProvider clock, ILogger<ConversionService> logger)
{
    /// <summary>How long a conversion waits for a click id issued moments ago that its collector has not flushed yet.</summary>
    private static readonly TimeSpan UnflushedClickWait = TimeSpan.FromSeconds(3);

    /// <summary>Tolerated difference between the merchant's clock and ours.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Two database round trips for a new conversion, each shared with the conversions that arrive with it: the membership
    /// (removal, referrer; <see cref="MemberTermsReader"/>) and the transaction (<see cref="ConversionWriter"/>). The code and
    /// the campaign come from their grains' caches (docs/decisions.md, "Grains that cache records"), and the unique key on
    /// externalId is the duplicate check: a repeat is looked up only when the insert hits it, or when the request fails.
    /// </summary>
    public async Task<Result<ConversionView>> RecordAsync(ConversionInput input, CancellationToken cancellationToken)
    {
        var fingerprint = input.Fingerprint();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var occurredAt = (input.OccurredAt ?? now).ToUniversalTime();
        var attribution = await AttributeAsync(db, input, occurredAt, cancellationToken);
        if (attribution.Failure is { } failure) return await RefusedAsync(db, input, fingerprint, failure, cancellationToken);
        var (target, clickId, campaign, rewardNote) = attribution.Value!;
        var member = await members.ReadAsync(target.CampaignId, target.AmbassadorId, cancellationToken);
        rewardNote ??= CampaignLifecycle.WhyNoRewardAfterRemoval(member?.RemovedAt, occurredAt);

        if (input.Currency is { } currency && currency != campaign.Currency)
        {
            return await RefusedAsync(db, input, fingerprint,
                Fail.Invalid("currency", $"The campaign {campaign.Id} is paid in {campaign.Currency}; the conversion says {currency}."), cancellationToken);
        }
        if (input.Amount is { } amount && !Currencies.FitsMinorUnit(amount, campaign.Currency))
        {
            return await RefusedAsync(db, input, fingerprint, Fail.Invalid("amount", Validation.TooManyDecimals("amount", campaign.Currency)), cancellationToken);
        }

        var conversion = new Conversion
        {
            Id = Ids.New("cnv"),
            ExternalId = input.ExternalId,
            Kind = input.Kind,
            AmountMinor = input.Amount is { } a ? Rewards.ToMinor(a, campaign.Currency) : null,
            Currency = campaign.Currency,
            CustomerId = input.CustomerId,
            OccurredAt = occurredAt,
            OccurredOn = DateOnly.FromDateTime(occurredAt.UtcDateTime),
            ReceivedAt = now,
            AmbassadorId = target.AmbassadorId,
            CampaignId = target.CampaignId,
            ContentId = target.ContentId,
            ClickId = clickId,
            ReferralCode = target.Code,
            AttributedBy = clickId is null ? "referralCode" : "clickId",
            Fingerprint = fingerprint,
            RewardNote = rewardNote,
        };
        // Outside the campaign's dates the conversion is recorded (it counts in stats) but books nothing, nor an override.
        var entries = rewardNote is null ? await RewardsAsync(conversion, campaign, input, member?.ReferredBy, now, cancellationToken) : [];
        if (!await writer.StoreAsync(conversion, entries))
        {
            // A repeat, or a concurrent duplicate that got in first (PostgreSQL made us wait for its commit): answer as a retry.
            logger.LogInformation("Conversion {ExternalId} is already stored", input.ExternalId);
            return await SameAsBeforeAsync(db, input.ExternalId, fingerprint, cancellationToken)
                ?? throw new InvalidOperationException($"Conversion {input.ExternalId} hit a unique key but is not stored.");
        }
        // The entries just saved are the conversion's only ones: no need to read them back.
        return Result<ConversionView>.Ok(View(conversion, entries), created: true);
    }

    /// <summary>The first-degree reward and, when the member was referred, the referrer's override, to be saved with the conversion.</summary>
    private async Task<List<LedgerEntry>> RewardsAsync(Conversion conversion, Campaign campaign, ConversionInput input,
        string? referrer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>(2);
        var availableAt = conversion.OccurredAt.AddDays(campaign.HoldingPeriodDays);
        var reward = Rewards.FirstDegree(campaign, input.Kind, input.Amount);
        if (reward != 0) entries.Add(Entry(conversion, conversion.AmbassadorId, LedgerEntryKind.Reward, reward, availableAt, now));
        var overrideReward = Rewards.SecondDegree(campaign, reward);
        // A referrer removed from the campaign before the conversion earns no override either.
        if (referrer is not null && overrideReward != 0
            && CampaignLifecycle.WhyNoRewardAfterRemoval((await members.ReadAsync(conversion.CampaignId, referrer, cancellationToken))?.RemovedAt, conversion.OccurredAt) is null)
        {
            entries.Add(Entry(conversion, referrer, LedgerEntryKind.SecondDegree, overrideReward, availableAt, now));
        }
        return entries;
    }

    /// <summary>A request that cannot be recorded still answers as a retry when its externalId is stored (200, or 409 for another body).</summary>
    private async Task<Result<ConversionView>> RefusedAsync(AppDbContext db, ConversionInput input, string fingerprint, Failure failure,
        CancellationToken cancellationToken) =>
        await SameAsBeforeAsync(db, input.ExternalId, fingerprint, cancellationToken) ?? (Result<ConversionView>)failure;

    public async Task<ConversionView?> FindAsync(string externalId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversion = await db.Conversions.AsNoTracking().SingleOrDefaultAsync(c => c.ExternalId == externalId, cancellationToken);
        return conversion is null ? null : await ViewAsync(db, conversion, cancellationToken);
    }

    /// <summary>
    /// Reverses a conversion once: unbatched entries are voided, paid or batched ones get a negative clawback entry that the
    /// next payout offsets. The conditional update on the conversion row decides which of two racing reversals acts.
    /// </summary>
    public async Task<ConversionView?> ReverseAsync(string externalId, string? reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversionId = await db.Conversions.Where(c => c.ExternalId == externalId).Select(c => c.Id).SingleOrDefaultAsync(cancellationToken);
        if (conversionId is null) return null;
        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var reversed = await db.Conversions
                .Where(c => c.Id == conversionId && c.ReversedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ReversedAt, now).SetProperty(c => c.ReversalReason, reason), cancellationToken);
            if (reversed == 1)
            {
                // Unbatched entries are voided. An entry a payout batch already holds stays as the batch made it (its totals
                // are what finance approves and pays), so it is taken back like a paid one, by a clawback in a later batch.
                var voided = db.Ledger.Where(e => e.ConversionId == conversionId).Where(LedgerRules.VoidedOnReversal);
                var voidedEntries = await voided.AsNoTracking().ToListAsync(cancellationToken);
                await voided.ExecuteUpdateAsync(s => s.SetProperty(e => e.State, LedgerEntryState.Voided).SetProperty(e => e.VoidedAt, now), cancellationToken);
                var paid = await db.Ledger.AsNoTracking()
                    .Where(e => e.ConversionId == conversionId).Where(LedgerRules.ClawedBackOnReversal)
                    .ToListAsync(cancellationToken);
                foreach (var entry in paid)
                {
                    db.Ledger.Add(new LedgerEntry
                    {
                        ConversionId = conversionId,
                        AmbassadorId = entry.AmbassadorId,
                        CampaignId = entry.CampaignId,
                        ContentId = entry.ContentId,
                        Kind = LedgerEntryKind.Clawback,
                        AmountMinor = -entry.AmountMinor,
                        Currency = entry.Currency,
                        CountsOn = entry.CountsOn,
                        SecondDegree = entry.SecondDegree,
                        State = LedgerEntryState.Open,
                        AvailableAt = now,
                        CreatedAt = now,
                        ReversesEntryId = entry.Id,
                    });
                }
                await db.SaveChangesAsync(cancellationToken);
                var stood = await db.Conversions.AsNoTracking().SingleAsync(c => c.Id == conversionId, cancellationToken);
                var referrer = await db.Ledger.Where(e => e.ConversionId == conversionId && e.Kind == LedgerEntryKind.SecondDegree)
                    .Select(e => e.AmbassadorId).FirstOrDefaultAsync(cancellationToken);
                await ConversionCounts.ApplyAsync(db, stood, referrer, -1, cancellationToken);
                // The stats' reward counts: the voided entries leave, the clawbacks come in (open, payable at once).
                await RewardCounts.ApplyAsync(db, voidedEntries.Select(e => (CountedEntry.Of(e, stood), LedgerEntryState.Open, -1))
                    .Concat(db.Ledger.Local.Where(e => e.Kind == LedgerEntryKind.Clawback).Select(e => (CountedEntry.Of(e, stood), LedgerEntryState.Open, 1))),
                    cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var conversion = await db.Conversions.AsNoTracking().SingleAsync(c => c.Id == conversionId, cancellationToken);
        return await ViewAsync(db, conversion, cancellationToken);
    }

    private async Task<Result<ConversionView>?> SameAsBeforeAsync(AppDbContext db, string externalId, string fingerprint, CancellationToken cancellationToken)
    {
        var existing = await db.Conversions.AsNoTracking().SingleOrDefaultAsync(c => c.ExternalId == externalId, cancellationToken);
        if (existing is null) return null;
        if (existing.Fingerprint != fingerprint)
        {
            return Fail.Conflict($"A different conversion with externalId '{externalId}' is already stored; an externalId names one conversion.", "externalId");
        }
        return Result<ConversionView>.Ok(await ViewAsync(db, existing, cancellationToken));
    }

    /// <summary>Who is credited, through which click (if any), and why it earns nothing (null when it earns).</summary>
    private sealed record Attribution(CodeTarget Target, string? ClickId, Campaign Campaign, string? RewardNote);

    /// <summary>
    /// The click id wins when it names a person's click (not a bot's or a link preview's) of the campaign inside its
    /// attribution window; otherwise the referral code. Then the campaign's dates decide whether it earns (CampaignLifecycle).
    /// </summary>
    private async Task<Result<Attribution>> AttributeAsync(AppDbContext db, ConversionInput input, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        CodeTarget? code = null;
        if (input.ReferralCode is { } given)
        {
            var normalized = ReferralCodeFormat.Normalize(given);
            code = await CodeTargetAsync(normalized);
        }

        string? whyNotClick = null;
        if (input.ClickId is { } clickId)
        {
            var click = await FindClickAsync(db, clickId, cancellationToken);
            var campaign = click is null ? null : await CampaignAsync(click.CampaignId);
            if (click is null || campaign is null)
            {
                whyNotClick = $"no click {clickId} is recorded";
            }
            else if (click.IsBot)
            {
                whyNotClick = $"click {clickId} came from a bot or link preview, not a person";
            }
            else if (code is not null && code.CampaignId != click.CampaignId)
            {
                whyNotClick = $"click {clickId} belongs to another campaign than referral code {code.Code}";
            }
            else if (occurredAt < click.At - ClockSkew || occurredAt > click.At.AddDays(campaign.AttributionWindowDays))
            {
                whyNotClick = $"click {clickId} of {click.At:u} is outside the campaign's {campaign.AttributionWindowDays}-day attribution window for a conversion at {occurredAt:u}";
            }
            else
            {
                var target = new CodeTarget(click.Code, click.AmbassadorId, click.CampaignId, click.ContentId);
                return Result<Attribution>.Ok(new Attribution(target, click.Id, campaign, CampaignLifecycle.WhyNoRewardForClick(campaign, click.At)));
            }
        }

        if (code is not null)
        {
            if (await CampaignAsync(code.CampaignId) is not { } campaign) return Fail.Invalid("referralCode", $"The conversion cannot be attributed: no referral code {code.Code} exists.");
            return Result<Attribution>.Ok(new Attribution(code, null, campaign, CampaignLifecycle.WhyNoRewardForCode(campaign, occurredAt)));
        }
        var reasons = new[] { whyNotClick, input.ReferralCode is { } c ? $"no referral code {c} exists" : null }.OfType<string>();
        return Fail.Invalid(input.ClickId is not null ? "clickId" : "referralCode",
            $"The conversion cannot be attributed: {string.Join("; ", reasons)}.");
    }

    /// <summary>
    /// What a code points at never changes once stored (docs/decisions.md, "Grains that cache records"), so this node keeps
    /// the codes it resolved, up to <see cref="KnownCodesLimit"/> (then it starts again): one grain call fewer per conversion.
    /// </summary>
    private async Task<CodeTarget?> CodeTargetAsync(string normalizedCode)
    {
        if (_knownCodes.TryGetValue(normalizedCode, out var known)) return known;
        var target = (await grains.GetGrain<IReferralCodeGrain>(ReferralCodeGrain.KeyOf(normalizedCode)).ResolveAsync())?.Target;
        if (target is null) return null;
        if (_knownCodes.Count >= KnownCodesLimit) _knownCodes.Clear();
        _knownCodes[normalizedCode] = target;
        return target;
    }

    private const int KnownCodesLimit = 100_000;
    private readonly ConcurrentDictionary<string, CodeTarget> _knownCodes = new();

    /// <summary>
    /// The campaign's terms from its grain, which keeps the record (read on activation, updated by its writes). The grain's
    /// reference is kept per campaign: making one builds its copiers by reflection, a few percent of a conversion's CPU.
    /// </summary>
    private async Task<Campaign?> CampaignAsync(string campaignId)
    {
        if (!_campaignGrains.TryGetValue(campaignId, out var grain))
        {
            if (_campaignGrains.Count >= KnownCampaignsLimit) _campaignGrains.Clear();
            grain = _campaignGrains[campaignId] = grains.GetGrain<ICampaignGrain>(campaignId);
        }
        return (await grain.GetAsync())?.ToCampaign();
    }

    /// <summary>Campaign grain references this node keeps before it starts again (a campaign's reference never changes).</summary>
    private const int KnownCampaignsLimit = 10_000;

    private readonly ConcurrentDictionary<string, ICampaignGrain> _campaignGrains = new(StringComparer.Ordinal);

    /// <summary>
    /// Clicks are written by each node's collector once a second; a click id minted moments ago may not be stored
    /// yet, so wait briefly for it. Its id carries its time, so an old or made-up id is not waited for.
    /// </summary>
    private async Task<Click?> FindClickAsync(AppDbContext db, string clickId, CancellationToken cancellationToken)
    {
        var click = await db.Clicks.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clickId, cancellationToken);
        if (click is not null || !ClickIds.TryParse(clickId, out var issuedAt)) return click;
        var now = clock.GetUtcNow();
        if (issuedAt > now + ClickCollector.FlushInterval) return null; // minted "in the future": not ours
        var deadline = issuedAt + ClickCollector.FlushInterval + UnflushedClickWait;
        while (click is null && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(200, cancellationToken);
            click = await db.Clicks.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clickId, cancellationToken);
        }
        return click;
    }

    private static LedgerEntry Entry(Conversion conversion, string ambassadorId, LedgerEntryKind kind, long amountMinor, DateTimeOffset availableAt, DateTimeOffset now) => new()
    {
        ConversionId = conversion.Id,
        AmbassadorId = ambassadorId,
        CampaignId = conversion.CampaignId,
        ContentId = conversion.ContentId,
        Kind = kind,
        AmountMinor = amountMinor,
        Currency = conversion.Currency,
        State = LedgerEntryState.Open,
        AvailableAt = availableAt,
        CountsOn = conversion.OccurredOn,
        SecondDegree = ambassadorId != conversion.AmbassadorId,
        CreatedAt = now,
    };

    private async Task<ConversionView> ViewAsync(AppDbContext db, Conversion c, CancellationToken cancellationToken) =>
        View(c, await db.Ledger.AsNoTracking().Where(e => e.ConversionId == c.Id).ToListAsync(cancellationToken));

    /// <summary>Newest first (by when they happened), optionally of one campaign or ambassador and a window of UTC dates.</summary>
    public async Task<Page<ConversionView>> ListAsync(string? campaignId, string? ambassadorId, DateOnly? from, DateOnly? to, Paging paging, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Conversions.AsNoTracking();
        if (campaignId is not null) query = query.Where(c => c.CampaignId == campaignId);
        if (ambassadorId is not null) query = query.Where(c => c.AmbassadorId == ambassadorId);
        if (from is { } f) query = query.Where(c => c.OccurredOn >= f);
        if (to is { } t) query = query.Where(c => c.OccurredOn <= t);
        var total = await query.CountAsync(cancellationToken);
        var conversions = await query.OrderByDescending(c => c.OccurredAt).ThenBy(c => c.Id)
            .Skip(paging.Skip).Take(paging.Take).ToListAsync(cancellationToken);
        var ids = conversions.Select(c => c.Id).ToList();
        var entries = (await db.Ledger.AsNoTracking().Where(e => e.ConversionId != null && ids.Contains(e.ConversionId)).ToListAsync(cancellationToken))
            .ToLookup(e => e.ConversionId!);
        return new Page<ConversionView>(conversions.Select(c => View(c, entries[c.Id].ToList())).ToList(), total, paging.Take, paging.Skip);
    }

    private ConversionView View(Conversion c, IReadOnlyList<LedgerEntry> entries)
    {
        var now = clock.GetUtcNow();
        var first = entries.SingleOrDefault(e => e.Kind == LedgerEntryKind.Reward);
        var clawedBack = entries.Where(e => e.Kind == LedgerEntryKind.Clawback && e.AmbassadorId == c.AmbassadorId).Sum(e => -e.AmountMinor);
        var reward = c.RewardNote is not null ? null : first is null
            ? new RewardView(Rewards.FromMinor(0, c.Currency), c.Currency, c.ReversedAt is null ? "none" : "voided")
            : new RewardView(Rewards.FromMinor(first.AmountMinor, c.Currency), c.Currency, LedgerRules.StatusOf(first, now).Name(),
                clawedBack == 0 ? null : Rewards.FromMinor(clawedBack, c.Currency));
        var second = entries.SingleOrDefault(e => e.Kind == LedgerEntryKind.SecondDegree) is { } s
            ? new SecondDegreeView(s.AmbassadorId, Rewards.FromMinor(s.AmountMinor, c.Currency), c.Currency, LedgerRules.StatusOf(s, now).Name())
            : null;
        return new ConversionView(c.Id, c.ExternalId, c.Kind.Name(), c.ReversedAt is null ? "recorded" : "reversed",
            c.AmbassadorId, c.CampaignId, c.ContentId, c.AmountMinor is { } minor ? Rewards.FromMinor(minor, c.Currency) : null,
            c.Currency, c.ReferralCode, c.ClickId, c.AttributedBy, c.CustomerId, c.OccurredAt, c.ReceivedAt, reward, c.RewardNote, second,
            c.ReversedAt, c.ReversalReason);
    }
}
