using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Missions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "ConversionId",
                table: "Ledger",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<DateOnly>(
                name: "EarnedOn",
                table: "Ledger",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SubmissionId",
                table: "Ledger",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EmbargoUntil",
                table: "Content",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UpdatedAt",
                table: "Content",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Feedback",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CampaignId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ContentId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    AmbassadorId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Rating = table.Column<int>(type: "integer", nullable: false),
                    Comment = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Feedback", x => x.Id);
                    table.CheckConstraint("CK_Feedback_Rating", "\"Rating\" BETWEEN 1 AND 5");
                    table.ForeignKey(
                        name: "FK_Feedback_Ambassadors_AmbassadorId",
                        column: x => x.AmbassadorId,
                        principalTable: "Ambassadors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Feedback_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Feedback_Content_ContentId",
                        column: x => x.ContentId,
                        principalTable: "Content",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Missions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CampaignId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Brief = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    BonusMinor = table.Column<long>(type: "bigint", nullable: true),
                    Currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Missions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Missions_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MissionSubmissions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MissionId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CampaignId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AmbassadorId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ProofUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Note = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReviewedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RejectionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MissionSubmissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MissionSubmissions_Ambassadors_AmbassadorId",
                        column: x => x.AmbassadorId,
                        principalTable: "Ambassadors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MissionSubmissions_Missions_MissionId",
                        column: x => x.MissionId,
                        principalTable: "Missions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_SubmissionId",
                table: "Ledger",
                column: "SubmissionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_AmbassadorId_CampaignId",
                table: "Feedback",
                columns: new[] { "AmbassadorId", "CampaignId" });

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_CampaignId_CreatedAt",
                table: "Feedback",
                columns: new[] { "CampaignId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_ContentId_CreatedAt",
                table: "Feedback",
                columns: new[] { "ContentId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Missions_CampaignId_StartsOn",
                table: "Missions",
                columns: new[] { "CampaignId", "StartsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_MissionSubmissions_AmbassadorId_MissionId",
                table: "MissionSubmissions",
                columns: new[] { "AmbassadorId", "MissionId" });

            migrationBuilder.CreateIndex(
                name: "IX_MissionSubmissions_MissionId_AmbassadorId",
                table: "MissionSubmissions",
                columns: new[] { "MissionId", "AmbassadorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MissionSubmissions_MissionId_Status_SubmittedAt",
                table: "MissionSubmissions",
                columns: new[] { "MissionId", "Status", "SubmittedAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_Ledger_MissionSubmissions_SubmissionId",
                table: "Ledger",
                column: "SubmissionId",
                principalTable: "MissionSubmissions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Ledger_MissionSubmissions_SubmissionId",
                table: "Ledger");

            migrationBuilder.DropTable(
                name: "Feedback");

            migrationBuilder.DropTable(
                name: "MissionSubmissions");

            migrationBuilder.DropTable(
                name: "Missions");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_SubmissionId",
                table: "Ledger");

            migrationBuilder.DropColumn(
                name: "EarnedOn",
                table: "Ledger");

            migrationBuilder.DropColumn(
                name: "SubmissionId",
                table: "Ledger");

            migrationBuilder.DropColumn(
                name: "EmbargoUntil",
                table: "Content");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "Content");

            migrationBuilder.AlterColumn<string>(
                name: "ConversionId",
                table: "Ledger",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(40)",
                oldMaxLength: 40,
                oldNullable: true);
        }
    }
}
