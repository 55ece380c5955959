using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Pending = Ambassadors.Web.Conversions.GroupedWork<(Ambassadors.Data.Conversion Conversion, System.Collections.Generic.IReadOnlyList<Ambassadors.Data.LedgerEntry> Entries), bool>.Pending;

namespace Ambassadors.Web.Conversions;

/// <summary>
/// Stores a new conversion with its ledger entries, once: false when its externalId is already stored (the unique key
/// decides, on both engines). Returns only after the commit, so an acknowledged conversion is durable.
/// <para>
/// Group commit, on both engines: this node's conversion writes queue here, and whoever holds the gate writes every
/// conversion queued so far (up to <see cref="GroupLimit"/>) in one transaction: one insert of all their rows, one upsert
/// of the counts they add to, one commit. SQLite takes one writer per file (concurrent transactions met SQLITE_BUSY, on
/// which Microsoft.Data.Sqlite sleeps 150 ms); on PostgreSQL every conversion of a campaign updates the same count rows, so
/// transactions of their own queued on those rows' locks, one commit at a time (docs/decisions.md, "Conversions: the path").
/// When the group's insert meets a stored externalId (a repeat) or fails, the group is taken back and written again one
/// conversion per savepoint, so a repeat or a failure takes back only its own rows.
/// </para>
/// </summary>
public sealed class ConversionWriter(IDbContextFactory<AppDbContext> contexts)
{
    public const int GroupLimit = 64;

    private readonly GroupedWork<(Conversion Conversion, IReadOnlyList<LedgerEntry> Entries), bool> _writes =
        new(GroupLimit, group => WriteGroupAsync(contexts, group));

    /// <summary>Not cancellable once queued: another request's group may write it anyway, and then it must be answered as stored.</summary>
    public Task<bool> StoreAsync(Conversion conversion, IReadOnlyList<LedgerEntry> entries) =>
        _writes.RunAsync((conversion, entries), CancellationToken.None);

    private static async Task WriteGroupAsync(IDbContextFactory<AppDbContext> contexts, IReadOnlyList<Pending> group)
    {
        if (await TryWriteTogetherAsync(contexts, group)) return;
        await WriteOneByOneAsync(contexts, group);
    }

    /// <summary>
    /// The whole group in one insert per table (<see cref="RowInserts"/>, the conversion rows first, then their entries'
    /// ledger rows with ids the store makes) and one upsert per count table: true when committed (every conversion is answered as
    /// stored); false when nothing of it is stored, because an externalId is already taken or a write failed.
    /// </summary>
    private static async Task<bool> TryWriteTogetherAsync(IDbContextFactory<AppDbContext> contexts, IReadOnlyList<Pending> group)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            await RowInserts.InsertAsync(db, group.Select(p => p.Item.Conversion).ToList(), CancellationToken.None);
            await RowInserts.InsertAsync(db, group.SelectMany(p => p.Item.Entries).ToList(), CancellationToken.None);
            await CountAsync(db, group.Select(p => (p.Item.Conversion, p.Item.Entries)).ToList(), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception)
        {
            // Rolled back when the transaction was disposed.
            return false;
        }
        foreach (var pending in group) pending.Answer.TrySetResult(true);
        return true;
    }

    private static async Task WriteOneByOneAsync(IDbContextFactory<AppDbContext> contexts, IReadOnlyList<Pending> group)
    {
        var outcomes = new (bool Stored, Exception? Error)[group.Count];
        try
        {
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            for (var i = 0; i < group.Count; i++)
            {
                // Inside a transaction, SaveChanges makes a savepoint and rolls back to it when it fails.
                try
                {
                    outcomes[i] = (await TrySaveAsync(db, group[i].Item.Conversion, group[i].Item.Entries, CancellationToken.None), null);
                }
                catch (Exception e)
                {
                    outcomes[i] = (false, e);
                }
            }
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Nothing of the group is stored: each request fails as a lone one would.
            foreach (var pending in group) pending.Answer.TrySetException(e);
            return;
        }
        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Error is { } error) group[i].Answer.TrySetException(error);
            else group[i].Answer.TrySetResult(outcomes[i].Stored);
        }
    }

    /// <summary>The stats' counts of new conversions and their open entries: one upsert per count table for all of them.</summary>
    private static async Task CountAsync(AppDbContext db, IReadOnlyList<(Conversion Conversion, IReadOnlyList<LedgerEntry> Entries)> stored,
        CancellationToken cancellationToken)
    {
        await ConversionCounts.ApplyAsync(db, stored.Select(s => (s.Conversion, ReferrerOf(s.Entries), 1)), cancellationToken);
        await RewardCounts.ApplyAsync(db, stored.SelectMany(s => s.Entries.Select(e => (CountedEntry.Of(e, s.Conversion), LedgerEntryState.Open, 1))),
            cancellationToken);
    }

    private static string? ReferrerOf(IReadOnlyList<LedgerEntry> entries) =>
        entries.FirstOrDefault(e => e.Kind == LedgerEntryKind.SecondDegree)?.AmbassadorId;

    /// <summary>
    /// The conversion, its entries and the stats' counts that include them (<see cref="ConversionCounts"/>,
    /// <see cref="RewardCounts"/>), all or nothing: in a savepoint of the group's transaction.
    /// </summary>
    private static async Task<bool> TrySaveAsync(AppDbContext db, Conversion conversion, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        const string savepoint = "conversion";
        var group = db.Database.CurrentTransaction ?? throw new InvalidOperationException("A conversion is saved inside its group's transaction.");
        await group.CreateSavepointAsync(savepoint, cancellationToken);
        db.Conversions.Add(conversion);
        db.Ledger.AddRange(entries);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await CountAsync(db, [(conversion, entries)], cancellationToken);
            await group.ReleaseSavepointAsync(savepoint, cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Only its savepoint is taken back.
            await group.RollbackToSavepointAsync(savepoint, CancellationToken.None);
            return false;
        }
        catch
        {
            await group.RollbackToSavepointAsync(savepoint, CancellationToken.None);
            throw;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
