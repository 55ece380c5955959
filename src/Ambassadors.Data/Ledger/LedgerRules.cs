using System.Linq.Expressions;

namespace Ambassadors.Data;

/// <summary>What a ledger entry is, as reports name it: from its stored state and the clock (pending is not stored).</summary>
public enum LedgerStatus { Pending, Approved, Paid, Voided }

/// <summary>An entry with its status, as <see cref="LedgerRules.WithStatus"/> projects it in a query.</summary>
public sealed class LedgerEntryWithStatus
{
    public required LedgerEntry Entry { get; init; }
    public LedgerStatus Status { get; init; }
}

/// <summary>
/// The ledger's rules, each written once as an expression that EF Core translates on SQLite and PostgreSQL; the same
/// expressions, compiled, answer for one entry in memory. The instant a rule depends on goes into SQL as a parameter.
/// </summary>
public static class LedgerRules
{
    /// <summary>Paid out (by a batch marked paid).</summary>
    public static readonly Expression<Func<LedgerEntry, bool>> Paid = e => e.State == LedgerEntryState.Paid;

    /// <summary>What a reversal voids: an open reward or override that no payout batch holds.</summary>
    public static readonly Expression<Func<LedgerEntry, bool>> VoidedOnReversal =
        e => e.State == LedgerEntryState.Open && e.Kind != LedgerEntryKind.Clawback && e.PayoutBatchId == null;

    /// <summary>
    /// What a reversal claws back (a negative entry offset by a later batch): a reward or override already paid, or held by
    /// a payout batch, which keeps it as finance approved it.
    /// </summary>
    public static readonly Expression<Func<LedgerEntry, bool>> ClawedBackOnReversal =
        e => e.Kind != LedgerEntryKind.Clawback
             && (e.State == LedgerEntryState.Paid || (e.State == LedgerEntryState.Open && e.PayoutBatchId != null));

    // The rules that depend on an instant, over an entry and that instant. Declared before the status built from them.
    private static readonly Expression<Func<LedgerEntry, DateTimeOffset, bool>> PendingAt =
        (e, now) => e.State == LedgerEntryState.Open && e.AvailableAt > now;

    private static readonly Expression<Func<LedgerEntry, DateTimeOffset, bool>> ApprovedAt =
        (e, now) => e.State == LedgerEntryState.Open && e.AvailableAt <= now;

    private static readonly Expression<Func<LedgerEntry, bool>> Unbatched = e => e.PayoutBatchId == null;

    /// <summary>In no batch and approved by the cutoff.</summary>
    private static readonly Expression<Func<LedgerEntry, DateTimeOffset, bool>> PayableAt = Both(Unbatched, ApprovedAt);

    private static readonly Expression<Func<LedgerEntry, DateTimeOffset, LedgerStatus>> StatusAt = ComposeStatus();

    private static readonly Func<LedgerEntry, DateTimeOffset, LedgerStatus> CompiledStatus = StatusAt.Compile();

    /// <summary>Owed, in its holding period at <paramref name="now"/>.</summary>
    public static Expression<Func<LedgerEntry, bool>> Pending(DateTimeOffset now) => At(PendingAt, now);

    /// <summary>Owed, its holding period over by <paramref name="now"/> (whether or not a batch holds it yet).</summary>
    public static Expression<Func<LedgerEntry, bool>> Approved(DateTimeOffset now) => At(ApprovedAt, now);

    /// <summary>What a payout batch made now would claim: open, in no batch, its holding period over by <paramref name="cutoff"/>.</summary>
    public static Expression<Func<LedgerEntry, bool>> Payable(DateTimeOffset cutoff) => At(PayableAt, cutoff);

    /// <summary>
    /// The entry's status at <paramref name="now"/>, as a key for a query's <c>GroupBy</c> or <c>Select</c>
    /// (pending vs approved vs paid; voided entries are <see cref="LedgerStatus.Voided"/>).
    /// </summary>
    public static Expression<Func<LedgerEntry, LedgerStatus>> Status(DateTimeOffset now) => At(StatusAt, now);

    /// <summary>
    /// Each entry with its status at <paramref name="now"/>, for queries that join or group on more than the entry
    /// (<c>.WithStatus(now).Join(…, x => x.Entry.ConversionId, …).GroupBy(x => new { x.Status, … })</c>).
    /// </summary>
    public static IQueryable<LedgerEntryWithStatus> WithStatus(this IQueryable<LedgerEntry> entries, DateTimeOffset now)
    {
        var status = Status(now);
        var entry = status.Parameters[0];
        var row = Expression.MemberInit(
            Expression.New(typeof(LedgerEntryWithStatus)),
            Expression.Bind(typeof(LedgerEntryWithStatus).GetProperty(nameof(LedgerEntryWithStatus.Entry))!, entry),
            Expression.Bind(typeof(LedgerEntryWithStatus).GetProperty(nameof(LedgerEntryWithStatus.Status))!, status.Body));
        return entries.Select(Expression.Lambda<Func<LedgerEntry, LedgerEntryWithStatus>>(row, entry));
    }

    /// <summary>One entry's status at <paramref name="now"/>, in memory: the same rules as <see cref="Status"/>.</summary>
    public static LedgerStatus StatusOf(LedgerEntry entry, DateTimeOffset now) => CompiledStatus(entry, now);

    /// <summary>As the API writes it: pending, approved, paid or voided.</summary>
    public static string Name(this LedgerStatus status) => status switch
    {
        LedgerStatus.Pending => "pending",
        LedgerStatus.Approved => "approved",
        LedgerStatus.Paid => "paid",
        LedgerStatus.Voided => "voided",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>paid if <see cref="Paid"/>, else pending if pending, else approved if approved, else voided: built from the rules above.</summary>
    private static Expression<Func<LedgerEntry, DateTimeOffset, LedgerStatus>> ComposeStatus()
    {
        // Stryker disable String : equivalent, a parameter's name shows only when the expression is printed (EF Core names its own aliases)
        var entry = Expression.Parameter(typeof(LedgerEntry), "e");
        var now = Expression.Parameter(typeof(DateTimeOffset), "now");
        // Stryker restore String
        Expression Test(LambdaExpression rule) => Replace(rule.Body, rule.Parameters.Zip((Expression[])[entry, now]));
        Expression Is(LedgerStatus status) => Expression.Constant(status);
        var body = Expression.Condition(Test(Paid), Is(LedgerStatus.Paid),
            Expression.Condition(Test(PendingAt), Is(LedgerStatus.Pending),
                Expression.Condition(Test(ApprovedAt), Is(LedgerStatus.Approved), Is(LedgerStatus.Voided))));
        return Expression.Lambda<Func<LedgerEntry, DateTimeOffset, LedgerStatus>>(body, entry, now);
    }

    private static Expression<Func<LedgerEntry, DateTimeOffset, bool>> Both(
        Expression<Func<LedgerEntry, bool>> first, Expression<Func<LedgerEntry, DateTimeOffset, bool>> second) =>
        Expression.Lambda<Func<LedgerEntry, DateTimeOffset, bool>>(
            Expression.AndAlso(Replace(first.Body, [(first.Parameters[0], second.Parameters[0])]), second.Body), second.Parameters);

    /// <summary>The rule with its instant fixed, read from a captured object so EF Core sends it as a parameter, not a literal.</summary>
    private static Expression<Func<LedgerEntry, T>> At<T>(Expression<Func<LedgerEntry, DateTimeOffset, T>> rule, DateTimeOffset instant)
    {
        var captured = Expression.Field(Expression.Constant(new Instant(instant)), nameof(Instant.Value));
        return Expression.Lambda<Func<LedgerEntry, T>>(Replace(rule.Body, [(rule.Parameters[1], captured)]), rule.Parameters[0]);
    }

    private static Expression Replace(Expression body, IEnumerable<(ParameterExpression Parameter, Expression With)> replacements) =>
        new Replacer(replacements.ToDictionary(r => r.Parameter, r => r.With)).Visit(body);

    private sealed class Instant(DateTimeOffset value)
    {
        public readonly DateTimeOffset Value = value;
    }

    private sealed class Replacer(Dictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var with) ? with : node;
    }
}
