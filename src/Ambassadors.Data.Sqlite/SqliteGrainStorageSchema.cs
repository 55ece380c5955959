namespace Ambassadors.Data.Sqlite;

/// <summary>
/// DDL for the table that <see cref="SqliteGrainStorage"/> keeps grain state in.
/// Plain SQLite, idempotent, so an EF Core migration can run it with <c>migrationBuilder.Sql(...)</c>.
/// </summary>
public static class SqliteGrainStorageSchema
{
    /// <summary>Name of the table holding grain state.</summary>
    public const string TableName = "OrleansGrainState";

    /// <summary>
    /// Creates the grain state table. One row per (state name, grain id); <c>Version</c> is the ETag
    /// used for optimistic concurrency; <c>UpdatedAt</c> is an ISO-8601 UTC timestamp.
    /// </summary>
    public const string CreateScript = """
        CREATE TABLE IF NOT EXISTS "OrleansGrainState" (
            "StateName" TEXT NOT NULL,
            "GrainId" TEXT NOT NULL,
            "GrainType" TEXT NOT NULL,
            "Payload" BLOB NOT NULL,
            "Version" INTEGER NOT NULL,
            "UpdatedAt" TEXT NOT NULL,
            CONSTRAINT "PK_OrleansGrainState" PRIMARY KEY ("StateName", "GrainId")
        );
        """;

    /// <summary>Drops the grain state table (for the migration's Down).</summary>
    public const string DropScript = """
        DROP TABLE IF EXISTS "OrleansGrainState";
        """;
}
