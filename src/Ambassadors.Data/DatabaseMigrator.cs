using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Ambassadors.Data;

/// <summary>Creates or upgrades the database; upgrades keep data (migrations only add or alter).</summary>
public sealed class DatabaseMigrator(StorageSettings settings, IDbContextFactory<AppDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (settings.SqliteFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }
        await using var db = contexts.CreateDbContext();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Migrating {Database}: {Migrations}", settings.Describe(), string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (settings.Engine == StorageEngine.Sqlite)
        {
            // Write-ahead logging lets the web requests read while grain state and records are written.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        return (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
    }
}
