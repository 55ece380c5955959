using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Ambassadors.Payouts;
using Ambassadors.Payouts.Workbook;

namespace Ambassadors.Web.Finance;

public enum ExportState { Queued, Running, Done, Failed, Downloaded }

/// <summary>One workbook being written to a temporary file for one person; polled for progress, downloaded once.</summary>
public sealed class ExportJob
{
    private long _rowsWritten;
    private long _totalRows;
    private int _state = (int)ExportState.Queued;

    public required string Id { get; init; }
    public required string BatchId { get; init; }
    /// <summary>The user id of who started it; nobody else sees it.</summary>
    public required string StartedBy { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string FilePath { get; init; }

    public ExportState State => (ExportState)Volatile.Read(ref _state);
    public long RowsWritten => Interlocked.Read(ref _rowsWritten);
    public long TotalRows => Interlocked.Read(ref _totalRows);
    /// <summary>PayoutWorkbook.FileName of the batch, once its data is read.</summary>
    public string? FileName { get; private set; }
    public string? Error { get; private set; }

    /// <summary>0-100; a finished job is 100 even when it had no rows.</summary>
    public int Percent => State is ExportState.Done or ExportState.Downloaded ? 100
        : TotalRows > 0 ? (int)Math.Clamp(RowsWritten * 100 / TotalRows, 0, 99)
        : 0;

    internal void Running(string fileName)
    {
        FileName = fileName;
        Volatile.Write(ref _state, (int)ExportState.Running);
    }

    internal void Report(WorkbookProgress progress)
    {
        Interlocked.Exchange(ref _totalRows, progress.TotalRows);
        Interlocked.Exchange(ref _rowsWritten, progress.RowsWritten);
    }

    internal void Finished() => Volatile.Write(ref _state, (int)ExportState.Done);

    internal void Failed(string error)
    {
        Error = error;
        Volatile.Write(ref _state, (int)ExportState.Failed);
    }

    /// <summary>True for the one caller that takes the finished file.</summary>
    internal bool TryTake() =>
        Interlocked.CompareExchange(ref _state, (int)ExportState.Downloaded, (int)ExportState.Done) == (int)ExportState.Done;
}

/// <summary>Reports progress straight into the job (no synchronization context hop, so reports never arrive out of order).</summary>
internal sealed class JobProgress(ExportJob job) : IProgress<WorkbookProgress>
{
    public void Report(WorkbookProgress value) => job.Report(value);
}

/// <summary>
/// The registry of workbook exports and the background runner that writes them, one at a time, into temporary files.
/// A file is deleted when it is downloaded, and any job or file older than <see cref="Lifetime"/> is cleaned up.
/// </summary>
public sealed class ExportJobs(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ExportJobs> logger) : BackgroundService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, ExportJob> _jobs = new(StringComparer.Ordinal);
    private readonly Channel<ExportJob> _queue = Channel.CreateUnbounded<ExportJob>(new UnboundedChannelOptions { SingleReader = true });

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "ambassadors-exports");

    public ExportJob Start(string batchId, string userId)
    {
        Directory.CreateDirectory(Folder);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var job = new ExportJob
        {
            Id = id, BatchId = batchId, StartedBy = userId, StartedAt = clock.GetUtcNow(),
            FilePath = Path.Combine(Folder, $"{id}.xlsx"),
        };
        _jobs[id] = job;
        if (!_queue.Writer.TryWrite(job)) job.Failed("The service is shutting down; try again in a moment.");
        return job;
    }

    /// <summary>The job, if it exists and was started by <paramref name="userId"/>.</summary>
    public ExportJob? Find(string jobId, string userId) =>
        _jobs.TryGetValue(jobId, out var job) && job.StartedBy == userId ? job : null;

    /// <summary>Opens a finished job's file once; the file is deleted when the stream is closed.</summary>
    public Stream? Take(ExportJob job)
    {
        if (!job.TryTake()) return null;
        try
        {
            return new FileStream(job.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan | FileOptions.DeleteOnClose);
        }
        catch (IOException exception)
        {
            job.Failed("The file is no longer there; export again.");
            logger.LogWarning(exception, "Export {Job} could not be opened", job.Id);
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DeleteOldFiles();
        var cleanup = CleanUpPeriodicallyAsync(stoppingToken);
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(job, stoppingToken);
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
        foreach (var job in _jobs.Values) DeleteFile(job);
    }

    private async Task RunAsync(ExportJob job, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var payouts = scope.ServiceProvider.GetRequiredService<IPayoutService>();
            var data = await payouts.WorkbookDataAsync(job.BatchId, stoppingToken);
            if (data is null)
            {
                job.Failed($"There is no batch {job.BatchId}.");
                return;
            }
            job.Running(PayoutWorkbook.FileName(data.Summary));
            // Readable as well as seekable, so the writers fill it directly instead of a buffer file of their own.
            await using (var file = new FileStream(job.FilePath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
                             FileOptions.Asynchronous))
            {
                await PayoutWorkbook.WriteAsync(data, file, progress: new JobProgress(job), cancellationToken: stoppingToken);
            }
            job.Finished();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            job.Failed("The service stopped before the workbook was written; export again.");
            DeleteFile(job);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Export {Job} of batch {Batch} failed", job.Id, job.BatchId);
            job.Failed("The workbook could not be written. The error has been logged; try again.");
            DeleteFile(job);
        }
    }

    private async Task CleanUpPeriodicallyAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CleanupInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) CleanUp();
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Forgets jobs older than <see cref="Lifetime"/> and deletes their files (and strays from earlier runs).</summary>
    internal void CleanUp()
    {
        var cutoff = clock.GetUtcNow() - Lifetime;
        foreach (var job in _jobs.Values.Where(j => j.StartedAt < cutoff && j.State != ExportState.Running))
        {
            if (_jobs.TryRemove(job.Id, out _) && job.State != ExportState.Downloaded) DeleteFile(job);
        }
        DeleteOldFiles();
    }

    private void DeleteOldFiles()
    {
        if (!Directory.Exists(Folder)) return;
        var cutoff = clock.GetUtcNow().UtcDateTime - Lifetime;
        foreach (var file in Directory.EnumerateFiles(Folder, "*.xlsx"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < cutoff) File.Delete(file);
            }
            catch (IOException)
            {
                // Being written or read by another process: the next round gets it.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }
    }

    private void DeleteFile(ExportJob job)
    {
        try
        {
            File.Delete(job.FilePath);
        }
        catch (IOException exception)
        {
            logger.LogWarning(exception, "Could not delete the export file {Path}", job.FilePath);
        }
    }
}
