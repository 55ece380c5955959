using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Reminders : Migration
    {
        /// <summary>
        /// The table our SQLite reminder table kept Orleans reminders in (one row per service, grain and reminder name).
        /// That code is gone and the Renovation migration drops the table; the SQL stays here, as it ran, so the
        /// history replays the same and Renovation's Down can put the table back.
        /// </summary>
        internal const string CreateScript = """
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

        internal const string DropScript = """
            DROP TABLE IF EXISTS "OrleansReminders";
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Orleans reminders on SQLite, durable in the same file.
            migrationBuilder.Sql(CreateScript);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DropScript);
        }
    }
}
