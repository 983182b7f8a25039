using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Netralitas.Domain.Personnel;
using SQLitePCL;

namespace Netralitas.Data;

/// <summary>
/// The import's writer on the embedded default: one prepared upsert, bound by position on SQLite's
/// own handle (Microsoft.Data.Sqlite binds by name: each row paid a lookup and a copy per parameter,
/// which made a row cost twice as much). The upsert changes a row only when a fact differs, so SQLite
/// itself says which rows were inserted, updated or already as given.
///
/// Batches that follow each other without a pause are committed together, up to
/// <see cref="RowsPerCommit"/> rows: in a randomly ordered export every batch touches nearly every
/// page of the NIP index, and each commit writes the pages it touched to the WAL again. The write
/// lock is held for one commit's rows at most (about a second); the gateway's other writers retry
/// meanwhile (Microsoft.Data.Sqlite retries a busy database up to the command timeout, 30 s; measured
/// during a million-row import: FileCase p99 2.0 s, none failed). A sender slower than the database
/// gets a commit per batch, so the lock is never held while the import waits for rows.
/// </summary>
internal sealed partial class SqlitePersonnelImportWriter : IPersonnelImportWriter
{
    public const int RowsPerCommit = 100_000;

    private static readonly string Sql =
        $"INSERT INTO personnel (\"Nip\", {Columns(c => $"\"{c}\"")}, \"Source\", \"UpdatedAt\", \"SyncState\", \"SyncFailures\") " +
        $"VALUES ({string.Join(", ", Enumerable.Range(1, 1 + PersonnelColumns.Facts.Length + 3).Select(i => $"?{i}"))}, 0) " +
        $"ON CONFLICT(\"Nip\") DO UPDATE SET {Columns(c => $"\"{c}\" = excluded.\"{c}\"")}, " +
        "\"Source\" = excluded.\"Source\", \"UpdatedAt\" = excluded.\"UpdatedAt\" " +
        $"WHERE {string.Join(" OR ", PersonnelColumns.Facts.Select(c => $"personnel.\"{c}\" IS NOT excluded.\"{c}\""))}";

    private readonly NetralitasDbContext _db;
    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private sqlite3_stmt _statement = null!;
    private readonly byte[] _buffer = new byte[4 * PersonnelFacts.MaxTextLength + 16];
    private readonly string?[] _bound = new string?[SyncStateParameter + 1];
    private DateOnly? _boundBirthDate;
    private SqliteTransaction? _transaction;
    private int _uncommitted;
    private Task _checkpoint = Task.CompletedTask;

    private SqlitePersonnelImportWriter(NetralitasDbContext db, SqliteConnection connection, ILogger logger)
    {
        _db = db;
        _connection = connection;
        _logger = logger;
    }

    /// <summary>Holds <paramref name="db"/>'s connection open until the writer is disposed.</summary>
    public static async Task<SqlitePersonnelImportWriter> OpenAsync(NetralitasDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var writer = new SqlitePersonnelImportWriter(db, (SqliteConnection)db.Database.GetDbConnection(), logger);
        try
        {
            writer.Prepare();
            return writer;
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    private void Prepare()
    {
        // A page cache that holds the NIP index (over 100 MB for a national export; with SQLite's
        // default 2 MB nearly every row would read its index pages again), and no checkpoints on
        // this connection (see Checkpoint). Pooled connections serve the rest of the gateway too:
        // DisposeAsync puts the defaults back.
        Execute("PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 0;");
        // An upsert that inserts changes the connection's last insert rowid; one that updates does
        // not. The value left by the connection's earlier work could equal the first new rowid, so
        // it is set to -1 first (a rowid no personnel record has) by an insert into a temporary table.
        Execute("CREATE TEMP TABLE IF NOT EXISTS import_rowid_reset (x); INSERT OR REPLACE INTO temp.import_rowid_reset (rowid, x) VALUES (-1, 0);");
        Check(raw.sqlite3_prepare_v2(_connection.Handle!, Sql, out _statement));
    }

    public Task<UpsertCounts> WriteAsync(
        IReadOnlyList<(string Nip, PersonnelFacts Facts)> batch, DateTime now, Func<bool> nextBatchWaiting, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _transaction ??= _connection.BeginTransaction();
        var counts = Upsert(batch, now);
        _uncommitted += batch.Count;
        if (_uncommitted >= RowsPerCommit || !nextBatchWaiting())
        {
            Commit();
        }
        return Task.FromResult(counts);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Commit();
        await _checkpoint;
        // The last commits too: otherwise the gateway's next write would copy them into the database file.
        Checkpoint();
    }

    private void Commit()
    {
        if (_transaction is null)
        {
            return;
        }
        _transaction.Commit();
        _transaction.Dispose();
        _transaction = null;
        _uncommitted = 0;
        if (_checkpoint.IsCompleted)
        {
            _checkpoint = Task.Run(Checkpoint);
        }
    }

    /// <summary>
    /// Copies committed pages from the WAL into the database file, on a connection of its own while
    /// the next rows are written: done by the committing connection (SQLite's automatic checkpoint)
    /// it took about a sixth of the import's time. Passive: it never waits for the gateway's readers.
    /// A failure loses nothing (the pages stay in the WAL for the gateway's next checkpoint), so it
    /// is logged, not thrown.
    /// </summary>
    private void Checkpoint()
    {
        try
        {
            using var connection = new SqliteConnection(_connection.ConnectionString);
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            LogCheckpointFailed(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _checkpoint;
        try
        {
            _transaction?.Dispose(); // rolls back what was not committed
            _statement?.Dispose();
            Execute("PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000;");
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            // The connection may keep the import's settings: it must not go back to the pool. Not
            // thrown, so that it does not hide the failure that ended the import, if any.
            SqliteConnection.ClearPool(_connection);
            LogCleanupFailed(e);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    private void Execute(string sql)
    {
        using var pragma = _connection.CreateCommand();
        pragma.CommandText = sql;
        pragma.ExecuteNonQuery();
    }

    /// <summary>Rows in NIP order write faster.</summary>
    private UpsertCounts Upsert(IReadOnlyList<(string Nip, PersonnelFacts Facts)> batch, DateTime now)
    {
        // The formats EF Core's SQLite provider writes, so that EF reads these rows as its own.
        Bind(SourceParameter, PersonnelSource.Import.ToString());
        Bind(UpdatedAtParameter, now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
        Bind(SyncStateParameter, PersonnelSyncState.NotFetched.ToString());
        var handle = _connection.Handle!;
        int inserted = 0, updated = 0, unchanged = 0;
        foreach (var (nip, facts) in batch)
        {
            // In PersonnelColumns.Facts order.
            Bind(1, nip);
            Bind(2, facts.SiasnId);
            Bind(3, facts.Name);
            BindBirthDate(facts.BirthDate);
            Bind(5, facts.Gender);
            Bind(6, facts.EmployeeType);
            Bind(7, facts.InstansiIndukId);
            Bind(8, facts.InstansiIndukName);
            Bind(9, facts.InstansiKerjaId);
            Bind(10, facts.InstansiKerjaName);
            Bind(11, facts.UnitId);
            Bind(12, facts.UnitName);
            Bind(13, facts.PositionTitle);
            Bind(14, facts.PositionKind);
            Bind(15, facts.Rank);
            Bind(16, facts.EmploymentStatus);

            var lastRowId = raw.sqlite3_last_insert_rowid(handle);
            var step = raw.sqlite3_step(_statement);
            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }
            raw.sqlite3_reset(_statement);
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

    private const int BirthDateParameter = 4, SourceParameter = 17, UpdatedAtParameter = 18, SyncStateParameter = 19;

    /// <summary>
    /// Binds text as UTF-8 from one reused buffer (SQLite copies it), unless the parameter already
    /// holds this very string: a value stays bound across rows, and the export reader hands out one
    /// string per repeated value (instansi, unit, rank, status), so most of a row's values are not
    /// bound again. After prepare every parameter is NULL, as <see cref="_bound"/> starts.
    /// </summary>
    private void Bind(int position, string? text)
    {
        if (ReferenceEquals(_bound[position], text))
        {
            return;
        }
        if (text is null)
        {
            Check(raw.sqlite3_bind_null(_statement, position));
        }
        else
        {
            var length = System.Text.Encoding.UTF8.GetBytes(text, _buffer);
            Check(raw.sqlite3_bind_text(_statement, position, _buffer.AsSpan(0, length)));
        }
        _bound[position] = text;
    }

    /// <summary>The birth date as EF Core's SQLite provider writes a date: yyyy-MM-dd text.</summary>
    private void BindBirthDate(DateOnly? date)
    {
        if (date == _boundBirthDate)
        {
            return;
        }
        if (date is { } value)
        {
            value.TryFormat(_buffer, out var length, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Check(raw.sqlite3_bind_text(_statement, BirthDateParameter, _buffer.AsSpan(0, length)));
        }
        else
        {
            Check(raw.sqlite3_bind_null(_statement, BirthDateParameter));
        }
        _boundBirthDate = date;
    }

    private static string Columns(Func<string, string> format) => string.Join(", ", PersonnelColumns.Facts.Select(format));

    private void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle!).utf8_to_string(), result);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WAL checkpoint during a personnel import failed; the gateway's next checkpoint copies those pages")]
    private partial void LogCheckpointFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not restore the connection after a personnel import; it is discarded from the pool")]
    private partial void LogCleanupFailed(Exception exception);
}
