using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Renovation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReferralCodes_AmbassadorId_CampaignId_ContentId",
                table: "ReferralCodes");

            migrationBuilder.CreateIndex(
                name: "IX_ReferralCodes_AmbassadorId_CampaignId_ContentId",
                table: "ReferralCodes",
                columns: new[] { "AmbassadorId", "CampaignId", "ContentId" },
                unique: true,
                filter: "\"ContentId\" IS NOT NULL");

            // Nothing is IRemindable: the reminder table and its OrleansQuery rows go.
            migrationBuilder.Sql(OrleansPostgresSchema.DropRemindersScript);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The OrleansTables migration's script again: it recreates the reminder table and upserts every query row.
            migrationBuilder.Sql(OrleansPostgresSchema.CreateScript);

            migrationBuilder.DropIndex(
                name: "IX_ReferralCodes_AmbassadorId_CampaignId_ContentId",
                table: "ReferralCodes");

            migrationBuilder.CreateIndex(
                name: "IX_ReferralCodes_AmbassadorId_CampaignId_ContentId",
                table: "ReferralCodes",
                columns: new[] { "AmbassadorId", "CampaignId", "ContentId" });
        }
    }
}
