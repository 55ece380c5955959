using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LedgerStatsDay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Ledger_AmbassadorId_State_AvailableAt",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_CampaignId_State_AvailableAt",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_ContentId_State_AvailableAt",
                table: "Ledger");

            migrationBuilder.AddColumn<DateOnly>(
                name: "CountsOn",
                table: "Ledger",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<bool>(
                name: "SecondDegree",
                table: "Ledger",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // The entries already stored: the day they count on is their conversion's (a bonus's, the day it was earned),
            // and money to someone other than the converting ambassador is second degree (RewardCounts' recount reads the
            // same). From now on the entry is made with both.
            migrationBuilder.Sql("""
                UPDATE "Ledger" AS l SET "CountsOn" = c."OccurredOn", "SecondDegree" = l."AmbassadorId" <> c."AmbassadorId"
                FROM "Conversions" AS c WHERE c."Id" = l."ConversionId"
                """);
            migrationBuilder.Sql("""
                UPDATE "Ledger" SET "CountsOn" = "EarnedOn" WHERE "ConversionId" IS NULL AND "EarnedOn" IS NOT NULL
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_AmbassadorId_State_AvailableAt_Stats",
                table: "Ledger",
                columns: new[] { "AmbassadorId", "State", "AvailableAt", "CountsOn", "SecondDegree", "Currency", "AmountMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_CampaignId_State_AvailableAt_Stats",
                table: "Ledger",
                columns: new[] { "CampaignId", "State", "AvailableAt", "CountsOn", "SecondDegree", "Currency", "AmountMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_ContentId_State_AvailableAt_Stats",
                table: "Ledger",
                columns: new[] { "ContentId", "State", "AvailableAt", "CountsOn", "SecondDegree", "Currency", "AmountMinor" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Ledger_AmbassadorId_State_AvailableAt_Stats",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_CampaignId_State_AvailableAt_Stats",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_ContentId_State_AvailableAt_Stats",
                table: "Ledger");

            migrationBuilder.DropColumn(
                name: "CountsOn",
                table: "Ledger");

            migrationBuilder.DropColumn(
                name: "SecondDegree",
                table: "Ledger");

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
        }
    }
}
