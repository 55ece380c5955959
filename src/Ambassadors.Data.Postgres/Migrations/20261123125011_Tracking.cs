using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Ambassadors.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Tracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReferredBy",
                table: "Memberships",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "RewardSecondDegreePercent",
                table: "Campaigns",
                type: "numeric(9,4)",
                precision: 9,
                scale: 4,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Clicks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AmbassadorId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CampaignId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ContentId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    VisitorId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IsBot = table.Column<bool>(type: "boolean", nullable: false),
                    Flagged = table.Column<bool>(type: "boolean", nullable: false),
                    AddressHash = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Clicks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Conversions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: true),
                    Currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AmbassadorId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CampaignId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ContentId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ClickId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ReferralCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AttributedBy = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReversedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReversalReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Conversions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Conversions_Ambassadors_AmbassadorId",
                        column: x => x.AmbassadorId,
                        principalTable: "Ambassadors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Conversions_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Ledger",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConversionId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AmbassadorId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CampaignId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ContentId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AvailableAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PaidAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    VoidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReversesEntryId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Ledger", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Ledger_Conversions_ConversionId",
                        column: x => x.ConversionId,
                        principalTable: "Conversions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Clicks_At",
                table: "Clicks",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_AmbassadorId_OccurredOn",
                table: "Conversions",
                columns: new[] { "AmbassadorId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_CampaignId_OccurredOn",
                table: "Conversions",
                columns: new[] { "CampaignId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_ContentId_OccurredOn",
                table: "Conversions",
                columns: new[] { "ContentId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_ExternalId",
                table: "Conversions",
                column: "ExternalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_AmbassadorId_State",
                table: "Ledger",
                columns: new[] { "AmbassadorId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_CampaignId",
                table: "Ledger",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_ConversionId_Kind_AmbassadorId",
                table: "Ledger",
                columns: new[] { "ConversionId", "Kind", "AmbassadorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_ReversesEntryId",
                table: "Ledger",
                column: "ReversesEntryId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Clicks");

            migrationBuilder.DropTable(
                name: "Ledger");

            migrationBuilder.DropTable(
                name: "Conversions");

            migrationBuilder.DropColumn(
                name: "ReferredBy",
                table: "Memberships");

            migrationBuilder.DropColumn(
                name: "RewardSecondDegreePercent",
                table: "Campaigns");
        }
    }
}
