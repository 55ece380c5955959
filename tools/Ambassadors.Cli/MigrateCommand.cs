using System.CommandLine;
using Ambassadors.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Cli;

/// <summary><c>ambassadors migrate</c>: creates or upgrades the database.</summary>
internal static class MigrateCommand
{
    public static Command Create(GlobalOptions globals, CliIo io)
    {
        var command = new Command("migrate", "Create the database or apply the migrations it lacks (data is kept).");
        command.SetCliAction(globals, io, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var migrator = context.Services.GetRequiredService<DatabaseMigrator>();
        await context.Out.WriteLineAsync($"Database: {context.Storage.Describe()}");

        // The migrator creates the SQLite folder too, but the pending list is read before it runs.
        if (context.Storage.SqliteFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }
        var pending = await migrator.PendingMigrationsAsync(cancellationToken);
        await migrator.MigrateAsync(cancellationToken);

        if (pending.Count == 0)
        {
            await context.Out.WriteLineAsync("Up to date: no migrations to apply.");
        }
        else
        {
            await context.Out.WriteLineAsync($"Applied {pending.Count} migration{(pending.Count == 1 ? "" : "s")}:");
            foreach (var migration in pending) await context.Out.WriteLineAsync($"  {migration}");
        }
        return ExitCodes.Ok;
    }
}
