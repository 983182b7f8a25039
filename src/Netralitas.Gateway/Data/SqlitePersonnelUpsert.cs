using System.Globalization;
using Microsoft.Data.Sqlite;
using Netralitas.Gateway.Domain.Personnel;
using SQLitePCL;

namespace Netralitas.Gateway.Data;

/// <summary>
/// The import's write on the embedded default: one prepared upsert per row, bound by position on
/// SQLite's own handle. Microsoft.Data.Sqlite binds by name (each row paying a lookup and a copy per
/// parameter), which made a row cost twice as much; this is what brings a million-row export to
/// about 100,000 rows/s (bench/README.md). The upsert changes a row only when a fact differs, so
/// SQLite itself says which rows were inserted, updated or already as given.
/// </summary>
internal static class SqlitePersonnelUpsert
{
    private static readonly string Sql =
        $"INSERT INTO personnel (\"Nip\", {Columns(c => $"\"{c}\"")}, \"Source\", \"UpdatedAt\", \"SyncState\", \"SyncFailures\") " +
        $"VALUES ({string.Join(", ", Enumerable.Range(1, 1 + PersonnelColumns.Facts.Length + 3).Select(i => $"?{i}"))}, 0) " +
        $"ON CONFLICT(\"Nip\") DO UPDATE SET {Columns(c => $"\"{c}\" = excluded.\"{c}\"")}, " +
        "\"Source\" = excluded.\"Source\", \"UpdatedAt\" = excluded.\"UpdatedAt\" " +
        $"WHERE {string.Join(" OR ", PersonnelColumns.Facts.Select(c => $"personnel.\"{c}\" IS NOT excluded.\"{c}\""))}";

    /// <summary>
    /// Settings for a bulk write on this connection, outside a transaction: a page cache that holds
    /// the NIP index (over 100 MB for a national export; with SQLite's default 2 MB nearly every row
    /// would read its index pages again), and fewer, larger WAL checkpoints. Pooled connections
    /// serve the rest of the gateway too, so <see cref="RestoreConnection"/> puts the defaults back.
    /// </summary>
    public static void PrepareConnection(SqliteConnection connection) =>
        Execute(connection, "PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 20000;");

    public static void RestoreConnection(SqliteConnection connection) =>
        Execute(connection, "PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000;");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = sql;
        pragma.ExecuteNonQuery();
    }

    /// <summary>Runs inside the caller's transaction on <paramref name="connection"/>; rows in NIP order write faster.</summary>
    public static UpsertCounts Run(SqliteConnection connection, IReadOnlyList<(string Nip, PersonnelFacts Facts)> batch, DateTime now)
    {
        var handle = connection.Handle!;
        Check(handle, raw.sqlite3_prepare_v2(handle, Sql, out var statement));
        using (statement)
        {
            // The formats EF Core's SQLite provider writes, so that EF reads these rows as its own.
            var updatedAt = now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            var source = PersonnelSource.Import.ToString();
            var state = PersonnelSyncState.NotFetched.ToString();
            int inserted = 0, updated = 0, unchanged = 0;
            var buffer = new byte[4 * PersonnelFacts.MaxTextLength + 16];
            foreach (var (nip, facts) in batch)
            {
                var position = 1;
                Bind(statement, position++, nip, buffer);
                // In PersonnelColumns.Facts order.
                Bind(statement, position++, facts.SiasnId, buffer);
                Bind(statement, position++, facts.Name, buffer);
                Bind(statement, position++, facts.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), buffer);
                Bind(statement, position++, facts.Gender, buffer);
                Bind(statement, position++, facts.EmployeeType, buffer);
                Bind(statement, position++, facts.InstansiIndukId, buffer);
                Bind(statement, position++, facts.InstansiIndukName, buffer);
                Bind(statement, position++, facts.InstansiKerjaId, buffer);
                Bind(statement, position++, facts.InstansiKerjaName, buffer);
                Bind(statement, position++, facts.UnitId, buffer);
                Bind(statement, position++, facts.UnitName, buffer);
                Bind(statement, position++, facts.PositionTitle, buffer);
                Bind(statement, position++, facts.PositionKind, buffer);
                Bind(statement, position++, facts.Rank, buffer);
                Bind(statement, position++, facts.EmploymentStatus, buffer);
                Bind(statement, position++, source, buffer);
                Bind(statement, position++, updatedAt, buffer);
                Bind(statement, position, state, buffer);

                var lastRowId = raw.sqlite3_last_insert_rowid(handle);
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE)
                {
                    Check(handle, step);
                }
                raw.sqlite3_reset(statement);
                if (raw.sqlite3_changes(handle) == 0)
                {
                    unchanged++;
                }
                else if (raw.sqlite3_last_insert_rowid(handle) != lastRowId)
                {
                    inserted++;
                }
                else
                {
                    updated++;
                }
            }
            return new UpsertCounts(inserted, updated, unchanged);
        }
    }

    /// <summary>Binds text as UTF-8 from one reused buffer (SQLite copies it: SQLITE_TRANSIENT), not a new array per value.</summary>
    private static void Bind(sqlite3_stmt statement, int position, string? text, byte[] buffer)
    {
        if (text is null)
        {
            raw.sqlite3_bind_null(statement, position);
            return;
        }
        var length = System.Text.Encoding.UTF8.GetBytes(text, buffer);
        raw.sqlite3_bind_text(statement, position, buffer.AsSpan(0, length));
    }

    private static string Columns(Func<string, string> format) => string.Join(", ", PersonnelColumns.Facts.Select(format));

    private static void Check(sqlite3 handle, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), result);
        }
    }
}
