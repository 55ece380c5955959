using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class GrainState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Grain state on SQLite lives in the same file, through our own IGrainStorage.
            migrationBuilder.Sql(SqliteGrainStorageSchema.CreateScript);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteGrainStorageSchema.DropScript);
        }
    }
}
