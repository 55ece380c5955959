using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Postgres.Migrations
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // The followers of the profiles already stored (each profile's "Followers" in the JSON list); from now on every
            // save keeps the column (AppDbContext).
            migrationBuilder.Sql("""
                UPDATE "Ambassadors" SET "Followers" = COALESCE((SELECT SUM((p ->> 'Followers')::bigint) FROM jsonb_array_elements("Ambassadors"."SocialProfiles") AS p), 0) WHERE jsonb_typeof("SocialProfiles") = 'array'
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
