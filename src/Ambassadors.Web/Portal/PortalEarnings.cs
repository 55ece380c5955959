using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Portal;

/// <summary>Money pending until a day: the entries whose holding period ends that day (UTC), summed.</summary>
public sealed record PendingDay(DateOnly On, DateTimeOffset At, string Currency, decimal Amount, int Entries);

/// <summary>One of my ledger entries as the earnings page lists it.</summary>
/// <param name="ConversionKind">The conversion that earned it; null for a mission bonus.</param>
/// <param name="MissionTitle">For a mission bonus: the mission's title.</param>
public sealed record EarningEntry(long Id, DateTimeOffset At, string CampaignName, ConversionKind? ConversionKind, LedgerEntryKind Kind,
    string Currency, decimal Amount, LedgerStatus Status, DateTimeOffset AvailableAt, string? MissionTitle = null);

/// <summary>A payout batch that pays me (approved or paid): my line in one currency.</summary>
public sealed record MyPayout(string BatchId, DateOnly PeriodEnd, PayoutBatchStatus Status, DateOnly? PaymentDate, DateTimeOffset? PaidAt,
    string Currency, decimal Amount, int Rewards);

/// <summary>One ledger entry of my line in a statement.</summary>
/// <param name="ConversionKind">The conversion that earned it; null for a mission bonus.</param>
/// <param name="ExternalId">The shop's reference of the conversion; null for a mission bonus.</param>
/// <param name="MissionTitle">For a mission bonus: the mission's title.</param>
public sealed record StatementEntry(long Id, DateOnly Date, string CampaignName, ConversionKind? ConversionKind, LedgerEntryKind Kind,
    string? ExternalId, long AmountMinor, string? MissionTitle = null);

/// <summary>My line of a batch in one currency, with the payout details copied into it when the batch was made.</summary>
public sealed record StatementLine(string Currency, string PaymentReference, string Payee, string Country, PayoutMethod Method, string? Iban,
    string? PaypalEmail, long GrossMinor, long ClawbacksMinor, long NetMinor, IReadOnlyList<StatementEntry> Entries);

/// <summary>What a payout batch paid me: the batch's dates and status and my lines.</summary>
public sealed record Statement(string BatchId, PayoutBatchStatus Status, DateOnly PeriodEnd, DateTimeOffset? ApprovedAt, DateOnly? PaymentDate,
    DateTimeOffset? PaidAt, string? PaymentReference, string Name, IReadOnlyList<StatementLine> Lines);

/// <summary>
/// The earnings side of the portal: every query starts from the signed-in ambassador's id. Batches count for an
/// ambassador once approved: a draft may still be discarded, so it is neither listed nor given a statement.
/// </summary>
public static class PortalEarnings
{
    public const int EntriesPerPage = 20;

    /// <summary>Pending money per currency and day its holding period ends, nearest first.</summary>
    public static async Task<IReadOnlyList<PendingDay>> PendingAsync(AppDbContext db, string ambassadorId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var pending = await db.Ledger.AsNoTracking()
            .Where(e => e.AmbassadorId == ambassadorId && e.Kind != LedgerEntryKind.Clawback)
            .Where(LedgerRules.Pending(now))
            .Select(e => new { e.AvailableAt, e.Currency, e.AmountMinor })
            .ToListAsync(cancellationToken);
        return pending
            .GroupBy(e => (On: DateOnly.FromDateTime(e.AvailableAt.UtcDateTime), e.Currency))
            .Select(g => new PendingDay(g.Key.On, g.Min(e => e.AvailableAt), g.Key.Currency,
                Rewards.FromMinor(g.Sum(e => e.AmountMinor), g.Key.Currency), g.Count()))
            .OrderBy(d => d.On).ThenBy(d => d.Currency, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A page of my ledger entries, newest first, with how many there are in all.</summary>
    public static async Task<(IReadOnlyList<EarningEntry> Entries, int Total)> EntriesAsync(AppDbContext db, string ambassadorId,
        DateTimeOffset now, int page, CancellationToken cancellationToken)
    {
        var mine = db.Ledger.AsNoTracking().Where(e => e.AmbassadorId == ambassadorId);
        var total = await mine.CountAsync(cancellationToken);
        var rows = await (
                from x in mine.WithStatus(now)
                join c in db.Conversions on x.Entry.ConversionId equals c.Id into conversions
                from c in conversions.DefaultIfEmpty()
                join s in db.MissionSubmissions on x.Entry.SubmissionId equals s.Id into submissions
                from s in submissions.DefaultIfEmpty()
                join m in db.Missions on s.MissionId equals m.Id into missions
                from m in missions.DefaultIfEmpty()
                join campaign in db.Campaigns on x.Entry.CampaignId equals campaign.Id
                orderby x.Entry.Id descending
                select new
                {
                    x.Entry.Id, x.Entry.CreatedAt, campaign.Name, Kind = c == null ? (ConversionKind?)null : c.Kind, EntryKind = x.Entry.Kind,
                    x.Entry.Currency, x.Entry.AmountMinor, x.Status, x.Entry.AvailableAt, Mission = m == null ? null : m.Title,
                })
            .Skip((Math.Max(page, 1) - 1) * EntriesPerPage).Take(EntriesPerPage)
            .ToListAsync(cancellationToken);
        return (rows.Select(r => new EarningEntry(r.Id, r.CreatedAt, r.Name, r.Kind, r.EntryKind, r.Currency,
            Rewards.FromMinor(r.AmountMinor, r.Currency), r.Status, r.AvailableAt, r.Mission)).ToList(), total);
    }

    /// <summary>Every approved or paid batch with a line of mine, newest period first.</summary>
    public static async Task<IReadOnlyList<MyPayout>> PayoutsAsync(AppDbContext db, string ambassadorId, CancellationToken cancellationToken)
    {
        var rows = await (
                from line in db.PayoutLines.AsNoTracking()
                where line.AmbassadorId == ambassadorId
                join batch in db.PayoutBatches on line.BatchId equals batch.Id
                where batch.Status == PayoutBatchStatus.Approved || batch.Status == PayoutBatchStatus.Paid
                select new { batch.Id, batch.PeriodEnd, batch.Status, batch.PaymentDate, batch.PaidAt, batch.CreatedAt, line.Currency, line.NetMinor, line.RewardCount })
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.PeriodEnd).ThenByDescending(r => r.CreatedAt).ThenBy(r => r.Currency, StringComparer.Ordinal)
            .Select(r => new MyPayout(r.Id, r.PeriodEnd, r.Status, r.PaymentDate, r.PaidAt, r.Currency, Rewards.FromMinor(r.NetMinor, r.Currency), r.RewardCount))
            .ToList();
    }

    /// <summary>
    /// My statement of a batch: null (a 404) for an id that is not a batch, a draft or discarded batch, and a batch
    /// without a line of mine, alike.
    /// </summary>
    public static async Task<Statement?> StatementAsync(AppDbContext db, string ambassadorId, string batchId, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLike(batchId, "pay")) return null;
        var batch = await db.PayoutBatches.AsNoTracking()
            .Where(b => b.Id == batchId && (b.Status == PayoutBatchStatus.Approved || b.Status == PayoutBatchStatus.Paid))
            .Select(b => new { b.Status, b.PeriodEnd, b.ApprovedAt, b.PaymentDate, b.PaidAt, b.PaymentReference })
            .SingleOrDefaultAsync(cancellationToken);
        if (batch is null) return null;
        var lines = await db.PayoutLines.AsNoTracking()
            .Where(l => l.BatchId == batchId && l.AmbassadorId == ambassadorId)
            .OrderBy(l => l.Currency)
            .ToListAsync(cancellationToken);
        if (lines.Count == 0) return null;
        var entries = await (
                from e in db.Ledger.AsNoTracking()
                where e.PayoutBatchId == batchId && e.AmbassadorId == ambassadorId
                join c in db.Conversions on e.ConversionId equals c.Id into conversions
                from c in conversions.DefaultIfEmpty()
                join s in db.MissionSubmissions on e.SubmissionId equals s.Id into submissions
                from s in submissions.DefaultIfEmpty()
                join m in db.Missions on s.MissionId equals m.Id into missions
                from m in missions.DefaultIfEmpty()
                join campaign in db.Campaigns on e.CampaignId equals campaign.Id
                select new
                {
                    e.Id, e.Currency, OccurredOn = c == null ? (DateOnly)e.EarnedOn! : c.OccurredOn, campaign.Name,
                    Kind = c == null ? (ConversionKind?)null : c.Kind, EntryKind = e.Kind, ExternalId = c == null ? null : c.ExternalId,
                    e.AmountMinor, Mission = m == null ? null : m.Title,
                })
            .ToListAsync(cancellationToken);
        var byCurrency = entries.OrderBy(e => e.OccurredOn).ThenBy(e => e.Id)
            .ToLookup(e => e.Currency.Trim(), e => new StatementEntry(e.Id, e.OccurredOn, e.Name, e.Kind, e.EntryKind, e.ExternalId, e.AmountMinor, e.Mission));
        var name = await db.Ambassadors.AsNoTracking().Where(a => a.Id == ambassadorId).Select(a => a.Name).SingleAsync(cancellationToken);
        return new Statement(batchId, batch.Status, batch.PeriodEnd, batch.ApprovedAt, batch.PaymentDate, batch.PaidAt, batch.PaymentReference, name,
            lines.Select(l => new StatementLine(l.Currency, l.PaymentReference, l.Payee, l.Country, l.Method, l.Iban, l.PaypalEmail,
                l.GrossMinor, l.ClawbacksMinor, l.NetMinor, byCurrency[l.Currency.Trim()].ToList())).ToList());
    }

    /// <summary>An account number as the portal shows it: all but the last four characters hidden ("•••• 4300").</summary>
    public static string MaskIban(string iban) => iban.Length <= 4 ? iban : "•••• " + iban[^4..];

    /// <summary>A PayPal email as the portal shows it: the first letter and the domain ("a•••@example.com").</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "•••" : email[0] + "•••" + email[at..];
    }
}
