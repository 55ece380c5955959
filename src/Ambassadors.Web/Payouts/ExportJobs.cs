using System.Security.Cryptography;
using System.Threading.Channels;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Payouts;

/// <summary>An export as it stands (read from the database): who started it, how far it is, its file name once known.</summary>
public sealed record ExportJob(string Id, string BatchId, string StartedBy, DateTimeOffset StartedAt, WorkbookExportState State,
    long RowsWritten, long TotalRows, string? FileName, string? Error)
{
    /// <summary>0-100; a finished job is 100 even when it had no rows.</summary>
    public int Percent => State is WorkbookExportState.Done or WorkbookExportState.Downloaded ? 100
        : TotalRows > 0 ? (int)Math.Clamp(RowsWritten * 100 / TotalRows, 0, 99)
        : 0;
}

/// <summary>The latest progress a writer reported, read by the heartbeat that stores it.</summary>
internal sealed class JobProgress : IProgress<WorkbookProgress>
{
    private long _rowsWritten;
    private long _totalRows;

    public long RowsWritten => Interlocked.Read(ref _rowsWritten);
    public long TotalRows => Interlocked.Read(ref _totalRows);

    public void Report(WorkbookProgress value)
    {
        Interlocked.Exchange(ref _totalRows, value.TotalRows);
        Interlocked.Exchange(ref _rowsWritten, value.RowsWritten);
    }
}

/// <summary>
/// Workbook exports in the background. An export is a row in the database: the node that takes the request writes the
/// workbook (one at a time) and stores its progress about every second and, at the end, the file itself, so the page's
/// polling and the download can reach any node. A file is handed out once; exports older than <see cref="Lifetime"/>
/// are deleted, and one whose node stopped moving it is failed.
/// </summary>
public sealed class ExportJobs(IDbContextFactory<AppDbContext> contexts, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ExportJobs> logger)
    : BackgroundService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    /// <summary>A queued or running export not moved on for this long belongs to a node that stopped.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public async Task<ExportJob> StartAsync(string batchId, string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var export = new WorkbookExport
        {
            Id = "exp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            BatchId = batchId, StartedBy = userId, StartedAt = now, UpdatedAt = now, State = WorkbookExportState.Queued,
        };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.WorkbookExports.Add(export);
            await db.SaveChangesAsync(cancellationToken);
        }
        if (!_queue.Writer.TryWrite(export.Id))
        {
            await FinishAsync(export.Id, WorkbookExportState.Failed, "The service is shutting down; try again in a moment.", null, CancellationToken.None);
        }
        return (await FindAsync(export.Id, userId, cancellationToken))!;
    }

    /// <summary>The export, if it exists and was started by <paramref name="userId"/>.</summary>
    public async Task<ExportJob?> FindAsync(string jobId, string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.WorkbookExports.AsNoTracking()
            .Where(e => e.Id == jobId && e.StartedBy == userId)
            .Select(e => new ExportJob(e.Id, e.BatchId, e.StartedBy, e.StartedAt, e.State, e.RowsWritten, e.TotalRows, e.FileName, e.Error))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>A finished export's file, handed out once (one conditional update decides which request gets it).</summary>
    public async Task<byte[]?> TakeAsync(string jobId, string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var taken = await db.WorkbookExports
            .Where(e => e.Id == jobId && e.StartedBy == userId && e.State == WorkbookExportState.Done)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.State, WorkbookExportState.Downloaded).SetProperty(e => e.UpdatedAt, clock.GetUtcNow()),
                cancellationToken);
        if (taken == 0) return null;
        var content = await db.WorkbookExports.Where(e => e.Id == jobId).Select(e => e.Content).SingleAsync(cancellationToken);
        await db.WorkbookExports.Where(e => e.Id == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Content, (byte[]?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return content;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cleanup = CleanUpPeriodicallyAsync(stoppingToken);
        try
        {
            await foreach (var jobId in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(jobId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        await cleanup;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        // What this node had queued will not be written: say so at once rather than after the abandonment timeout.
        while (_queue.Reader.TryRead(out var jobId))
        {
            await FinishAsync(jobId, WorkbookExportState.Failed, "The service stopped before the workbook was written; export again.", null, cancellationToken);
        }
    }

    private async Task RunAsync(string jobId, CancellationToken stoppingToken)
    {
        var progress = new JobProgress();
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task? heartbeat = null;
        var temporary = Path.Combine(Path.GetTempPath(), $"ambassadors-{jobId}.xlsx");
        try
        {
            string batchId;
            await using (var db = await contexts.CreateDbContextAsync(stoppingToken))
            {
                batchId = await db.WorkbookExports.Where(e => e.Id == jobId).Select(e => e.BatchId).SingleAsync(stoppingToken);
            }
            await using var scope = scopes.CreateAsyncScope();
            var payouts = scope.ServiceProvider.GetRequiredService<IPayoutService>();
            var data = await payouts.WorkbookDataAsync(batchId, stoppingToken);
            if (data is null)
            {
                await FinishAsync(jobId, WorkbookExportState.Failed, $"There is no batch {batchId}.", null, stoppingToken);
                return;
            }
            await UpdateAsync(jobId, s => s.SetProperty(e => e.State, WorkbookExportState.Running)
                .SetProperty(e => e.FileName, PayoutWorkbook.FileName(data.Summary))
                .SetProperty(e => e.UpdatedAt, clock.GetUtcNow()), stoppingToken);
            heartbeat = BeatAsync(jobId, progress, beating.Token);
            // Readable as well as seekable, so the writers fill it directly instead of a buffer file of their own.
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await PayoutWorkbook.WriteAsync(data, file, progress: progress, cancellationToken: stoppingToken);
            }
            await beating.CancelAsync();
            await heartbeat;
            await FinishAsync(jobId, WorkbookExportState.Done, null, await File.ReadAllBytesAsync(temporary, stoppingToken), stoppingToken,
                progress.TotalRows);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FinishAsync(jobId, WorkbookExportState.Failed, "The service stopped before the workbook was written; export again.", null, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Export {Job} failed", jobId);
            await FinishAsync(jobId, WorkbookExportState.Failed, "The workbook could not be written. The error has been logged; try again.", null,
                CancellationToken.None);
        }
        finally
        {
            await beating.CancelAsync();
            if (heartbeat is not null) await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default);
            File.Delete(temporary);
        }
    }

    /// <summary>Stores the writer's progress every second: the page reads it, and it tells other nodes this export is alive.</summary>
    private async Task BeatAsync(string jobId, JobProgress progress, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Heartbeat, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await UpdateAsync(jobId, s => s.SetProperty(e => e.RowsWritten, progress.RowsWritten)
                    .SetProperty(e => e.TotalRows, progress.TotalRows).SetProperty(e => e.UpdatedAt, clock.GetUtcNow()), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Written, failed or shutting down.
        }
    }

    private async Task FinishAsync(string jobId, WorkbookExportState state, string? error, byte[]? content, CancellationToken cancellationToken,
        long rows = 0)
    {
        try
        {
            await UpdateAsync(jobId, s => s.SetProperty(e => e.State, state).SetProperty(e => e.Error, error).SetProperty(e => e.Content, content)
                .SetProperty(e => e.RowsWritten, rows).SetProperty(e => e.TotalRows, rows)
                .SetProperty(e => e.UpdatedAt, clock.GetUtcNow()), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database is gone too: the export will be failed as abandoned by whichever node cleans up next.
            logger.LogWarning(exception, "Could not record the end of export {Job}", jobId);
        }
    }

    private async Task UpdateAsync(string jobId,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<WorkbookExport>> set, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.WorkbookExports.Where(e => e.Id == jobId).ExecuteUpdateAsync(set, cancellationToken);
    }

    private async Task CleanUpPeriodicallyAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CleanupInterval, clock);
        try
        {
            do
            {
                try
                {
                    await CleanUpAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The database may be away for a moment: the next round tries again.
                    logger.LogWarning(exception, "Cleaning up old exports failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Deletes exports older than <see cref="Lifetime"/>; fails those no node has moved on for <see cref="Abandoned"/>.</summary>
    internal async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var old = now - Lifetime;
        var stale = now - Abandoned;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.WorkbookExports.Where(e => e.StartedAt < old).ExecuteDeleteAsync(cancellationToken);
        await db.WorkbookExports
            .Where(e => (e.State == WorkbookExportState.Queued || e.State == WorkbookExportState.Running) && e.UpdatedAt < stale)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.State, WorkbookExportState.Failed)
                .SetProperty(e => e.Error, "The node writing this workbook stopped; export again.")
                .SetProperty(e => e.UpdatedAt, now), cancellationToken);
    }
}
