using Ambassadors.Web.Finance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ambassadors.Tests.Pages;

/// <summary>The export registry forgets jobs and deletes their files after an hour, and keeps jobs private to who started them.</summary>
public sealed class ExportJobsTests
{
    [Fact]
    public void JobsAndFilesOlderThanAnHourAreCleanedUp()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow - TimeSpan.FromHours(2));
        using var services = new ServiceCollection().BuildServiceProvider();
        var jobs = new ExportJobs(services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<ExportJobs>.Instance);
        var old = jobs.Start("pay_old", "user-1");
        File.WriteAllText(old.FilePath, "workbook");
        var stray = Path.Combine(ExportJobs.Folder, $"stray-{Guid.NewGuid():N}.xlsx");
        File.WriteAllText(stray, "left by a crashed run");
        File.SetLastWriteTimeUtc(stray, DateTime.UtcNow.AddHours(-2));

        clock.Now = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30);
        var recent = jobs.Start("pay_recent", "user-1");
        File.WriteAllText(recent.FilePath, "workbook");
        clock.Now = DateTimeOffset.UtcNow;
        jobs.CleanUp();

        Assert.Null(jobs.Find(old.Id, "user-1"));
        Assert.False(File.Exists(old.FilePath));
        Assert.False(File.Exists(stray));
        Assert.Same(recent, jobs.Find(recent.Id, "user-1"));
        Assert.True(File.Exists(recent.FilePath));
        Assert.Null(jobs.Find(recent.Id, "user-2"));
        File.Delete(recent.FilePath);
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
