using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Postgres.Migrations
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
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<long>(
                name: "Followers",
                table: "Applications",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // The applications already stored, from their profiles as ApplicationScores counts them: followers (a negative
            // count as 0), and engagement: the stated rates averaged, weighted by those profiles' followers (a plain average
            // when they have none), / 10 %, between 0 and 1; 0 when no profile states a rate. From now on every save keeps
            // both (AppDbContext).
            migrationBuilder.Sql("""
                UPDATE "Applications" SET
                    "Followers" = COALESCE((SELECT SUM(GREATEST(0, (p ->> 'Followers')::bigint)) FROM jsonb_array_elements("Applications"."SocialProfiles") AS p), 0),
                    "Engagement" = COALESCE((
                        SELECT LEAST(GREATEST(
                            CASE WHEN SUM(GREATEST(0, (p ->> 'Followers')::numeric)) > 0
                                THEN SUM((p ->> 'EngagementRate')::numeric * GREATEST(0, (p ->> 'Followers')::numeric))
                                     / SUM(GREATEST(0, (p ->> 'Followers')::numeric))
                                ELSE AVG((p ->> 'EngagementRate')::numeric) END / 10, 0), 1)
                        FROM jsonb_array_elements("Applications"."SocialProfiles") AS p
                        WHERE p ->> 'EngagementRate' IS NOT NULL), 0)::double precision
                WHERE jsonb_typeof("SocialProfiles") = 'array'
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
