using System.Collections.Concurrent;
using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Conversions;

/// <summary>
/// Stores a new conversion with its ledger entries, once: false when its externalId is already stored (the unique key
/// decides, on both engines). Returns only after the commit, so an acknowledged conversion is durable.
/// <para>
/// SQLite takes one writer per file: concurrent conversions' transactions met SQLITE_BUSY, on which Microsoft.Data.Sqlite
/// sleeps 150 ms and retries (docs/decisions.md). So this node's SQLite conversion writes queue here, and whoever holds the
/// gate writes every conversion queued so far in one transaction (group commit: one commit, one WAL sync, for up to
/// <see cref="GroupLimit"/>), each in its own savepoint so a duplicate or a failure takes back only its own rows.
/// PostgreSQL needs no gate: each conversion is its own transaction (row locks, commits in parallel).
/// </para>
/// </summary>
public sealed class ConversionWriter(IDbContextFactory<AppDbContext> contexts)
{
    public const int GroupLimit = 64;

    private sealed class Pending(Conversion conversion, IReadOnlyList<LedgerEntry> entries)
    {
        public Conversion Conversion { get; } = conversion;
        public IReadOnlyList<LedgerEntry> Entries { get; } = entries;
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly SemaphoreSlim _sqliteGate = new(1, 1);
    private readonly ConcurrentQueue<Pending> _sqliteQueue = new();

    public async Task<bool> StoreAsync(StorageEngine engine, Conversion conversion, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        if (engine != StorageEngine.Sqlite)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            // One SaveChanges: the conversion row first, then its entries, in one transaction.
            return await TrySaveAsync(db, conversion, entries, cancellationToken);
        }

        var pending = new Pending(conversion, entries);
        _sqliteQueue.Enqueue(pending);
        // Not cancellable once queued: another request's group may write it anyway, and then it must be answered as stored.
        await _sqliteGate.WaitAsync(CancellationToken.None);
        try
        {
            // The queue is first in, first out: this one is in the group of whoever drains it next, or in ours.
            while (!pending.Stored.Task.IsCompleted) await WriteGroupAsync();
        }
        finally
        {
            _sqliteGate.Release();
        }
        return await pending.Stored.Task;
    }

    private async Task WriteGroupAsync()
    {
        var group = new List<Pending>(Math.Min(GroupLimit, _sqliteQueue.Count));
        while (group.Count < GroupLimit && _sqliteQueue.TryDequeue(out var next)) group.Add(next);
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
                    outcomes[i] = (await TrySaveAsync(db, group[i].Conversion, group[i].Entries, CancellationToken.None), null);
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
            foreach (var pending in group) pending.Stored.TrySetException(e);
            return;
        }
        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Error is { } error) group[i].Stored.TrySetException(error);
            else group[i].Stored.TrySetResult(outcomes[i].Stored);
        }
    }

    /// <summary>
    /// The conversion, its entries and the stats' counts that include them (<see cref="ConversionCounts"/>,
    /// <see cref="RewardCounts"/>), all or nothing: in a transaction of its own, or in a savepoint of the group's.
    /// </summary>
    private static async Task<bool> TrySaveAsync(AppDbContext db, Conversion conversion, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        const string savepoint = "conversion";
        var group = db.Database.CurrentTransaction;
        await using var own = group is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (group is not null) await group.CreateSavepointAsync(savepoint, cancellationToken);
        db.Conversions.Add(conversion);
        db.Ledger.AddRange(entries);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            var referrer = entries.FirstOrDefault(e => e.Kind == LedgerEntryKind.SecondDegree)?.AmbassadorId;
            await ConversionCounts.ApplyAsync(db, conversion, referrer, 1, cancellationToken);
            await RewardCounts.ApplyAsync(db, entries.Select(e => (CountedEntry.Of(e, conversion), LedgerEntryState.Open, 1)), cancellationToken);
            if (own is not null) await own.CommitAsync(cancellationToken);
            else await group!.ReleaseSavepointAsync(savepoint, cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Its own transaction is rolled back when disposed; in a group, only its savepoint is taken back.
            if (group is not null) await group.RollbackToSavepointAsync(savepoint, CancellationToken.None);
            return false;
        }
        catch when (group is not null)
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
