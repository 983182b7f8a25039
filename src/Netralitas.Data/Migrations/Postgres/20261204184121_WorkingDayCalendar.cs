using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Netralitas.Data.Migrations.Postgres
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "DueOnProvisional",
                table: "recommendations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "DueOnProvisional",
                table: "follow_up_events",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "calendar_year_revisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Digest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    Origin = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    StoredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
