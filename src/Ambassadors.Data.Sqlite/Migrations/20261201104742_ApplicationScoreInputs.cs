using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ApplicationScoreInputs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "Engagement",
                table: "Applications",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<long>(
                name: "Followers",
                table: "Applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // The applications already stored, from their profiles as ApplicationScores counts them: followers (a negative
            // count as 0), and engagement: the stated rates averaged, weighted by those profiles' followers (a plain average
            // when they have none), / 10 %, between 0 and 1; 0 when no profile states a rate. From now on every save keeps
            // both (AppDbContext).
            migrationBuilder.Sql("""
                UPDATE "Applications" SET
                    "Followers" = COALESCE((SELECT SUM(MAX(0, json_extract(p.value, '$.Followers'))) FROM json_each("Applications"."SocialProfiles") AS p), 0),
                    "Engagement" = COALESCE((
                        SELECT MIN(MAX(
                            CASE WHEN SUM(MAX(0, json_extract(p.value, '$.Followers'))) > 0
                                THEN SUM(CAST(json_extract(p.value, '$.EngagementRate') AS REAL) * MAX(0, json_extract(p.value, '$.Followers')))
                                     / SUM(MAX(0, json_extract(p.value, '$.Followers')))
                                ELSE AVG(CAST(json_extract(p.value, '$.EngagementRate') AS REAL)) END / 10.0, 0.0), 1.0)
                        FROM json_each("Applications"."SocialProfiles") AS p
                        WHERE json_extract(p.value, '$.EngagementRate') IS NOT NULL), 0.0)
                WHERE "SocialProfiles" IS NOT NULL AND json_valid("SocialProfiles") AND json_type("SocialProfiles") = 'array'
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Applications_CampaignId_Country",
                table: "Applications",
                columns: new[] { "CampaignId", "Country" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Applications_CampaignId_Country",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "Engagement",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "Followers",
                table: "Applications");
        }
    }
}
