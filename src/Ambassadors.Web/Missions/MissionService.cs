using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Http;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Missions;

/// <summary>A mission as it is asked for: by the API's body and by the manager's form alike (the same rules, <see cref="MissionService.Check"/>).</summary>
public sealed record MissionInput(string? Title, string? Brief, DateOnly? StartsOn, DateOnly? DueOn, decimal? Bonus);

/// <summary>What a member sends: a link to the proof and an optional note.</summary>
public sealed record ProofInput(string? ProofUrl, string? Note);

/// <summary>A mission's submissions by status.</summary>
public sealed record SubmissionCounts(int Submitted, int Accepted, int Rejected)
{
    public static readonly SubmissionCounts None = new(0, 0, 0);
}

/// <summary>The outcome of one review of one submission: the submission after it, and its bonus entry when one was added or exists.</summary>
public sealed record SubmissionReview(MissionSubmission Submission, LedgerEntry? Bonus);

/// <summary>
/// Missions and their submissions: managers make and change missions, members send proof while a mission runs, managers
/// accept (the bonus becomes one ledger entry, held and paid like any reward) or reject with a reason. Every change is
/// audited. Each review is one conditional update of the submission's status, in the transaction that adds the bonus
/// and its reward counts, so a bonus is added exactly once whatever the race (the unique SubmissionId is the backstop).
/// </summary>
public sealed class MissionService(IDbContextFactory<AppDbContext> contexts, TimeProvider clock, ILogger<MissionService> logger)
{
    public const int TitleLength = 200;
    public const int BriefLength = 20000;
    public const int NoteLength = 4000;
    public const int ReasonLength = 500;
    public const decimal MaxBonus = 1_000_000_000m;
    public const string MissionEntity = "mission";
    public const string SubmissionEntity = "mission-submission";

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The rules of a mission, field by field, under the API's field names.</summary>
    public static Validation Check(MissionInput input, string currency)
    {
        var check = new Validation();
        check.Required("title", input.Title, TitleLength);
        check.Required("brief", input.Brief, BriefLength, multiline: true);
        if (input.StartsOn is null) check.Add("startsOn", "'startsOn' is required (YYYY-MM-DD).");
        if (input.DueOn is null) check.Add("dueOn", "'dueOn' is required (YYYY-MM-DD).");
        if (input.StartsOn is { } starts && input.DueOn is { } due && due < starts) check.Add("dueOn", "'dueOn' is before 'startsOn'.");
        if (input.Bonus is { } bonus)
        {
            if (bonus < 0 || bonus > MaxBonus) check.Add("bonus", $"'bonus' must be between 0 and {MaxBonus:0}.");
            else check.MinorUnits("bonus", bonus, currency);
        }
        return check;
    }

    public async Task<Result<Mission>> CreateAsync(string campaignId, MissionInput input, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var campaign = Ids.LooksLike(campaignId, "cmp")
            ? await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => new { c.Id, c.Currency }).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (campaign is null) return Fail.NotFound($"No campaign {campaignId}.");
        if (Refused(Check(input, campaign.Currency)) is { } refused) return refused;
        var now = clock.GetUtcNow();
        var mission = new Mission
        {
            Id = Ids.New("msn"), CampaignId = campaign.Id, Title = input.Title!.Trim(), Brief = input.Brief!.Trim(),
            StartsOn = input.StartsOn!.Value, DueOn = input.DueOn!.Value, Currency = campaign.Currency,
            BonusMinor = input.Bonus is { } b ? Currencies.ToMinor(b, campaign.Currency) : null, CreatedAt = now,
        };
        db.Missions.Add(mission);
        db.AuditLog.Add(Audit(now, actor, "mission.created", MissionEntity, mission.Id, Describe(mission)));
        await db.SaveChangesAsync(cancellationToken);
        return Result<Mission>.Ok(mission, created: true);
    }

    public async Task<Result<Mission>> UpdateAsync(string missionId, MissionInput input, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mission = Ids.LooksLike(missionId, "msn") ? await db.Missions.SingleOrDefaultAsync(m => m.Id == missionId, cancellationToken) : null;
        if (mission is null) return Fail.NotFound($"No mission {missionId}.");
        if (Refused(Check(input, mission.Currency)) is { } refused) return refused;
        mission.Title = input.Title!.Trim();
        mission.Brief = input.Brief!.Trim();
        mission.StartsOn = input.StartsOn!.Value;
        mission.DueOn = input.DueOn!.Value;
        mission.BonusMinor = input.Bonus is { } b ? Currencies.ToMinor(b, mission.Currency) : null;
        if (!db.ChangeTracker.HasChanges()) return Result<Mission>.Unchanged(mission);
        db.AuditLog.Add(Audit(clock.GetUtcNow(), actor, "mission.updated", MissionEntity, mission.Id, Describe(mission)));
        await db.SaveChangesAsync(cancellationToken);
        return Result<Mission>.Ok(mission);
    }

    public async Task<Mission?> FindAsync(string missionId, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(missionId, "msn")) return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Missions.AsNoTracking().SingleOrDefaultAsync(m => m.Id == missionId, cancellationToken);
    }

    /// <summary>A campaign's missions, latest start first; null for an unknown campaign.</summary>
    public async Task<List<Mission>?> ListAsync(string campaignId, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(campaignId, "cmp")) return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, cancellationToken)) return null;
        return await db.Missions.AsNoTracking().Where(m => m.CampaignId == campaignId)
            .OrderByDescending(m => m.StartsOn).ThenByDescending(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Per mission, its submissions by status.</summary>
    public static async Task<Dictionary<string, SubmissionCounts>> CountsAsync(AppDbContext db, IReadOnlyCollection<string> missionIds,
        CancellationToken cancellationToken)
    {
        var rows = await db.MissionSubmissions.AsNoTracking().Where(s => missionIds.Contains(s.MissionId))
            .GroupBy(s => new { s.MissionId, s.Status }).Select(g => new { g.Key.MissionId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.MissionId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new SubmissionCounts(
            g.Where(r => r.Status == SubmissionStatus.Submitted).Sum(r => r.Count),
            g.Where(r => r.Status == SubmissionStatus.Accepted).Sum(r => r.Count),
            g.Where(r => r.Status == SubmissionStatus.Rejected).Sum(r => r.Count)), StringComparer.Ordinal);
    }

    /// <summary>
    /// A member's proof: only a current member of the mission's campaign, only while the mission runs (UTC days, inclusive).
    /// A first submission is added; a submitted or rejected one is replaced and waits for review again; an accepted one is final.
    /// </summary>
    public async Task<Result<MissionSubmission>> SubmitAsync(string ambassadorId, string missionId, ProofInput input, Actor actor,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mission = await MissionOfMemberAsync(db, ambassadorId, missionId, cancellationToken);
        if (mission is null) return Fail.NotFound($"No mission {missionId}.");
        var check = new Validation();
        var proof = check.Url("proofUrl", input.ProofUrl, required: true);
        var note = check.Optional("note", input.Note, NoteLength, multiline: true);
        if (Refused(check) is { } refused) return refused;
        var today = Today;
        if (today < mission.StartsOn || today > mission.DueOn)
        {
            return Fail.Conflict(today < mission.StartsOn
                ? $"The mission starts on {mission.StartsOn:yyyy-MM-dd}; proof can be sent from then."
                : $"The mission was due on {mission.DueOn:yyyy-MM-dd}; proof can no longer be sent.", "mission");
        }
        var now = clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var existing = await db.MissionSubmissions.AsNoTracking()
                .SingleOrDefaultAsync(s => s.MissionId == missionId && s.AmbassadorId == ambassadorId, cancellationToken);
            if (existing is null)
            {
                var submission = new MissionSubmission
                {
                    Id = Ids.New("sub"), MissionId = mission.Id, CampaignId = mission.CampaignId, AmbassadorId = ambassadorId,
                    ProofUrl = proof!, Note = note, Status = SubmissionStatus.Submitted, SubmittedAt = now,
                };
                db.MissionSubmissions.Add(submission);
                db.AuditLog.Add(Audit(now, actor, "mission-submission.submitted", SubmissionEntity, submission.Id, $"proof {proof}"));
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return Result<MissionSubmission>.Ok(submission, created: true);
                }
                catch (DbUpdateException e) when (attempt < 3 && DbErrors.IsUniqueViolation(e))
                {
                    // The same member sent it twice at once: the other one is stored; replace it below.
                    db.ChangeTracker.Clear();
                    continue;
                }
            }
            if (existing.Status == SubmissionStatus.Accepted) return Fail.Conflict("This proof was accepted; it cannot be changed any more.", "submission");
            // Not accepted meanwhile: the condition keeps a review that won the race.
            var changed = await db.MissionSubmissions
                .Where(s => s.Id == existing.Id && s.Status != SubmissionStatus.Accepted)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ProofUrl, proof!).SetProperty(x => x.Note, note)
                    .SetProperty(x => x.Status, SubmissionStatus.Submitted).SetProperty(x => x.SubmittedAt, now)
                    .SetProperty(x => x.ReviewedAt, (DateTimeOffset?)null).SetProperty(x => x.ReviewedBy, (string?)null)
                    .SetProperty(x => x.RejectionReason, (string?)null), cancellationToken);
            if (changed == 0) return Fail.Conflict("This proof was accepted; it cannot be changed any more.", "submission");
            db.AuditLog.Add(Audit(now, actor, "mission-submission.resubmitted", SubmissionEntity, existing.Id, $"proof {proof}"));
            await db.SaveChangesAsync(cancellationToken);
            return Result<MissionSubmission>.Ok(await db.MissionSubmissions.AsNoTracking().SingleAsync(s => s.Id == existing.Id, cancellationToken));
        }
    }

    /// <summary>The mission, when the ambassador is a current member of its campaign; otherwise null (the portal's 404).</summary>
    public static Task<Mission?> MissionOfMemberAsync(AppDbContext db, string ambassadorId, string missionId, CancellationToken cancellationToken) =>
        !Ids.LooksLike(missionId, "msn")
            ? Task.FromResult<Mission?>(null)
            : (from mission in db.Missions.AsNoTracking()
                where mission.Id == missionId
                join member in db.Memberships on mission.CampaignId equals member.CampaignId
                where member.AmbassadorId == ambassadorId && member.RemovedAt == null
                select mission).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Accepts a submitted proof: its status moves submitted -> accepted by one conditional update, and in the same
    /// transaction the mission's bonus (if any) becomes a ledger entry with its reward counts. Accepting again changes
    /// nothing; a rejected proof waits for the member to send it again (409).
    /// </summary>
    public async Task<Result<SubmissionReview>> AcceptAsync(string submissionId, Actor actor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAcceptAsync(submissionId, actor, cancellationToken);
            }
            catch (DbUpdateException e) when (attempt < 3 && DbErrors.IsUniqueViolation(e))
            {
                // The bonus of this submission is in the ledger already (the backstop): read again, which answers "unchanged".
                logger.LogInformation("Accept of {Submission} met its bonus already stored: {Error}", submissionId, e.InnerException?.Message ?? e.Message);
            }
        }
    }

    private async Task<Result<SubmissionReview>> TryAcceptAsync(string submissionId, Actor actor, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(submissionId, "sub")) return Fail.NotFound($"No submission {submissionId}.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var reviewer = Reviewer(actor);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var moved = await db.MissionSubmissions.Where(s => s.Id == submissionId && s.Status == SubmissionStatus.Submitted)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SubmissionStatus.Accepted).SetProperty(x => x.ReviewedAt, now)
                    .SetProperty(x => x.ReviewedBy, reviewer).SetProperty(x => x.RejectionReason, (string?)null), cancellationToken);
            if (moved == 1)
            {
                var found = await (
                        from s in db.MissionSubmissions.AsNoTracking()
                        where s.Id == submissionId
                        join m in db.Missions on s.MissionId equals m.Id
                        join c in db.Campaigns on m.CampaignId equals c.Id
                        select new { s.AmbassadorId, m.CampaignId, m.BonusMinor, m.Currency, m.Title, c.HoldingPeriodDays })
                    .SingleAsync(cancellationToken);
                var details = "no bonus";
                if (found.BonusMinor is > 0 and var bonus)
                {
                    var earnedOn = DateOnly.FromDateTime(now.UtcDateTime);
                    var entry = new LedgerEntry
                    {
                        SubmissionId = submissionId, EarnedOn = earnedOn, CountsOn = earnedOn, AmbassadorId = found.AmbassadorId,
                        CampaignId = found.CampaignId, Kind = LedgerEntryKind.MissionBonus, AmountMinor = bonus, Currency = found.Currency,
                        State = LedgerEntryState.Open, AvailableAt = now.AddDays(found.HoldingPeriodDays), CreatedAt = now,
                    };
                    db.Ledger.Add(entry);
                    await RewardCounts.ApplyAsync(db, [(CountedEntry.OfBonus(entry), LedgerEntryState.Open, 1)], cancellationToken);
                    details = $"bonus {Currencies.FromMinor(bonus, found.Currency)} {found.Currency}, payable from {entry.AvailableAt.UtcDateTime:yyyy-MM-dd}";
                }
                db.AuditLog.Add(Audit(now, actor, "mission-submission.accepted", SubmissionEntity, submissionId, $"{found.Title}: {details}"));
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken);
            }
            var review = await ReviewOfAsync(db, submissionId, cancellationToken);
            if (review is null) return Fail.NotFound($"No submission {submissionId}.");
            if (moved == 1) return Result<SubmissionReview>.Ok(review);
            return review.Submission.Status switch
            {
                SubmissionStatus.Accepted => Result<SubmissionReview>.Unchanged(review),
                SubmissionStatus.Rejected => Fail.Conflict($"Submission {submissionId} was rejected; the member may send it again, and then it can be accepted.", "status"),
                _ => Fail.Conflict($"Submission {submissionId} changed meanwhile; look again and retry.", "status"),
            };
        }
    }

    /// <summary>Rejects a submitted proof with a reason the member reads; rejecting again changes nothing; an accepted one is final (409).</summary>
    public async Task<Result<SubmissionReview>> RejectAsync(string submissionId, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(submissionId, "sub")) return Fail.NotFound($"No submission {submissionId}.");
        var check = new Validation();
        var why = check.Required("reason", reason, ReasonLength, multiline: true);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.MissionSubmissions.AnyAsync(s => s.Id == submissionId, cancellationToken)) return Fail.NotFound($"No submission {submissionId}.");
        if (Refused(check) is { } refused) return refused;
        var now = clock.GetUtcNow();
        var reviewer = Reviewer(actor);
        var moved = await db.MissionSubmissions.Where(s => s.Id == submissionId && s.Status == SubmissionStatus.Submitted)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SubmissionStatus.Rejected).SetProperty(x => x.ReviewedAt, now)
                .SetProperty(x => x.ReviewedBy, reviewer).SetProperty(x => x.RejectionReason, why), cancellationToken);
        if (moved == 1)
        {
            db.AuditLog.Add(Audit(now, actor, "mission-submission.rejected", SubmissionEntity, submissionId, why));
            await db.SaveChangesAsync(cancellationToken);
        }
        var review = (await ReviewOfAsync(db, submissionId, cancellationToken))!;
        if (moved == 1) return Result<SubmissionReview>.Ok(review);
        return review.Submission.Status == SubmissionStatus.Rejected
            ? Result<SubmissionReview>.Unchanged(review)
            : Fail.Conflict($"Submission {submissionId} was accepted; an accepted proof is final and its bonus stays.", "status");
    }

    /// <summary>A submission with its bonus entry (if any).</summary>
    public static async Task<SubmissionReview?> ReviewOfAsync(AppDbContext db, string submissionId, CancellationToken cancellationToken)
    {
        var submission = await db.MissionSubmissions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == submissionId, cancellationToken);
        if (submission is null) return null;
        var bonus = await db.Ledger.AsNoTracking().SingleOrDefaultAsync(e => e.SubmissionId == submissionId, cancellationToken);
        return new SubmissionReview(submission, bonus);
    }

    /// <summary>A mission's submissions, newest first, optionally of one status, with their bonus entries.</summary>
    public static IQueryable<MissionSubmission> SubmissionsOf(AppDbContext db, string missionId, SubmissionStatus? status)
    {
        var query = db.MissionSubmissions.AsNoTracking().Where(s => s.MissionId == missionId);
        if (status is { } wanted) query = query.Where(s => s.Status == wanted);
        return query.OrderByDescending(s => s.SubmittedAt).ThenBy(s => s.Id);
    }

    public static async Task<Dictionary<string, LedgerEntry>> BonusesAsync(AppDbContext db, IReadOnlyCollection<string> submissionIds,
        CancellationToken cancellationToken) =>
        await db.Ledger.AsNoTracking().Where(e => e.SubmissionId != null && submissionIds.Contains(e.SubmissionId))
            .ToDictionaryAsync(e => e.SubmissionId!, StringComparer.Ordinal, cancellationToken);

    private static string Reviewer(Actor actor) => actor.Name.Length <= 200 ? actor.Name : actor.Name[..200];

    private static Failure? Refused(Validation check)
    {
        if (check.IsValid) return null;
        var errors = check.Errors;
        return Fail.Invalid(new Dictionary<string, string[]>(errors), string.Join(" ", errors.SelectMany(e => e.Value)));
    }

    private static string Describe(Mission m) =>
        $"{m.Title}, {m.StartsOn:yyyy-MM-dd}..{m.DueOn:yyyy-MM-dd}, bonus " +
        (m.BonusMinor is { } b ? $"{Currencies.FromMinor(b, m.Currency)} {m.Currency}" : "none");

    private static AuditEntry Audit(DateTimeOffset at, Actor actor, string action, string entityType, string entityId, string details) => new()
    {
        At = at, Actor = actor.Id, ActorName = actor.Name, Action = action, EntityType = entityType, EntityId = entityId,
        Details = details.Length <= 2000 ? details : details[..2000],
    };
}
