using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ambassadors.Data;

public static class DbErrors
{
    /// <summary>True when the database refused a row because a unique key or primary key already holds it.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => IsUniqueViolation(inner),
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>
    /// True when trying again may succeed: a PostgreSQL deadlock or serialization failure, or SQLite busy/locked
    /// (another writer held the database longer than the busy timeout).
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        _ => false,
    };

    /// <summary>The name of the violated constraint or index, where the engine tells it.</summary>
    public static string? ConstraintOf(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => ConstraintOf(inner),
        PostgresException postgres => postgres.ConstraintName,
        SqliteException sqlite => sqlite.Message,
        _ => null,
    };
}
