using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EspacePro.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Activity_Devices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Device",
                table: "Sessions",
                type: "TEXT",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Device",
                table: "AuditEvents",
                type: "TEXT",
                maxLength: 60,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Device",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "Device",
                table: "AuditEvents");
        }
    }
}
