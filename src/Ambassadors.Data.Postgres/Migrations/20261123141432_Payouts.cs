using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Ambassadors.Data.Postgres.Migrations
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
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorName",
                table: "AuditLog",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PayoutBatches",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    PeriodEnd = table.Column<DateOnly>(type: "date", nullable: false),
                    MinimumAmount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    Cutoff = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LineCount = table.Column<int>(type: "integer", nullable: false),
                    RewardCount = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ApprovedBy = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    ApprovedByName = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    PaidAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PaidBy = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    PaidByName = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    PaymentDate = table.Column<DateOnly>(type: "date", nullable: true),
                    PaymentReference = table.Column<string>(type: "character varying(140)", maxLength: 140, nullable: true),
                    DiscardedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DiscardedBy = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    DiscardedByName = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    MissingDetails = table.Column<string>(type: "jsonb", nullable: true),
                    Totals = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutBatches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PayoutDetails",
                columns: table => new
                {
                    AmbassadorId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    LegalName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    Iban = table.Column<string>(type: "character varying(34)", maxLength: 34, nullable: true),
                    Bic = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: true),
                    PaypalEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    TaxId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BatchId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    AmbassadorId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    GrossMinor = table.Column<long>(type: "bigint", nullable: false),
                    ClawbacksMinor = table.Column<long>(type: "bigint", nullable: false),
                    NetMinor = table.Column<long>(type: "bigint", nullable: false),
                    RewardCount = table.Column<int>(type: "integer", nullable: false),
                    PaymentReference = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Payee = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    Method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Iban = table.Column<string>(type: "character varying(34)", maxLength: 34, nullable: true),
                    Bic = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: true),
                    PaypalEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    TaxId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true)
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
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog"
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
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
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditLog_append_only" ON "AuditLog";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditLog_no_truncate" ON "AuditLog";""");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS audit_log_append_only();");

        }
    }
}
