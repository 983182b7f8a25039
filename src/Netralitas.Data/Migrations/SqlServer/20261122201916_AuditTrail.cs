using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Netralitas.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_bulk_nips",
                columns: table => new
                {
                    EntrySequence = table.Column<long>(type: "bigint", nullable: false),
                    Nips = table.Column<byte[]>(type: "varbinary(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_bulk_nips", x => x.EntrySequence);
                });

            migrationBuilder.CreateTable(
                name: "audit_chain_head",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_head", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Time = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CallerId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CallerProof = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Method = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    RequestId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Peer = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    CaseIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    NipCount = table.Column<long>(type: "bigint", nullable: false),
                    NipDigest = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false),
                    Bulk = table.Column<bool>(type: "bit", nullable: false),
                    NipBlobDigest = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: true),
                    PreviousHash = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false),
                    Hash = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "audit_entry_nips",
                columns: table => new
                {
                    EntrySequence = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<int>(type: "int", nullable: false),
                    Nip = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entry_nips", x => new { x.EntrySequence, x.Position });
                });

            migrationBuilder.InsertData(
                table: "audit_chain_head",
                columns: new[] { "Id", "Hash", "Sequence" },
                values: new object[] { 1, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_CallerId_Sequence",
                table: "audit_entries",
                columns: new[] { "CallerId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_Time",
                table: "audit_entries",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entry_nips_Nip_EntrySequence",
                table: "audit_entry_nips",
                columns: new[] { "Nip", "EntrySequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_bulk_nips");

            migrationBuilder.DropTable(
                name: "audit_chain_head");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "audit_entry_nips");
        }
    }
}
