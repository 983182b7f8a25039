using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Netralitas.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "case_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Nip = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Nip = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    ReportedName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    InstansiCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstansiName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PositionKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PositionTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ElectionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ViolationCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ActDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ProvinceCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Regency = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SourceReference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    EvidenceReferences = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Track = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CatalogSanction = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DecisionOutcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DecisionReference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DecidedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    DecisionRecordedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    FileRequestId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    FileRequestFingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_changes_ChangedAt",
                table: "case_changes",
                column: "ChangedAt");

            migrationBuilder.CreateIndex(
                name: "IX_cases_FileRequestId",
                table: "cases",
                column: "FileRequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_InstansiCode_Id",
                table: "cases",
                columns: new[] { "InstansiCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_Nip_Status",
                table: "cases",
                columns: new[] { "Nip", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_ProvinceCode_Id",
                table: "cases",
                columns: new[] { "ProvinceCode", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_changes");

            migrationBuilder.DropTable(
                name: "cases");
        }
    }
}
