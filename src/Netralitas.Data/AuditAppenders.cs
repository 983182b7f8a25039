using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Netralitas.Domain.Audit;

namespace Netralitas.Data;

/// <summary>The statements of an append, shared by both appenders (parameters @p0, @p1, … in order).</summary>
internal static class AuditSql
{
    // Taking the head row's lock first (a write that changes nothing) makes concurrent appends, from
    // this replica or another, wait for each other here rather than fork the chain: PostgreSQL and
    // SQL Server lock the row until commit, and SQLite takes its write lock at BEGIN IMMEDIATE anyway.
    // The unique sequence (the primary key) would refuse a fork even without it.
    public const string LockHead = "UPDATE audit_chain_head SET \"Sequence\" = \"Sequence\" WHERE \"Id\" = @p0";
    public const string ReadHead = "SELECT \"Sequence\", \"Hash\" FROM audit_chain_head WHERE \"Id\" = @p0";
    public const string MoveHead = "UPDATE audit_chain_head SET \"Sequence\" = @p0, \"Hash\" = @p1 WHERE \"Id\" = @p2";

    public const string InsertEntry =
        "INSERT INTO audit_entries (\"Sequence\", \"Time\", \"CallerId\", \"CallerProof\", \"Method\", \"Status\", \"RequestId\", " +
        "\"Peer\", \"CaseIds\", \"NipCount\", \"NipDigest\", \"Bulk\", \"NipBlobDigest\", \"PreviousHash\", \"Hash\", \"Protocol\") " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15)";
    public const string InsertNip = "INSERT INTO audit_entry_nips (\"EntrySequence\", \"Position\", \"Nip\") VALUES (@p0, @p1, @p2)";
    public const string InsertBulk = "INSERT INTO audit_bulk_nips (\"EntrySequence\", \"Nips\") VALUES (@p0, @p1)";

    public static InvalidOperationException HeadMissing() =>
        new("The audit chain head row (audit_chain_head, Id 1) is missing.");
}

internal static class AuditAppenders
{
    /// <summary>The embedded default gets its own connection and statements; the servers the general ADO.NET appender.</summary>
    public static IAuditAppender Create(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var database = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>().Database;
        return database.IsSqlite()
            ? new SqliteAuditAppender(database.GetConnectionString()!, services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<SqliteAuditAppender>>())
            : new AdoNetAuditAppender(services.GetRequiredService<IServiceScopeFactory>());
    }
}

/// <summary>
/// Appends on PostgreSQL and SQL Server through ADO.NET on a pooled connection of the context
/// (EF Core's change tracking cost more than the rest of an append together). Where the provider
/// batches (Npgsql) the statements go to the server in round trips of up to 1,000; otherwise each
/// statement is prepared once per append and executed per row.
/// </summary>
internal sealed class AdoNetAuditAppender(IServiceScopeFactory scopes) : IAuditAppender
{
    public async Task<Task> AppendAsync(Func<ChainHead, IReadOnlyList<SealedEntry>> seal, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var writer = new StatementWriter(connection, transaction, db.Database.IsSqlServer());
            if (await writer.ExecuteAsync(AuditSql.LockHead, [Int(AuditChainHeadRow.SingleId)], cancellationToken) != 1)
            {
                throw AuditSql.HeadMissing();
            }
            var appended = seal(await ReadHeadAsync(writer, cancellationToken));
            foreach (var entry in appended)
            {
                await InsertAsync(writer, entry, cancellationToken);
            }
            var last = appended[^1].Entry;
            await writer.AddAsync(AuditSql.MoveHead, [Long(last.Sequence), Binary(last.Hash), Int(AuditChainHeadRow.SingleId)], cancellationToken);
            await writer.FlushAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Task.CompletedTask; // the server's commit is durable
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<ChainHead> ReadHeadAsync(StatementWriter writer, CancellationToken cancellationToken)
    {
        await using var reader = await writer.QueryAsync(AuditSql.ReadHead, [Int(AuditChainHeadRow.SingleId)], cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChainHead(reader.GetInt64(0), (byte[])reader.GetValue(1))
            : throw AuditSql.HeadMissing();
    }

    private static async Task InsertAsync(StatementWriter writer, SealedEntry sealedEntry, CancellationToken cancellationToken)
    {
        var e = sealedEntry.Entry;
        await writer.AddAsync(AuditSql.InsertEntry,
        [
            Long(e.Sequence), Time(e.Time), Text(e.CallerId), Text(e.CallerProof), Text(e.Method), Text(e.Status),
            Text(e.RequestId), Text(e.Peer), Text(e.CaseIds), Long(e.NipCount), Binary(e.NipDigest), Bool(e.Bulk),
            Binary(e.NipBlobDigest), Binary(e.PreviousHash), Binary(e.Hash), Text(e.Protocol),
        ], cancellationToken);
        if (sealedEntry.IndexedNips is { } nips)
        {
            for (var position = 0; position < nips.Count; position++)
            {
                await writer.AddAsync(AuditSql.InsertNip, [Long(e.Sequence), Int(position), Text(nips[position])], cancellationToken);
            }
        }
        if (sealedEntry.NipBlob is { } blob)
        {
            await writer.AddAsync(AuditSql.InsertBulk, [Long(e.Sequence), Binary(blob)], cancellationToken);
        }
    }

    private static Value Long(long value) => new(value, DbType.Int64);

    private static Value Int(int value) => new(value, DbType.Int32);

    private static Value Bool(bool value) => new(value, DbType.Boolean);

    private static Value Text(string? value) => new(value, DbType.String);

    private static Value Binary(byte[]? value) => new(value, DbType.Binary);

    private static Value Time(DateTime value) => new(value, DbType.DateTime2);

    /// <summary>A parameter value with its type, so that a NULL still has one (SQL Server will not put an untyped NULL in a binary column).</summary>
    private readonly record struct Value(object? Content, DbType Type)
    {
        public void ApplyTo(DbParameter parameter, bool sqlServer)
        {
            // DbType.DateTime2 is what SQL Server needs to keep 100 ns (its default DateTime
            // parameter rounds to 3 ms); Npgsql would read it as "timestamp without time zone",
            // and a UTC time belongs in timestamptz, which Npgsql picks from the value itself.
            if (Type != DbType.DateTime2 || sqlServer)
            {
                parameter.DbType = Type;
            }
            parameter.Value = Content ?? DBNull.Value;
        }
    }

    /// <summary>Runs the statements of one append, batched where the provider can.</summary>
    private sealed class StatementWriter(DbConnection connection, DbTransaction transaction, bool sqlServer) : IAsyncDisposable
    {
        private const int MaxBatchCommands = 1000;

        private readonly Dictionary<string, DbCommand> _prepared = [];
        private DbBatch? _batch;

        public async Task<int> ExecuteAsync(string sql, Value[] values, CancellationToken cancellationToken)
        {
            await FlushAsync(cancellationToken);
            return await Prepared(sql, values).ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<DbDataReader> QueryAsync(string sql, Value[] values, CancellationToken cancellationToken)
        {
            await FlushAsync(cancellationToken);
            return await Prepared(sql, values).ExecuteReaderAsync(cancellationToken);
        }

        public async Task AddAsync(string sql, Value[] values, CancellationToken cancellationToken)
        {
            if (!connection.CanCreateBatch)
            {
                await Prepared(sql, values).ExecuteNonQueryAsync(cancellationToken);
                return;
            }
            _batch ??= NewBatch();
            var command = _batch.CreateBatchCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                values[i].ApplyTo(parameter, sqlServer);
                command.Parameters.Add(parameter);
            }
            _batch.BatchCommands.Add(command);
            if (_batch.BatchCommands.Count >= MaxBatchCommands)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_batch is null)
            {
                return;
            }
            await using var batch = _batch;
            _batch = null;
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _prepared.Values)
            {
                await command.DisposeAsync();
            }
            if (_batch is not null)
            {
                await _batch.DisposeAsync();
            }
        }

        private DbBatch NewBatch()
        {
            var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            return batch;
        }

        private DbCommand Prepared(string sql, Value[] values)
        {
            if (!_prepared.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                for (var i = 0; i < values.Length; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"@p{i}";
                    command.Parameters.Add(parameter);
                }
                _prepared[sql] = command;
            }
            for (var i = 0; i < values.Length; i++)
            {
                values[i].ApplyTo(command.Parameters[i], sqlServer);
            }
            return command;
        }
    }
}
