using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Netralitas.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkingDayCalendar : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DueOnCalendarRevision",
                table: "recommendations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "DueOnProvisional",
                table: "recommendations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "DueOnProvisional",
                table: "follow_up_events",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "calendar_year_revisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Digest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    StoredAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_calendar_year_revisions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_calendar_year_revisions_Year_Digest",
                table: "calendar_year_revisions",
                columns: new[] { "Year", "Digest" });

            migrationBuilder.CreateIndex(
                name: "IX_calendar_year_revisions_Year_Version",
                table: "calendar_year_revisions",
                columns: new[] { "Year", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "calendar_year_revisions");

            migrationBuilder.DropColumn(
                name: "DueOnCalendarRevision",
                table: "recommendations");

            migrationBuilder.DropColumn(
                name: "DueOnProvisional",
                table: "recommendations");

            migrationBuilder.DropColumn(
                name: "DueOnProvisional",
                table: "follow_up_events");
        }
    }
}
