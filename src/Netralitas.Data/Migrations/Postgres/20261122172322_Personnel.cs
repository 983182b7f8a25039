using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Netralitas.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Personnel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LeaseToken",
                table: "outbox_messages",
                type: "character varying(36)",
                maxLength: 36,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Receipt",
                table: "outbox_messages",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "personnel",
                columns: table => new
                {
                    Nip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    SiasnId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: true),
                    Gender = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    EmployeeType = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    InstansiIndukId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    InstansiIndukName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    InstansiKerjaId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    InstansiKerjaName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    UnitId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    UnitName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    PositionTitle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    PositionKind = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Rank = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    EmploymentStatus = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SyncState = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SyncedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextSyncAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SyncError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    SyncFailures = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_personnel", x => x.Nip);
                });

            migrationBuilder.CreateIndex(
                name: "IX_personnel_NextSyncAt",
                table: "personnel",
                column: "NextSyncAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "personnel");

            migrationBuilder.DropColumn(
                name: "LeaseToken",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "Receipt",
                table: "outbox_messages");
        }
    }
}
