using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Netralitas.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Statistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "FiledOn",
                table: "cases",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            // Cases filed before this migration: their filing date from their creation time, in the
            // default business time zone (Asia/Jakarta, UTC+7; a gateway configured for another zone
            // counts these older filings by Jakarta's date).
            migrationBuilder.Sql("UPDATE \"cases\" SET \"FiledOn\" = (\"CreatedAt\" AT TIME ZONE 'Asia/Jakarta')::date;");

            migrationBuilder.CreateTable(
                name: "case_facts",
                columns: table => new
                {
                    CaseId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    Nip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    ElectionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ProvinceCode = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    InstansiCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    InstansiName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ViolationCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    PositionKind = table.Column<int>(type: "integer", nullable: false),
                    Period = table.Column<int>(type: "integer", nullable: false),
                    AgeBand = table.Column<int>(type: "integer", nullable: false),
                    ActDay = table.Column<int>(type: "integer", nullable: false),
                    FiledDay = table.Column<int>(type: "integer", nullable: false),
                    DecidedDay = table.Column<int>(type: "integer", nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    PpkInstansiCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RecommendedDay = table.Column<int>(type: "integer", nullable: true),
                    DueDay = table.Column<int>(type: "integer", nullable: true),
                    FollowUp = table.Column<int>(type: "integer", nullable: false),
                    Escalation = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_facts", x => x.CaseId);
                    table.ForeignKey(
                        name: "FK_case_facts_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "integrity_pacts",
                columns: table => new
                {
                    InstansiCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ElectionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SignedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    DocumentReference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SignatoryCount = table.Column<int>(type: "integer", nullable: false),
                    AsnCount = table.Column<int>(type: "integer", nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_integrity_pacts", x => new { x.InstansiCode, x.ElectionId });
                });

            migrationBuilder.CreateTable(
                name: "supervision_teams",
                columns: table => new
                {
                    InstansiCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ElectionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DecreeNumber = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DecreeDate = table.Column<DateOnly>(type: "date", nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_supervision_teams", x => new { x.InstansiCode, x.ElectionId });
                });

            migrationBuilder.CreateTable(
                name: "supervision_team_members",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Nip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ElectionId = table.Column<string>(type: "character varying(64)", nullable: false),
                    InstansiCode = table.Column<string>(type: "character varying(64)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_supervision_team_members", x => x.Id);
                    table.ForeignKey(
                        name: "FK_supervision_team_members_supervision_teams_InstansiCode_Ele~",
                        columns: x => new { x.InstansiCode, x.ElectionId },
                        principalTable: "supervision_teams",
                        principalColumns: new[] { "InstansiCode", "ElectionId" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_facts_Nip",
                table: "case_facts",
                column: "Nip");

            migrationBuilder.CreateIndex(
                name: "IX_integrity_pacts_ElectionId",
                table: "integrity_pacts",
                column: "ElectionId");

            migrationBuilder.CreateIndex(
                name: "IX_supervision_team_members_InstansiCode_ElectionId",
                table: "supervision_team_members",
                columns: new[] { "InstansiCode", "ElectionId" });

            migrationBuilder.CreateIndex(
                name: "IX_supervision_teams_ElectionId",
                table: "supervision_teams",
                column: "ElectionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_facts");

            migrationBuilder.DropTable(
                name: "integrity_pacts");

            migrationBuilder.DropTable(
                name: "supervision_team_members");

            migrationBuilder.DropTable(
                name: "supervision_teams");

            migrationBuilder.DropColumn(
                name: "FiledOn",
                table: "cases");
        }
    }
}
