using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Followers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Followers",
                table: "Ambassadors",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // The followers of the profiles already stored (each profile's "Followers" in the JSON list); from now on every
            // save keeps the column (AppDbContext).
            migrationBuilder.Sql("""
                UPDATE "Ambassadors" SET "Followers" = COALESCE((SELECT SUM(json_extract(p.value, '$.Followers')) FROM json_each("Ambassadors"."SocialProfiles") AS p), 0) WHERE "SocialProfiles" IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Followers",
                table: "Ambassadors");
        }
    }
}
