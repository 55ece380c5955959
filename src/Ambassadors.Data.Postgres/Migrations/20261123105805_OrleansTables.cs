using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OrleansTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Orleans' ADO.NET clustering, grain storage and reminders: tables and OrleansQuery rows, written by us.
            migrationBuilder.Sql(OrleansPostgresSchema.CreateScript);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(OrleansPostgresSchema.DropScript);
        }
    }
}
