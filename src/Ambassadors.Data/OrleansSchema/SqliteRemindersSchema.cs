namespace Ambassadors.Data;

/// <summary>
/// DDL for the table that the SQLite reminder table keeps Orleans reminders in, so reminders survive a
/// restart of the single-node (SQLite) service. Plain SQLite, idempotent, run by an EF Core migration.
/// </summary>
public static class SqliteRemindersSchema
{
    public const string TableName = "OrleansReminders";

    /// <summary>
    /// One row per (service, grain, reminder name). <c>GrainHash</c> is the grain id's uniform hash, which the
    /// reminder service reads ranges of; <c>StartAtTicks</c> is a UTC tick count; <c>ETag</c> changes on every upsert.
    /// </summary>
    public const string CreateScript = """
        CREATE TABLE IF NOT EXISTS "OrleansReminders" (
            "ServiceId" TEXT NOT NULL,
            "GrainId" TEXT NOT NULL,
            "ReminderName" TEXT NOT NULL,
            "GrainHash" INTEGER NOT NULL,
            "StartAtTicks" INTEGER NOT NULL,
            "PeriodTicks" INTEGER NOT NULL,
            "ETag" TEXT NOT NULL,
            PRIMARY KEY ("ServiceId", "GrainId", "ReminderName")
        );
        CREATE INDEX IF NOT EXISTS "IX_OrleansReminders_ServiceId_GrainHash" ON "OrleansReminders" ("ServiceId", "GrainHash");
        """;

    public const string DropScript = """
        DROP TABLE IF EXISTS "OrleansReminders";
        """;
}
