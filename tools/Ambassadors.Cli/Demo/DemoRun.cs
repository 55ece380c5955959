using System.Diagnostics;
using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Cli.Demo;

/// <summary>What one demo load has: the product's services, the invented world, the story's calendar and the progress lines.</summary>
internal sealed class DemoRun(IServiceProvider services, DemoWorld world, DemoSize size, DateTimeOffset now, TextWriter progress, Stopwatch clock)
{
    private readonly Stopwatch _clock = clock;

    public IServiceProvider Services { get; } = services;
    public DemoWorld World { get; } = world;
    public DemoSize Size { get; } = size;
    /// <summary>When the load runs: the story's six months end in this month.</summary>
    public DateTimeOffset Now { get; } = now;
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);
    /// <summary>The first day of the story: the first of the month five months before this one.</summary>
    public DateOnly FirstDay => new DateOnly(Today.Year, Today.Month, 1).AddMonths(-5);
    public DateOnly LastDay => new DateOnly(Today.Year, Today.Month, 1).AddMonths(1).AddDays(-1);
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The database's engine: SQLite takes one writer at a time (a group commit for conversions), PostgreSQL many.</summary>
    public required StorageEngine Engine { get; init; }

    /// <summary>The staff member the demo acts as, for audit entries and decisions (set once the accounts exist).</summary>
    public Actor Manager { get; set; } = new("cli", "demo");
    public Actor Finance { get; set; } = new("cli", "demo");

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public Task<AppDbContext> DbAsync(CancellationToken cancellationToken) =>
        Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);

    /// <summary>The first day of the story's month <paramref name="index"/> (0..5).</summary>
    public DateOnly MonthStart(int index) => FirstDay.AddMonths(index);

    public DateOnly MonthEnd(int index) => FirstDay.AddMonths(index + 1).AddDays(-1);

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public async Task SayAsync(string line) =>
        await progress.WriteLineAsync($"[{Elapsed.TotalSeconds,6:0.0} s] {line}");

    public static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Fails the load with the product's own message when a service refuses.</summary>
    public static T Ok<T>(Result<T> result, string what) =>
        result.Failure is { } failure ? throw new InvalidOperationException($"{what}: {failure.Detail}") : result.Value!;
}
