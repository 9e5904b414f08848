using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EspacePro.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PasswordValidUntilIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Accounts_PasswordValidUntil",
                table: "Accounts",
                column: "PasswordValidUntil");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_PasswordValidUntil",
                table: "Accounts");
        }
    }
}
