using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Sqlite.Migrations
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

            // Nothing is IRemindable: the SQLite reminder table goes (DROP TABLE IF EXISTS "OrleansReminders").
            migrationBuilder.Sql(Reminders.DropScript);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Reminders.CreateScript);

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
