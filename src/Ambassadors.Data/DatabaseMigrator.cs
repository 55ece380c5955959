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
        // Nodes started together against one PostgreSQL database take turns: measured here, two nodes
        // migrating a fresh database at once collide on __EFMigrationsHistory without this lock.
        await using var turn = settings.Engine == StorageEngine.Postgres
            ? await PostgresMigrationLock.TakeAsync(settings.ConnectionString, cancellationToken)
            : null;
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

/// <summary>A session-level advisory lock held on its own connection while migrations run.</summary>
internal sealed class PostgresMigrationLock : IAsyncDisposable
{
    // Any fixed 64-bit number of our own: "Ambassadors migrations".
    private const long LockKey = 0x416d_6261_7373_6d67;
    private readonly Npgsql.NpgsqlConnection _connection;

    private PostgresMigrationLock(Npgsql.NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresMigrationLock> TakeAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new PostgresMigrationLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", _connection))
        {
            await command.ExecuteNonQueryAsync();
        }
        await _connection.DisposeAsync();
    }
}
