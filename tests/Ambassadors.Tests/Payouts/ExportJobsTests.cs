using Ambassadors.Data;
using Ambassadors.Web.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Tests.Payouts;

/// <summary>Exports live in the database: deleted after an hour, failed when their node stopped moving them, private to who started them.</summary>
public sealed class ExportJobsTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [SkippableFact]
    public async Task OldExportsAreDeletedAbandonedOnesFailedAndEachIsPrivateToItsUser()
    {
        var app = fixture.App;
        var jobs = app.Services.GetRequiredService<ExportJobs>();
        var now = DateTimeOffset.UtcNow;
        WorkbookExport Export(string id, WorkbookExportState state, TimeSpan age, TimeSpan quiet) => new()
        {
            Id = id, BatchId = "pay_x", StartedBy = "user-1", StartedAt = now - age, UpdatedAt = now - quiet, State = state,
            Content = state == WorkbookExportState.Done ? [1, 2, 3] : null,
        };
        await using (var db = app.Db())
        {
            db.WorkbookExports.AddRange(
                Export("exp_old", WorkbookExportState.Done, TimeSpan.FromHours(2), TimeSpan.FromHours(2)),
                Export("exp_recent", WorkbookExportState.Done, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(29)),
                Export("exp_abandoned", WorkbookExportState.Running, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5)),
                Export("exp_alive", WorkbookExportState.Running, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1)));
            await db.SaveChangesAsync();
        }

        await jobs.CleanUpAsync(CancellationToken.None);

        Assert.Null(await jobs.FindAsync("exp_old", "user-1", CancellationToken.None));
        Assert.Equal(WorkbookExportState.Done, (await jobs.FindAsync("exp_recent", "user-1", CancellationToken.None))!.State);
        var abandoned = (await jobs.FindAsync("exp_abandoned", "user-1", CancellationToken.None))!;
        Assert.Equal(WorkbookExportState.Failed, abandoned.State);
        Assert.Contains("stopped", abandoned.Error);
        Assert.Equal(WorkbookExportState.Running, (await jobs.FindAsync("exp_alive", "user-1", CancellationToken.None))!.State);

        // Another user sees nothing and takes nothing; the owner takes the file once.
        Assert.Null(await jobs.FindAsync("exp_recent", "user-2", CancellationToken.None));
        Assert.Null(await jobs.TakeAsync("exp_recent", "user-2", CancellationToken.None));
        Assert.Equal([1, 2, 3], await jobs.TakeAsync("exp_recent", "user-1", CancellationToken.None));
        Assert.Null(await jobs.TakeAsync("exp_recent", "user-1", CancellationToken.None));
        await using var check = app.Db();
        Assert.Null(await check.WorkbookExports.Where(e => e.Id == "exp_recent").Select(e => e.Content).SingleAsync());
    }
}
