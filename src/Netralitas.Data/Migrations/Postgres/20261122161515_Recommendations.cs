using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Netralitas.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Recommendations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "recommendations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    CaseId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    Nip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    AuthorityCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    LetterNumber = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    PpkInstansiCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PpkInstansiName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SanctionLevel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SanctionForm = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    IssueRequestId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    IssueRequestFingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recommendations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recommendations_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "recommendation_follow_ups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DecreeNumber = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DecreeDate = table.Column<DateOnly>(type: "date", nullable: false),
                    ImposedLevel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ImposedForm = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Compliant = table.Column<bool>(type: "boolean", nullable: false),
                    Late = table.Column<bool>(type: "boolean", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RequestId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    RequestFingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RecommendationId = table.Column<string>(type: "character varying(36)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recommendation_follow_ups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recommendation_follow_ups_recommendations_RecommendationId",
                        column: x => x.RecommendationId,
                        principalTable: "recommendations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_recommendation_follow_ups_RecommendationId",
                table: "recommendation_follow_ups",
                column: "RecommendationId");

            migrationBuilder.CreateIndex(
                name: "IX_recommendation_follow_ups_RequestId",
                table: "recommendation_follow_ups",
                column: "RequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recommendations_CaseId_Id",
                table: "recommendations",
                columns: new[] { "CaseId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_recommendations_IssueRequestId",
                table: "recommendations",
                column: "IssueRequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recommendations_PpkInstansiCode_Id",
                table: "recommendations",
                columns: new[] { "PpkInstansiCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_recommendations_Status_DueOn",
                table: "recommendations",
                columns: new[] { "Status", "DueOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "recommendation_follow_ups");

            migrationBuilder.DropTable(
                name: "recommendations");
        }
    }
}
