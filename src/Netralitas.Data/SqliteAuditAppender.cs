using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using Netralitas.Domain.Audit;
using SQLitePCL;

namespace Netralitas.Data;

/// <summary>
/// Appends on the embedded default, where each batch is a turn at SQLite's single write lock and the
/// audit trail is most of the write traffic. What a turn costs was measured (bench/README.md) and cut:
/// <list type="bullet">
/// <item>Statements: a connection of its own, kept open, its statements prepared once and bound by
/// position on SQLite's handle (Microsoft.Data.Sqlite binds by name and builds a reader per execution,
/// which cost more than the rest of a row).</item>
/// <item>Checkpoints: its commits do not checkpoint; a second connection copies the WAL into the
/// database file every <see cref="CheckpointInterval"/> while the next batches are written, and the
/// writer starts the WAL over between two batches once it is long.</item>
/// <item>The sync: a commit writes its WAL frames without waiting for the disk (synchronous = NORMAL
/// on this connection), and a separate sync of the WAL file, begun after the commit, is what the
/// batch's callers wait for, while the next batch is already being written. So the callers keep
/// SQLite's FULL guarantee (an entry whose RecordAsync returned survives a power loss) and the writer
/// does not wait for the disk; syncs that pile up are merged into one (<see cref="WalSync"/>).</item>
/// </list>
/// After a failure the connection is closed; the next append opens a new one.
/// </summary>
internal sealed partial class SqliteAuditAppender : IAuditAppender, IDisposable
{
    /// <summary>About 32 MB of WAL with 4 KB pages.</summary>
    private const long RestartAfterFrames = 8192;

    /// <summary>
    /// Between passive checkpoints: each copies the pages changed since the last one once, however
    /// often they changed, and syncs the database file, which slows the WAL syncs the callers wait
    /// for. Back to back they cost about a fifth of the throughput on the benchmark machine.
    /// </summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _connectionString;
    private readonly string _writerConnectionString;
    private readonly string _walPath;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private Writer? _writer;
    private Task _checkpoint = Task.CompletedTask;
    private long _lastCheckpointStart;
    private bool _restartDue;
    private long _walFrames;

    public SqliteAuditAppender(string connectionString, TimeProvider clock, ILogger<SqliteAuditAppender> logger)
    {
        _connectionString = connectionString;
        // Not pooled: the connection's settings must not reach the gateway's other work.
        _writerConnectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        _walPath = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource) + "-wal";
        _clock = clock;
        _logger = logger;
    }

    public Task<Task> AppendAsync(Func<ChainHead, IReadOnlyList<SealedEntry>> seal, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var writer = _writer ??= Writer.Open(_writerConnectionString, _walPath);
        Task durable;
        try
        {
            durable = writer.Append(seal);
        }
        catch
        {
            _writer = null;
            writer.Dispose();
            throw;
        }
        Checkpoint(writer.Connection);
        return Task.FromResult(durable);
    }

    public void Dispose()
    {
        _checkpoint.Wait();
        _writer?.Dispose();
    }

    /// <summary>
    /// A passive checkpoint now and then, on a connection of its own, while the next batches are
    /// written. Passive checkpoints beside a writer that never pauses never quite catch up, so the
    /// WAL would grow without end. Once it is long, a passive checkpoint starts at once, and when it
    /// is done the writer itself copies what is left between two batches (only what the last batches
    /// wrote), so that the next batch starts the WAL over.
    /// </summary>
    private void Checkpoint(SqliteConnection writerConnection)
    {
        if (!_checkpoint.IsCompleted)
        {
            return;
        }
        if (_restartDue)
        {
            _restartDue = false;
            Checkpoint(writerConnection, "RESTART");
        }
        else if (Volatile.Read(ref _walFrames) > RestartAfterFrames || _clock.GetElapsedTime(_lastCheckpointStart) >= CheckpointInterval)
        {
            _restartDue = Volatile.Read(ref _walFrames) > RestartAfterFrames;
            _lastCheckpointStart = _clock.GetTimestamp();
            _checkpoint = Task.Run(PassiveCheckpoint);
        }
    }

    private void PassiveCheckpoint()
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            Checkpoint(connection, "PASSIVE");
        }
        catch (SqliteException e)
        {
            LogCheckpointFailed(e, "PASSIVE");
        }
    }

    /// <summary>A failure loses nothing: the pages stay in the WAL for the next checkpoint.</summary>
    private void Checkpoint(SqliteConnection connection, string mode)
    {
        try
        {
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = $"PRAGMA wal_checkpoint({mode});";
            using var result = checkpoint.ExecuteReader();
            result.Read();
            // busy, frames in the WAL, frames copied: a restart that no reader held up starts the WAL over.
            Volatile.Write(ref _walFrames, mode == "RESTART" && result.GetInt64(0) == 0 ? 0 : result.GetInt64(1));
        }
        catch (SqliteException e)
        {
            LogCheckpointFailed(e, mode);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit trail: a {Mode} WAL checkpoint failed; the next one copies those pages")]
    private partial void LogCheckpointFailed(Exception exception, string mode);

    /// <summary>The writer's connection, its prepared statements and its WAL sync.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly sqlite3_stmt _lockHead, _readHead, _moveHead, _insertEntry, _insertNip, _insertBulk;
        private readonly WalSync? _walSync;

        private Writer(SqliteConnection connection, WalSync? walSync)
        {
            Connection = connection;
            _walSync = walSync;
            _lockHead = Prepare(AuditSql.LockHead);
            _readHead = Prepare(AuditSql.ReadHead);
            _moveHead = Prepare(AuditSql.MoveHead);
            _insertEntry = Prepare(AuditSql.InsertEntry);
            _insertNip = Prepare(AuditSql.InsertNip);
            _insertBulk = Prepare(AuditSql.InsertBulk);
        }

        public SqliteConnection Connection { get; }

        private sqlite3 Handle => Connection.Handle!;

        public static Writer Open(string connectionString, string walPath)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                var wal = Pragma(connection, "PRAGMA journal_mode;") is "wal";
                // Outside WAL mode (the gateway sets it at start; anything else is someone's choice)
                // the commit keeps SQLite's own full sync.
                Pragma(connection, wal ? "PRAGMA wal_autocheckpoint = 0; PRAGMA synchronous = NORMAL;" : "PRAGMA wal_autocheckpoint = 0;");
                return new Writer(connection, wal ? new WalSync(walPath) : null);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>Commits the batch; the task completes once the commit is on disk.</summary>
        public Task Append(Func<ChainHead, IReadOnlyList<SealedEntry>> seal)
        {
            using (var transaction = Connection.BeginTransaction()) // BEGIN IMMEDIATE, retried while busy
            {
                Check(raw.sqlite3_bind_int64(_lockHead, 1, AuditChainHeadRow.SingleId));
                Run(_lockHead);
                if (raw.sqlite3_changes(Handle) != 1)
                {
                    throw AuditSql.HeadMissing();
                }
                var appended = seal(ReadHead());
                foreach (var sealedEntry in appended)
                {
                    Insert(sealedEntry);
                }
                var last = appended[^1].Entry;
                Check(raw.sqlite3_bind_int64(_moveHead, 1, last.Sequence));
                Check(raw.sqlite3_bind_blob(_moveHead, 2, last.Hash));
                Check(raw.sqlite3_bind_int64(_moveHead, 3, AuditChainHeadRow.SingleId));
                Run(_moveHead);
                transaction.Commit();
            }
            return _walSync?.AfterCommit() ?? Task.CompletedTask;
        }

        private ChainHead ReadHead()
        {
            Check(raw.sqlite3_bind_int64(_readHead, 1, AuditChainHeadRow.SingleId));
            try
            {
                var step = raw.sqlite3_step(_readHead);
                if (step != raw.SQLITE_ROW)
                {
                    Check(step);
                    throw AuditSql.HeadMissing();
                }
                return new ChainHead(raw.sqlite3_column_int64(_readHead, 0), raw.sqlite3_column_blob(_readHead, 1).ToArray());
            }
            finally
            {
                raw.sqlite3_reset(_readHead);
            }
        }

        private void Insert(SealedEntry sealedEntry)
        {
            var e = sealedEntry.Entry;
            var s = _insertEntry;
            Check(raw.sqlite3_bind_int64(s, 1, e.Sequence));
            // The text form EF Core's SQLite provider writes and compares, so that its queries read these rows as their own.
            Check(raw.sqlite3_bind_text(s, 2, e.Time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)));
            Check(raw.sqlite3_bind_text(s, 3, e.CallerId));
            Check(raw.sqlite3_bind_text(s, 4, e.CallerProof));
            Check(raw.sqlite3_bind_text(s, 5, e.Method));
            Check(raw.sqlite3_bind_text(s, 6, e.Status));
            Check(raw.sqlite3_bind_text(s, 7, e.RequestId));
            Check(e.Peer is null ? raw.sqlite3_bind_null(s, 8) : raw.sqlite3_bind_text(s, 8, e.Peer));
            Check(raw.sqlite3_bind_text(s, 9, e.CaseIds));
            Check(raw.sqlite3_bind_int64(s, 10, e.NipCount));
            Check(raw.sqlite3_bind_blob(s, 11, e.NipDigest));
            Check(raw.sqlite3_bind_int64(s, 12, e.Bulk ? 1 : 0));
            Check(e.NipBlobDigest is null ? raw.sqlite3_bind_null(s, 13) : raw.sqlite3_bind_blob(s, 13, e.NipBlobDigest));
            Check(raw.sqlite3_bind_blob(s, 14, e.PreviousHash));
            Check(raw.sqlite3_bind_blob(s, 15, e.Hash));
            Check(e.Protocol is null ? raw.sqlite3_bind_null(s, 16) : raw.sqlite3_bind_text(s, 16, e.Protocol));
            Run(s);
            if (sealedEntry.IndexedNips is { } nips)
            {
                Check(raw.sqlite3_bind_int64(_insertNip, 1, e.Sequence));
                for (var position = 0; position < nips.Count; position++)
                {
                    Check(raw.sqlite3_bind_int64(_insertNip, 2, position));
                    Check(raw.sqlite3_bind_text(_insertNip, 3, nips[position]));
                    Run(_insertNip);
                }
            }
            if (sealedEntry.NipBlob is { } blob)
            {
                Check(raw.sqlite3_bind_int64(_insertBulk, 1, e.Sequence));
                Check(raw.sqlite3_bind_blob(_insertBulk, 2, blob));
                Run(_insertBulk);
            }
        }

        private void Run(sqlite3_stmt statement)
        {
            var step = raw.sqlite3_step(statement);
            var failure = step == raw.SQLITE_DONE ? null : Failure(step);
            raw.sqlite3_reset(statement);
            if (failure is not null)
            {
                throw failure;
            }
        }

        private sqlite3_stmt Prepare(string sql)
        {
            Check(raw.sqlite3_prepare_v2(Handle, sql, out var statement));
            return statement;
        }

        private void Check(int result)
        {
            if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                throw Failure(result);
            }
        }

        private SqliteException Failure(int result) => new(raw.sqlite3_errmsg(Handle).utf8_to_string(), result);

        private static string? Pragma(SqliteConnection connection, string sql)
        {
            using var pragma = connection.CreateCommand();
            pragma.CommandText = sql;
            return pragma.ExecuteScalar() as string;
        }

        public void Dispose()
        {
            _walSync?.Dispose();
            foreach (var statement in new[] { _lockHead, _readHead, _moveHead, _insertEntry, _insertNip, _insertBulk })
            {
                statement?.Dispose();
            }
            Connection.Dispose();
        }
    }

    /// <summary>
    /// fsyncs of the WAL file, one at a time. A commit needs a sync that begins after it: the one
    /// already waiting behind the running sync if there is one (it will begin after this commit), or a
    /// new one. So however fast commits come, at most one sync runs and one waits. The file stays the
    /// one SQLite writes: it removes the WAL only when its last connection closes, and the writer's
    /// connection, opened before this handle, stays open until after it is closed.
    /// </summary>
    private sealed class WalSync(string walPath) : IDisposable
    {
        private readonly Lock _gate = new();
        private SafeFileHandle? _file;
        private Task _running = Task.CompletedTask;
        private Task? _waiting;

        public Task AfterCommit()
        {
            lock (_gate)
            {
                if (_waiting is not null)
                {
                    return _waiting;
                }
                if (_running.IsCompleted)
                {
                    return _running = Task.Run(Sync);
                }
                return _waiting = _running.ContinueWith(_ =>
                {
                    lock (_gate)
                    {
                        _running = _waiting!;
                        _waiting = null;
                    }
                    Sync();
                }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }

        private void Sync()
        {
            // Opened at the first sync: the WAL file exists once the first commit wrote it. Opened for
            // writing only because .NET flushes to disk only what it may write; nothing is written.
            _file ??= File.OpenHandle(walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(_file);
        }

        public void Dispose()
        {
            Task last;
            lock (_gate)
            {
                last = _waiting ?? _running;
            }
            last.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
            _file?.Dispose();
        }
    }
}
