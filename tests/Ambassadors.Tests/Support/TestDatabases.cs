using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ambassadors.Tests.Support;

public enum Engine { Sqlite, Postgres }

/// <summary>Where the tests find their databases: SQLite always, PostgreSQL when AMBASSADORS_TEST_POSTGRES is set.</summary>
public static class TestDatabases
{
    public const string PostgresVariable = "AMBASSADORS_TEST_POSTGRES";

    public static string? PostgresAdmin => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    public static string SkipReason => $"PostgreSQL not configured: set {PostgresVariable} to an admin connection string (see README).";

    public static string NewSqliteFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ambassadors-tests");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{Guid.NewGuid():N}.db");
    }

    public static void DeleteSqlite(string file)
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            try { File.Delete(path); } catch (IOException) { /* still open by a late reader: the temp folder is cleaned by the OS */ }
        }
    }

    /// <summary>Creates an empty PostgreSQL database and returns its connection string.</summary>
    public static async Task<string> CreatePostgresAsync()
    {
        var admin = PostgresAdmin ?? throw new InvalidOperationException(SkipReason);
        var name = $"amb_test_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString;
    }

    public static async Task DropPostgresAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static int FreePort() => Ambassadors.Shared.ServiceBinaries.FreePort();
}
