using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Netralitas.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Escalation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "BlockedAt",
                table: "recommendations",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "DueSoonNoticed",
                table: "recommendations",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "EscalationStage",
                table: "recommendations",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "NotEscalated");

            migrationBuilder.AddColumn<DateOnly>(
                name: "LastEscalatedOn",
                table: "recommendations",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OverdueNoticed",
                table: "recommendations",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "enforcement_actions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    RecommendationId = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    CaseId = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    Nip = table.Column<string>(type: "nvarchar(18)", maxLength: 18, nullable: false),
                    PpkInstansiCode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    PpkInstansiName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    BusinessDate = table.Column<DateOnly>(type: "date", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    OutboxMessageId = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: true),
                    Detail = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enforcement_actions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_enforcement_actions_recommendations_RecommendationId",
                        column: x => x.RecommendationId,
                        principalTable: "recommendations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "follow_up_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    RecommendationId = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    CaseId = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    Nip = table.Column<string>(type: "nvarchar(18)", maxLength: 18, nullable: false),
                    PpkInstansiCode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    BusinessDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Detail = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    EscalationStage = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_follow_up_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_follow_up_events_recommendations_RecommendationId",
                        column: x => x.RecommendationId,
                        principalTable: "recommendations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Nip = table.Column<string>(type: "nvarchar(18)", maxLength: 18, nullable: false),
                    RecommendationId = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    EnforcementActionId = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: true),
                    IdempotencyKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    PayloadJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DeliveredAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_outbox_messages_recommendations_RecommendationId",
                        column: x => x.RecommendationId,
                        principalTable: "recommendations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_recommendations_Nip_EscalationStage",
                table: "recommendations",
                columns: new[] { "Nip", "EscalationStage" });

            migrationBuilder.CreateIndex(
                name: "IX_enforcement_actions_Nip_Id",
                table: "enforcement_actions",
                columns: new[] { "Nip", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_enforcement_actions_PpkInstansiCode_Id",
                table: "enforcement_actions",
                columns: new[] { "PpkInstansiCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_enforcement_actions_RecommendationId_Kind",
                table: "enforcement_actions",
                columns: new[] { "RecommendationId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_follow_up_events_OccurredAt",
                table: "follow_up_events",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_follow_up_events_RecommendationId_Id",
                table: "follow_up_events",
                columns: new[] { "RecommendationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_IdempotencyKey",
                table: "outbox_messages",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_Nip_Id",
                table: "outbox_messages",
                columns: new[] { "Nip", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_RecommendationId",
                table: "outbox_messages",
                column: "RecommendationId");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_State_NextAttemptAt",
                table: "outbox_messages",
                columns: new[] { "State", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "enforcement_actions");

            migrationBuilder.DropTable(
                name: "follow_up_events");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "IX_recommendations_Nip_EscalationStage",
                table: "recommendations");

            migrationBuilder.DropColumn(
                name: "BlockedAt",
                table: "recommendations");

            migrationBuilder.DropColumn(
                name: "DueSoonNoticed",
                table: "recommendations");

            migrationBuilder.DropColumn(
                name: "EscalationStage",
                table: "recommendations");

            migrationBuilder.DropColumn(
                name: "LastEscalatedOn",
                table: "recommendations");

            migrationBuilder.DropColumn(
                name: "OverdueNoticed",
                table: "recommendations");
        }
    }
}
