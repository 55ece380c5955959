using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RewardCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Ledger_AmbassadorId_State",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_CampaignId",
                table: "Ledger");

            migrationBuilder.CreateTable(
                name: "RewardCounts",
                columns: table => new
                {
                    Subject = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    SecondDegree = table.Column<bool>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AvailableOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RewardCounts", x => new { x.Subject, x.SubjectId, x.Day, x.Currency, x.SecondDegree, x.State, x.AvailableOn });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_AmbassadorId_State_AvailableAt",
                table: "Ledger",
                columns: new[] { "AmbassadorId", "State", "AvailableAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_CampaignId_State_AvailableAt",
                table: "Ledger",
                columns: new[] { "CampaignId", "State", "AvailableAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_ContentId_State_AvailableAt",
                table: "Ledger",
                columns: new[] { "ContentId", "State", "AvailableAt" });

            // The counts of the entries already stored.
            foreach (var statement in global::Ambassadors.Data.RewardCounts.RecountBeforeMissions(global::Ambassadors.Data.StorageEngine.Sqlite)) migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RewardCounts");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_AmbassadorId_State_AvailableAt",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_CampaignId_State_AvailableAt",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_ContentId_State_AvailableAt",
                table: "Ledger");

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_AmbassadorId_State",
                table: "Ledger",
                columns: new[] { "AmbassadorId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_CampaignId",
                table: "Ledger",
                column: "CampaignId");
        }
    }
}
