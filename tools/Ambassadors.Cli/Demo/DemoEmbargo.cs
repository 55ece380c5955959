namespace Ambassadors.Cli.Demo;

/// <summary>The exclusive previews' embargo (content's own service sets it once it exists on main).</summary>
internal static class DemoEmbargo
{
    public static Task ApplyAsync(DemoRun run, IReadOnlyList<string> previews, IReadOnlyList<int> daysAhead, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
