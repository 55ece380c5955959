using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ambassadors.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConversionRewardNote : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RewardNote",
                table: "Conversions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RewardNote",
                table: "Conversions");
        }
    }
}
