using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Payouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PayoutBatchId",
                table: "Ledger",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorName",
                table: "AuditLog",
                type: "TEXT",
                maxLength: 254,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PayoutBatches",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PeriodEnd = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    MinimumAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Cutoff = table.Column<long>(type: "INTEGER", nullable: false),
                    LineCount = table.Column<int>(type: "INTEGER", nullable: false),
                    RewardCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    ApprovedByName = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    PaidAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PaidBy = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    PaidByName = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    PaymentDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PaymentReference = table.Column<string>(type: "TEXT", maxLength: 140, nullable: true),
                    DiscardedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DiscardedBy = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    DiscardedByName = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    MissingDetails = table.Column<string>(type: "TEXT", nullable: true),
                    Totals = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutBatches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PayoutDetails",
                columns: table => new
                {
                    AmbassadorId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    LegalName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Country = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 2, nullable: false),
                    Iban = table.Column<string>(type: "TEXT", maxLength: 34, nullable: true),
                    Bic = table.Column<string>(type: "TEXT", maxLength: 11, nullable: true),
                    PaypalEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    TaxId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutDetails", x => x.AmbassadorId);
                    table.ForeignKey(
                        name: "FK_PayoutDetails_Ambassadors_AmbassadorId",
                        column: x => x.AmbassadorId,
                        principalTable: "Ambassadors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PayoutLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BatchId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    AmbassadorId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    GrossMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    ClawbacksMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    NetMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    RewardCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PaymentReference = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Payee = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Country = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 2, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Iban = table.Column<string>(type: "TEXT", maxLength: 34, nullable: true),
                    Bic = table.Column<string>(type: "TEXT", maxLength: 11, nullable: true),
                    PaypalEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    TaxId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PayoutLines_PayoutBatches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "PayoutBatches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_PayoutBatchId",
                table: "Ledger",
                column: "PayoutBatchId");

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_State_AvailableAt",
                table: "Ledger",
                columns: new[] { "State", "AvailableAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PayoutBatches_CreatedAt",
                table: "PayoutBatches",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_PayoutLines_BatchId_AmbassadorId_Currency",
                table: "PayoutLines",
                columns: new[] { "BatchId", "AmbassadorId", "Currency" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutLines_BatchId_Number",
                table: "PayoutLines",
                columns: new[] { "BatchId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutLines_PaymentReference",
                table: "PayoutLines",
                column: "PaymentReference",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Ledger_PayoutBatches_PayoutBatchId",
                table: "Ledger",
                column: "PayoutBatchId",
                principalTable: "PayoutBatches",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // The audit log is append-only: the database refuses to change or delete an entry, whoever asks.
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditLog_no_update" BEFORE UPDATE ON "AuditLog"
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditLog_no_delete" BEFORE DELETE ON "AuditLog"
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Ledger_PayoutBatches_PayoutBatchId",
                table: "Ledger");

            migrationBuilder.DropTable(
                name: "PayoutDetails");

            migrationBuilder.DropTable(
                name: "PayoutLines");

            migrationBuilder.DropTable(
                name: "PayoutBatches");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_PayoutBatchId",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_State_AvailableAt",
                table: "Ledger");

            migrationBuilder.DropColumn(
                name: "PayoutBatchId",
                table: "Ledger");

            migrationBuilder.DropColumn(
                name: "ActorName",
                table: "AuditLog");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditLog_no_update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditLog_no_delete";""");

        }
    }
}
