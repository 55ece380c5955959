using Ambassadors.Data;
using Ambassadors.Payouts.Workbook;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Payouts;

public sealed class PayoutOptions
{
    /// <summary>The programme's name, in the workbook's title and file name (Ambassadors:ProgrammeName).</summary>
    public string ProgrammeName { get; set; } = "Ambassadors";
}

/// <summary>
/// Payout batches over the ledger. A batch claims its entries with one conditional update
/// (<c>PayoutBatchId IS NULL</c> → the batch), so an entry is in at most one batch whatever runs at the same time;
/// every transition is a conditional update on the batch's status, so each happens once.
/// </summary>
public sealed class PayoutService(IDbContextFactory<AppDbContext> contexts, TimeProvider clock, PayoutOptions options) : IPayoutService
{
    public const string BatchEntity = "payout-batch";
    public const string DetailsEntity = "payout-details";
    private const int Attempts = 4;

    /// <summary>The PostgreSQL advisory lock key that batch creations take in turn ("PAYB" in ASCII).</summary>
    private const long BatchCreationLock = 0x50415942;

    public async Task<PayoutDetailsView?> GetDetailsAsync(string ambassadorId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var details = await db.PayoutDetails.AsNoTracking().SingleOrDefaultAsync(d => d.AmbassadorId == ambassadorId, cancellationToken);
        return details is null ? null : View(details);
    }

    public async Task<Result<PayoutDetailsView>> SaveDetailsAsync(string ambassadorId, PayoutDetailsInput input, Actor actor,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (!await db.Ambassadors.AnyAsync(a => a.Id == ambassadorId, cancellationToken))
            {
                return Fail.NotFound($"No ambassador {ambassadorId}.");
            }
            var now = clock.GetUtcNow();
            var (valid, errors) = PayoutDetailsRules.Validate(ambassadorId, input, now, actor.Name);
            if (valid is null) return Fail.Invalid(errors, "The payout details are not valid.");

            var stored = await db.PayoutDetails.SingleOrDefaultAsync(d => d.AmbassadorId == ambassadorId, cancellationToken);
            var changes = Changes(stored, valid);
            if (changes.Count == 0) return Result<PayoutDetailsView>.Ok(View(stored!));
            if (stored is null)
            {
                db.PayoutDetails.Add(valid);
                stored = valid;
            }
            else
            {
                stored.Method = valid.Method;
                stored.LegalName = valid.LegalName;
                stored.Country = valid.Country;
                stored.Iban = valid.Iban;
                stored.Bic = valid.Bic;
                stored.PaypalEmail = valid.PaypalEmail;
                stored.TaxId = valid.TaxId;
                stored.UpdatedAt = now;
                stored.UpdatedBy = actor.Name;
            }
            db.AuditLog.Add(Audit(now, actor, db.Entry(stored).State == EntityState.Added ? "payout-details.created" : "payout-details.updated",
                DetailsEntity, ambassadorId, string.Join("; ", changes)));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return Result<PayoutDetailsView>.Ok(View(stored));
            }
            catch (DbUpdateException exception) when (attempt < Attempts && DbErrors.IsUniqueViolation(exception))
            {
                // Someone stored the first details at the same moment: apply ours as an update.
            }
        }
    }

    /// <summary>What changed, readably, with bank numbers masked and the tax id never written out.</summary>
    private static List<string> Changes(PayoutDetails? before, PayoutDetails after)
    {
        var changes = new List<string>();
        void Compare(string field, string? old, string? now, Func<string, string>? show = null)
        {
            if (old == now) return;
            show ??= value => value;
            var from = old is null ? "none" : show(old);
            var to = now is null ? "none" : show(now);
            changes.Add(before is null ? $"{field}: {to}" : $"{field}: {from} → {to}");
        }
        Compare("method", before?.Method.Name(), after.Method.Name());
        Compare("legalName", before?.LegalName, after.LegalName);
        Compare("country", before?.Country, after.Country);
        Compare("iban", before?.Iban, after.Iban, PayoutDetailsRules.MaskIban);
        Compare("bic", before?.Bic, after.Bic);
        Compare("paypalEmail", before?.PaypalEmail, after.PaypalEmail);
        Compare("taxId", before?.TaxId, after.TaxId, _ => "(set)");
        return changes;
    }

    public async Task<Result<BatchPreview>> PreviewAsync(BatchRequest request, CancellationToken cancellationToken)
    {
        if (Check(request) is { } invalid) return invalid;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cutoff = Cutoff(request.PeriodEnd);
        var groups = await Balances(db.Ledger.Where(LedgerRules.Payable(cutoff))).ToListAsync(cancellationToken);
        var plan = await PlanAsync(db, "pay_preview", groups, request.MinimumAmount, cancellationToken);
        return Result<BatchPreview>.Ok(new BatchPreview(request.PeriodEnd, request.MinimumAmount, plan.Lines.Count,
            Totals(plan.Lines).Select(Total).ToList(), plan.Missing.Select(View).ToList(), plan.Lines.Select(View).ToList()));
    }

    public async Task<Result<BatchView>> CreateAsync(BatchRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (Check(request) is { } invalid) return invalid;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryCreateAsync(request, actor, cancellationToken);
            }
            catch (Exception exception) when (attempt < Attempts && DbErrors.IsTransient(exception))
            {
                // A deadlock or busy database between two batch creations: the loser starts again and sees what is left.
                await Task.Delay(20 * attempt, cancellationToken);
            }
        }
    }

    private async Task<Result<BatchView>> TryCreateAsync(BatchRequest request, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Engine == StorageEngine.Postgres)
        {
            // One batch is made at a time across the cluster: concurrent claims of the same entries otherwise deadlock, and
            // under load more often than the retries allow. The lock ends with the transaction. (SQLite has one writer anyway.)
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({BatchCreationLock})", cancellationToken);
        }
        var now = clock.GetUtcNow();
        var cutoff = Cutoff(request.PeriodEnd);
        var batch = new PayoutBatch
        {
            Id = Ids.New("pay"),
            Status = PayoutBatchStatus.Draft,
            PeriodEnd = request.PeriodEnd,
            MinimumAmount = request.MinimumAmount,
            Cutoff = cutoff,
            CreatedAt = now,
            CreatedBy = actor.Id,
            CreatedByName = actor.Name,
        };
        db.PayoutBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);

        // Claim every eligible, unbatched entry at once; an entry another batch holds (or is claiming) is skipped.
        await db.Ledger
            .Where(LedgerRules.Payable(cutoff))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.PayoutBatchId, batch.Id), cancellationToken);
        var groups = await Balances(db.Ledger.Where(e => e.PayoutBatchId == batch.Id)).ToListAsync(cancellationToken);
        var plan = await PlanAsync(db, batch.Id, groups, request.MinimumAmount, cancellationToken);
        if (plan.Lines.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return NothingToPay(request, plan.Missing);
        }

        // Release what this batch does not pay: balances below the minimum or negative (they carry over) and payees without details.
        var paid = plan.Lines.Select(l => (l.AmbassadorId, l.Currency)).ToHashSet();
        foreach (var currency in groups.Select(g => g.Currency).Distinct())
        {
            var keep = plan.Lines.Where(l => l.Currency == currency).Select(l => l.AmbassadorId).ToList();
            if (groups.All(g => g.Currency != currency || paid.Contains((g.AmbassadorId, g.Currency)))) continue;
            await db.Ledger
                .Where(e => e.PayoutBatchId == batch.Id && e.Currency == currency && !keep.Contains(e.AmbassadorId))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.PayoutBatchId, (string?)null), cancellationToken);
        }

        // In chunks, with the change tracker emptied after each, so a batch of 100,000 lines is not all tracked at once.
        foreach (var chunk in plan.Lines.Chunk(2_000))
        {
            db.PayoutLines.AddRange(chunk);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        batch = await db.PayoutBatches.SingleAsync(b => b.Id == batch.Id, cancellationToken);
        batch.LineCount = plan.Lines.Count;
        batch.RewardCount = plan.Lines.Sum(l => l.RewardCount);
        batch.Totals = Totals(plan.Lines);
        batch.MissingDetails = plan.Missing;
        db.AuditLog.Add(Audit(now, actor, "payout-batch.created", BatchEntity, batch.Id,
            $"period end {request.PeriodEnd:yyyy-MM-dd}, minimum {request.MinimumAmount}, {batch.LineCount} lines, {batch.RewardCount} entries, " +
            string.Join(", ", batch.Totals.Select(t => $"{Currencies.FromMinor(t.NetMinor, t.Currency)} {t.Currency}")) +
            (plan.Missing.Count > 0 ? $", {plan.Missing.Count} without payout details" : "")));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result<BatchView>.Ok(View(batch, null));
    }

    private static Failure? Check(BatchRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.MinimumAmount < 0) errors["minimumAmount"] = ["'minimumAmount' cannot be negative."];
        else if (request.MinimumAmount > 1_000_000_000m) errors["minimumAmount"] = ["'minimumAmount' is too large."];
        // One threshold for every currency of the batch: cents at most, so 1.005 cannot mean 1.01 in one currency and 1.005 in another.
        else if (decimal.Round(request.MinimumAmount, 2) != request.MinimumAmount) errors["minimumAmount"] = ["'minimumAmount' has at most 2 decimals."];
        if (!IsoDates.IsInRange(request.PeriodEnd)) errors["periodEnd"] = [$"'periodEnd' must be {IsoDates.Described}."];
        return errors.Count == 0 ? null : Fail.Invalid(errors, "The batch request is not valid.");
    }

    private static Failure NothingToPay(BatchRequest request, List<PayoutMissingDetails> missing) => Payouts.NothingToPay.Because(
        missing.Count == 0
            ? $"Nothing to pay: no approved, unpaid balance up to {request.PeriodEnd:yyyy-MM-dd} reaches the minimum of {request.MinimumAmount}."
            : $"Nothing to pay: the {missing.Count} payee(s) owed money up to {request.PeriodEnd:yyyy-MM-dd} have no payout details yet.",
        missing.Select(View).ToList());

    /// <summary>Entries approved by the end of the period's last day (UTC) and by now.</summary>
    private DateTimeOffset Cutoff(DateOnly periodEnd)
    {
        var endOfPeriod = new DateTimeOffset(periodEnd.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);
        var now = clock.GetUtcNow();
        return now < endOfPeriod ? now : endOfPeriod;
    }

    private sealed record Balance(string AmbassadorId, string Currency, long GrossMinor, long ClawbacksMinor, int Entries);

    private static IQueryable<Balance> Balances(IQueryable<LedgerEntry> entries) => entries
        .GroupBy(e => new { e.AmbassadorId, e.Currency })
        .Select(g => new Balance(
            g.Key.AmbassadorId,
            g.Key.Currency,
            g.Sum(e => e.AmountMinor > 0 ? e.AmountMinor : 0),
            g.Sum(e => e.AmountMinor < 0 ? e.AmountMinor : 0),
            g.Count()));

    private sealed record Plan(List<PayoutLine> Lines, List<PayoutMissingDetails> Missing);

    /// <summary>
    /// Which balances are paid: a positive net that reaches the minimum, to a payee with payout details. Lines are
    /// numbered by currency, then payee name, with the payee's details copied as they are now.
    /// </summary>
    private static async Task<Plan> PlanAsync(AppDbContext db, string batchId, List<Balance> groups, decimal minimum,
        CancellationToken cancellationToken)
    {
        var due = groups
            .Where(g => g.GrossMinor + g.ClawbacksMinor > 0 && Currencies.FromMinor(g.GrossMinor + g.ClawbacksMinor, g.Currency) >= minimum)
            .ToList();
        var ids = due.Select(g => g.AmbassadorId).Distinct().ToList();
        var people = new Dictionary<string, (string Name, string Email)>();
        var details = new Dictionary<string, PayoutDetails>();
        foreach (var chunk in ids.Chunk(5000))
        {
            foreach (var person in await db.Ambassadors.AsNoTracking().Where(a => chunk.Contains(a.Id))
                         .Select(a => new { a.Id, a.Name, a.Email }).ToListAsync(cancellationToken))
            {
                people[person.Id] = (person.Name, person.Email);
            }
            foreach (var detail in await db.PayoutDetails.AsNoTracking().Where(d => chunk.Contains(d.AmbassadorId)).ToListAsync(cancellationToken))
            {
                details[detail.AmbassadorId] = detail;
            }
        }

        var missing = due.Where(g => !details.ContainsKey(g.AmbassadorId))
            .OrderBy(g => people[g.AmbassadorId].Name, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.AmbassadorId, StringComparer.Ordinal)
            .Select(g => new PayoutMissingDetails
            {
                AmbassadorId = g.AmbassadorId,
                Name = people[g.AmbassadorId].Name,
                Email = people[g.AmbassadorId].Email,
                Currency = g.Currency,
                AmountMinor = g.GrossMinor + g.ClawbacksMinor,
            }).ToList();
        var number = 0;
        var lines = due.Where(g => details.ContainsKey(g.AmbassadorId))
            .OrderBy(g => g.Currency, StringComparer.Ordinal)
            .ThenBy(g => details[g.AmbassadorId].LegalName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(g => g.AmbassadorId, StringComparer.Ordinal)
            .Select(g =>
            {
                var payee = details[g.AmbassadorId];
                number++;
                return new PayoutLine
                {
                    BatchId = batchId,
                    Number = number,
                    AmbassadorId = g.AmbassadorId,
                    Currency = g.Currency,
                    GrossMinor = g.GrossMinor,
                    ClawbacksMinor = g.ClawbacksMinor,
                    NetMinor = g.GrossMinor + g.ClawbacksMinor,
                    RewardCount = g.Entries,
                    PaymentReference = $"{batchId}-{number}",
                    Payee = payee.LegalName,
                    Email = people[g.AmbassadorId].Email,
                    Country = payee.Country,
                    Method = payee.Method,
                    Iban = payee.Iban,
                    Bic = payee.Bic,
                    PaypalEmail = payee.PaypalEmail,
                    TaxId = payee.TaxId,
                };
            }).ToList();
        return new Plan(lines, missing);
    }

    public async Task<BatchView?> GetAsync(string batchId, bool withLines, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var batch = await db.PayoutBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null) return null;
        List<BatchLineView>? lines = null;
        if (withLines)
        {
            lines = (await db.PayoutLines.AsNoTracking().Where(l => l.BatchId == batchId).OrderBy(l => l.Number).ToListAsync(cancellationToken))
                .Select(View).ToList();
        }
        return View(batch, lines);
    }

    public async Task<IReadOnlyList<BatchView>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.PayoutBatches.AsNoTracking();
        if (status is not null)
        {
            if (!PayoutBatchStatuses.TryParse(status, out var wanted)) return [];
            query = query.Where(b => b.Status == wanted);
        }
        var batches = await query.ToListAsync(cancellationToken);
        return batches.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id, StringComparer.Ordinal).Select(b => View(b, null)).ToList();
    }

    public Task<Result<BatchView>> ApproveAsync(string batchId, Actor actor, CancellationToken cancellationToken) =>
        TransitionAsync(batchId, PayoutBatchStatus.Approved, actor, null, cancellationToken);

    public Task<Result<BatchView>> DiscardAsync(string batchId, Actor actor, CancellationToken cancellationToken) =>
        TransitionAsync(batchId, PayoutBatchStatus.Discarded, actor, null, cancellationToken);

    public async Task<Result<BatchView>> MarkPaidAsync(string batchId, DateOnly? paymentDate, string? paymentReference, Actor actor,
        CancellationToken cancellationToken)
    {
        var reference = string.IsNullOrWhiteSpace(paymentReference) ? null : paymentReference.Trim();
        // Named as every client sends it: the API's and the page's "reference", the command line's --reference.
        var problem = reference is { Length: > 140 } ? "'reference' has at most 140 characters."
            : paymentReference is not null && PlainText.HasControlCharacters(paymentReference) ? PlainText.Refusal("reference")
            : null;
        if (problem is not null)
        {
            return Fail.Invalid(new Dictionary<string, string[]> { ["reference"] = [problem] }, "The payment is not valid.");
        }
        var date = paymentDate ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return await TransitionAsync(batchId, PayoutBatchStatus.Paid, actor, (date, reference), cancellationToken);
    }

    /// <summary>
    /// One conditional update decides: the batch moves to <paramref name="to"/> only from the status
    /// <see cref="PayoutBatchTransitions"/> allows, so of two racing callers one moves it and the other finds it moved.
    /// Asking for the state it is already in changes nothing.
    /// </summary>
    private async Task<Result<BatchView>> TransitionAsync(string batchId, PayoutBatchStatus to, Actor actor,
        (DateOnly Date, string? Reference)? payment, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryTransitionAsync(batchId, to, actor, payment, cancellationToken);
            }
            catch (Exception exception) when (attempt < Attempts && DbErrors.IsTransient(exception))
            {
                await Task.Delay(20 * attempt, cancellationToken);
            }
        }
    }

    private async Task<Result<BatchView>> TryTransitionAsync(string batchId, PayoutBatchStatus to, Actor actor,
        (DateOnly Date, string? Reference)? payment, CancellationToken cancellationToken)
    {
        var from = PayoutBatchTransitions.From(to);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var batches = db.PayoutBatches.Where(b => b.Id == batchId && b.Status == from);
        var moved = to switch
        {
            PayoutBatchStatus.Approved => await batches.ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, to).SetProperty(b => b.ApprovedAt, now)
                .SetProperty(b => b.ApprovedBy, actor.Id).SetProperty(b => b.ApprovedByName, actor.Name), cancellationToken),
            PayoutBatchStatus.Paid => await batches.ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, to).SetProperty(b => b.PaidAt, now)
                .SetProperty(b => b.PaidBy, actor.Id).SetProperty(b => b.PaidByName, actor.Name)
                .SetProperty(b => b.PaymentDate, payment!.Value.Date).SetProperty(b => b.PaymentReference, payment.Value.Reference), cancellationToken),
            _ => await batches.ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, to).SetProperty(b => b.DiscardedAt, now)
                .SetProperty(b => b.DiscardedBy, actor.Id).SetProperty(b => b.DiscardedByName, actor.Name), cancellationToken),
        };
        if (moved == 1)
        {
            string details;
            if (to == PayoutBatchStatus.Paid)
            {
                var open = db.Ledger.Where(e => e.PayoutBatchId == batchId && e.State == LedgerEntryState.Open);
                // The stats' reward counts move the same entries from open to paid, in this transaction.
                // A mission bonus has no conversion: it counts on the day it was earned, as its ambassador's own.
                var counted = await open.LeftJoin(db.Conversions, e => e.ConversionId, c => c.Id, (e, c) => new CountedEntry(
                        e.AmbassadorId, e.CampaignId, e.ContentId, e.Currency, e.AmountMinor, e.AvailableAt,
                        c == null ? (DateOnly)e.EarnedOn! : c.OccurredOn, c == null ? e.AmbassadorId : c.AmbassadorId))
                    .ToListAsync(cancellationToken);
                await RewardCounts.ApplyAsync(db, counted.SelectMany(e => new[] { (e, LedgerEntryState.Open, -1), (e, LedgerEntryState.Paid, 1) }),
                    cancellationToken);
                var entries = await open.ExecuteUpdateAsync(s => s.SetProperty(e => e.State, LedgerEntryState.Paid).SetProperty(e => e.PaidAt, now), cancellationToken);
                details = $"{entries} entries paid on {payment!.Value.Date:yyyy-MM-dd}" + (payment.Value.Reference is { } r ? $", reference {r}" : "");
            }
            else if (to == PayoutBatchStatus.Discarded)
            {
                var released = await db.Ledger.Where(e => e.PayoutBatchId == batchId)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.PayoutBatchId, (string?)null), cancellationToken);
                details = $"{released} entries released for a later batch";
            }
            else
            {
                details = "approved for payment";
            }
            db.AuditLog.Add(Audit(now, actor, $"payout-batch.{to.Name()}", BatchEntity, batchId, details));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        var batch = await db.PayoutBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null) return Fail.NotFound($"No payout batch {batchId}.");
        if (moved == 1) return Result<BatchView>.Ok(View(batch, null));
        if (batch.Status == to) return Result<BatchView>.Unchanged(View(batch, null));
        return Fail.Conflict(PayoutBatchTransitions.Refusal(batchId, batch.Status, to)!);
    }

    public Task<IReadOnlyList<MissingDetailsView>> MissingDetailsAsync(CancellationToken cancellationToken) =>
        OwedWithoutDetailsAsync(null, cancellationToken);

    public Task<IReadOnlyList<MissingDetailsView>> MissingDetailsAsync(string ambassadorId, CancellationToken cancellationToken) =>
        OwedWithoutDetailsAsync(ambassadorId, cancellationToken);

    private async Task<IReadOnlyList<MissingDetailsView>> OwedWithoutDetailsAsync(string? ambassadorId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var entries = db.Ledger.Where(LedgerRules.Payable(now));
        // One payee's entries through the ledger's (AmbassadorId, State, AvailableAt) index, not every payable entry.
        if (ambassadorId is not null) entries = entries.Where(e => e.AmbassadorId == ambassadorId);
        var owed = await entries
            .Where(e => !db.PayoutDetails.Any(d => d.AmbassadorId == e.AmbassadorId))
            .GroupBy(e => new { e.AmbassadorId, e.Currency })
            .Select(g => new { g.Key.AmbassadorId, g.Key.Currency, Net = g.Sum(e => e.AmountMinor) })
            .Where(g => g.Net > 0)
            .Join(db.Ambassadors, g => g.AmbassadorId, a => a.Id, (g, a) => new { g.AmbassadorId, a.Name, a.Email, g.Currency, g.Net })
            .ToListAsync(cancellationToken);
        return owed.OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ThenBy(o => o.Currency, StringComparer.Ordinal)
            .Select(o => new MissingDetailsView(o.AmbassadorId, o.Name, o.Email, o.Currency, Currencies.FromMinor(o.Net, o.Currency)))
            .ToList();
    }

    public async Task<IReadOnlyList<AuditView>> AuditAsync(string? batchId, string? ambassadorId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditLog.AsNoTracking();
        entries = (batchId, ambassadorId) switch
        {
            ({ } batch, null) => entries.Where(e => e.EntityType == BatchEntity && e.EntityId == batch),
            (null, { } ambassador) => entries.Where(e => e.EntityType == DetailsEntity && e.EntityId == ambassador),
            ({ } batch, { } ambassador) => entries.Where(e => (e.EntityType == BatchEntity && e.EntityId == batch)
                                                              || (e.EntityType == DetailsEntity && e.EntityId == ambassador)),
            _ => entries.Where(e => e.EntityType == BatchEntity || e.EntityType == DetailsEntity),
        };
        var page = await entries.OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
        return page.Select(e => new AuditView(e.Id, e.At, e.Actor, e.ActorName ?? e.Actor, e.Action, e.EntityType, e.EntityId, e.Details)).ToList();
    }

    public async Task<PayoutWorkbookData?> WorkbookDataAsync(string batchId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var batch = await db.PayoutBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null) return null;
        var summary = new PayoutWorkbookSummary(
            options.ProgrammeName, batch.Id, batch.PeriodEnd, batch.Status.Name(), batch.MinimumAmount,
            batch.CreatedAt, batch.CreatedByName, batch.ApprovedAt, batch.ApprovedByName, batch.PaidAt, batch.PaidByName,
            batch.PaymentDate, batch.PaymentReference,
            batch.Totals.Select(t => new PayoutWorkbookTotal(t.Currency, t.Lines, t.Rewards, t.GrossMinor, t.ClawbacksMinor, t.NetMinor)).ToList(),
            batch.LineCount, batch.RewardCount, batch.MissingDetails.Count);
        return new PayoutWorkbookData(summary, WorkbookLines(batchId), WorkbookRewards(batchId));
    }

    public async Task RecordExportAsync(string batchId, string fileName, long rows, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditLog.Add(Audit(clock.GetUtcNow(), actor, "payout-batch.exported", BatchEntity, batchId,
            $"Workbook \"{fileName}\", {rows} rows (lines and rewards)."));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Read as they are written, one row at a time, so a large batch is never all in memory.</summary>
    private IEnumerable<PayoutWorkbookLine> WorkbookLines(string batchId)
    {
        using var db = contexts.CreateDbContext();
        foreach (var line in db.PayoutLines.AsNoTracking().Where(l => l.BatchId == batchId).OrderBy(l => l.Number).AsEnumerable())
        {
            yield return new PayoutWorkbookLine(line.Number, line.AmbassadorId, line.Payee, line.Email, line.Country,
                line.Method.Name(), line.Iban, line.Bic, line.PaypalEmail, line.Currency,
                line.GrossMinor, line.ClawbacksMinor, line.NetMinor, line.RewardCount, line.PaymentReference);
        }
    }

    private IEnumerable<PayoutWorkbookReward> WorkbookRewards(string batchId)
    {
        using var db = contexts.CreateDbContext();
        var rows =
            from e in db.Ledger.AsNoTracking()
            where e.PayoutBatchId == batchId
            join l in db.PayoutLines.AsNoTracking().Where(l => l.BatchId == batchId)
                on new { e.AmbassadorId, e.Currency } equals new { l.AmbassadorId, l.Currency }
            join c in db.Conversions.AsNoTracking() on e.ConversionId equals c.Id into conversions
            from c in conversions.DefaultIfEmpty()
            join s in db.MissionSubmissions.AsNoTracking() on e.SubmissionId equals s.Id into submissions
            from s in submissions.DefaultIfEmpty()
            join campaign in db.Campaigns.AsNoTracking() on e.CampaignId equals campaign.Id
            join content in db.Content.AsNoTracking() on e.ContentId equals content.Id into contents
            from content in contents.DefaultIfEmpty()
            orderby l.Number, e.Id
            select new
            {
                l.Number, l.PaymentReference, e.AmbassadorId, l.Payee,
                // A mission bonus names its submission where a reward names the merchant's conversion.
                ExternalId = c == null ? s!.Id : c.ExternalId, e.CampaignId, CampaignName = campaign.Name,
                e.ContentId, ContentTitle = content == null ? null : content.Title, e.Kind,
                OccurredOn = c == null ? (DateOnly)e.EarnedOn! : c.OccurredOn, e.Currency, e.AmountMinor,
            };
        foreach (var row in rows.AsEnumerable())
        {
            yield return new PayoutWorkbookReward(row.Number, row.PaymentReference, row.AmbassadorId, row.Payee, row.ExternalId,
                row.CampaignId, row.CampaignName, row.ContentId, row.ContentTitle, KindName(row.Kind), row.OccurredOn, row.Currency,
                row.AmountMinor);
        }
    }

    private static string KindName(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.SecondDegree => "secondDegree",
        LedgerEntryKind.MissionBonus => "missionBonus",
        _ => kind.Name(),
    };

    private static AuditEntry Audit(DateTimeOffset at, Actor actor, string action, string entityType, string entityId, string details) => new()
    {
        At = at, Actor = actor.Id, ActorName = actor.Name, Action = action, EntityType = entityType, EntityId = entityId,
        Details = details.Length <= 2000 ? details : details[..2000],
    };

    /// <summary>Per currency, in code order: lines, rewards and the sums in minor units (stored with a batch, shown in a preview).</summary>
    private static List<PayoutBatchTotal> Totals(IEnumerable<PayoutLine> lines) => lines
        .GroupBy(l => l.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new PayoutBatchTotal
        {
            Currency = g.Key, Lines = g.Count(), Rewards = g.Sum(l => l.RewardCount), GrossMinor = g.Sum(l => l.GrossMinor),
            ClawbacksMinor = g.Sum(l => l.ClawbacksMinor), NetMinor = g.Sum(l => l.NetMinor),
        }).ToList();

    private static CurrencyTotalView Total(PayoutBatchTotal t) => new(t.Currency, Currencies.FromMinor(t.NetMinor, t.Currency), t.Lines,
        t.Rewards, Currencies.FromMinor(t.GrossMinor, t.Currency), Currencies.FromMinor(t.ClawbacksMinor, t.Currency));

    private static BatchView View(PayoutBatch b, List<BatchLineView>? lines) => new(
        b.Id, b.Status.Name(), b.PeriodEnd, b.MinimumAmount, b.LineCount, b.RewardCount,
        b.Totals.Select(Total).ToList(), b.MissingDetails.Select(View).ToList(),
        b.CreatedAt, b.CreatedByName, b.ApprovedAt, b.ApprovedByName, b.PaidAt, b.PaidByName, b.PaymentDate, b.PaymentReference,
        b.DiscardedAt, b.DiscardedByName, lines);

    private static BatchLineView View(PayoutLine l) => new(
        l.Number, l.AmbassadorId, l.Payee, l.Email, l.Country, l.Method.Name(), l.Iban, l.Bic, l.PaypalEmail,
        l.Currency, Currencies.FromMinor(l.GrossMinor, l.Currency), Currencies.FromMinor(l.ClawbacksMinor, l.Currency),
        Currencies.FromMinor(l.NetMinor, l.Currency), l.RewardCount, l.PaymentReference);

    private static MissingDetailsView View(PayoutMissingDetails m) =>
        new(m.AmbassadorId, m.Name, m.Email, m.Currency, Currencies.FromMinor(m.AmountMinor, m.Currency));

    private static PayoutDetailsView View(PayoutDetails d) => new(
        d.AmbassadorId, d.Method.Name(), d.LegalName, d.Country, d.Iban, d.Bic, d.PaypalEmail, d.TaxId,
        d.UpdatedAt, d.UpdatedBy);
}
