using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Netralitas.Domain;
using Microsoft.EntityFrameworkCore.Storage;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Personnel;

namespace Netralitas.Data;

/// <summary>The columns of the personnel table that hold <see cref="PersonnelFacts"/>, in one order for every statement.</summary>
internal static class PersonnelColumns
{
    public static readonly string[] Facts =
    [
        nameof(PersonnelFacts.SiasnId), nameof(PersonnelFacts.Name), nameof(PersonnelFacts.BirthDate), nameof(PersonnelFacts.Gender),
        nameof(PersonnelFacts.EmployeeType), nameof(PersonnelFacts.InstansiIndukId), nameof(PersonnelFacts.InstansiIndukName),
        nameof(PersonnelFacts.InstansiKerjaId), nameof(PersonnelFacts.InstansiKerjaName), nameof(PersonnelFacts.UnitId),
        nameof(PersonnelFacts.UnitName), nameof(PersonnelFacts.PositionTitle), nameof(PersonnelFacts.PositionKind),
        nameof(PersonnelFacts.Rank), nameof(PersonnelFacts.EmploymentStatus),
    ];

    public static object?[] Values(PersonnelFacts f) =>
    [
        f.SiasnId, f.Name, f.BirthDate, f.Gender, f.EmployeeType, f.InstansiIndukId, f.InstansiIndukName, f.InstansiKerjaId,
        f.InstansiKerjaName, f.UnitId, f.UnitName, f.PositionTitle, f.PositionKind, f.Rank, f.EmploymentStatus,
    ];

    public static PersonnelFacts Read(DbDataReader r, int first) => new()
    {
        SiasnId = Text(r, first), Name = Text(r, first + 1),
        BirthDate = r.IsDBNull(first + 2) ? null : r.GetFieldValue<DateOnly>(first + 2),
        Gender = Text(r, first + 3), EmployeeType = Text(r, first + 4), InstansiIndukId = Text(r, first + 5),
        InstansiIndukName = Text(r, first + 6), InstansiKerjaId = Text(r, first + 7), InstansiKerjaName = Text(r, first + 8),
        UnitId = Text(r, first + 9), UnitName = Text(r, first + 10), PositionTitle = Text(r, first + 11),
        PositionKind = Text(r, first + 12), Rank = Text(r, first + 13), EmploymentStatus = Text(r, first + 14),
    };

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}

/// <summary>
/// EF Core reads and writes of personnel records. The import writes with plain parameterised
/// statements on EF's connection (multi-row INSERTs and a prepared UPDATE per batch, portable across
/// the three providers; SQLite has its own writer): change tracking would cost more than the rows themselves.
/// </summary>
public sealed class PersonnelStore(NetralitasDbContext db, ILogger<PersonnelStore> logger) : IPersonnelStore
{
    public Task<PersonnelRecord?> FindAsync(string nip, CancellationToken cancellationToken) =>
        db.Personnel.AsNoTracking().SingleOrDefaultAsync(p => p.Nip == nip, cancellationToken);

    public async Task<IPersonnelImportWriter> BeginImportAsync(CancellationToken cancellationToken) =>
        db.Database.IsSqlite() ? await SqlitePersonnelImportWriter.OpenAsync(db, logger, cancellationToken) : new BatchImportWriter(this);

    /// <summary>The portable writer: each batch in its own transaction.</summary>
    private sealed class BatchImportWriter(PersonnelStore store) : IPersonnelImportWriter
    {
        public Task<UpsertCounts> WriteAsync(
            IReadOnlyList<(string Nip, PersonnelFacts Facts)> batch, DateTime now, Func<bool> nextBatchWaiting, CancellationToken cancellationToken) =>
            store.ImportBatchAsync(batch, now, cancellationToken);

        public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private async Task<UpsertCounts> ImportBatchAsync(
        IReadOnlyList<(string Nip, PersonnelFacts Facts)> batch, DateTime now, CancellationToken cancellationToken)
    {
        // A concurrent lookup may insert one of these NIPs between the read and the insert: the
        // batch is rolled back and read again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ImportOnceAsync(batch, now, cancellationToken);
            }
            catch (DbException) when (attempt < 3 && !cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task<UpsertCounts> ImportOnceAsync(
        IReadOnlyList<(string Nip, PersonnelFacts Facts)> batch, DateTime now, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var dbTransaction = transaction.GetDbTransaction();
            var existing = await ReadFactsAsync(batch, dbTransaction, cancellationToken);

            var inserts = new List<(string Nip, PersonnelFacts Facts)>();
            await using var update = Command(dbTransaction, Update, 1 + PersonnelColumns.Facts.Length + 2);
            int updated = 0, unchanged = 0;
            foreach (var (nip, facts) in batch)
            {
                if (!existing.TryGetValue(nip, out var current))
                {
                    inserts.Add((nip, facts));
                }
                else if (current != facts)
                {
                    Bind(update, 0, nip, facts, PersonnelSource.Import.ToString(), now);
                    await update.ExecuteNonQueryAsync(cancellationToken);
                    updated++;
                }
                else
                {
                    unchanged++;
                }
            }
            await InsertAsync(inserts, now, dbTransaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new UpsertCounts(inserts.Count, updated, unchanged);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // Rows per statement: multi-row statements save most of the per-statement cost, and 1,000
    // parameters stay under every provider's limit (SQL Server's is 2,100).
    private const int RowsPerInsert = 10;
    private const int NipsPerSelect = 100;
    private const int InsertColumns = 1 + 15 + 3; // Nip, the facts, Source, UpdatedAt, SyncState

    private async Task InsertAsync(List<(string Nip, PersonnelFacts Facts)> rows, DateTime now, DbTransaction transaction, CancellationToken cancellationToken)
    {
        DbCommand? full = null;
        try
        {
            for (var offset = 0; offset < rows.Count; offset += RowsPerInsert)
            {
                var count = Math.Min(RowsPerInsert, rows.Count - offset);
                var command = count == RowsPerInsert
                    ? full ??= Command(transaction, InsertSql(RowsPerInsert), RowsPerInsert * InsertColumns)
                    : Command(transaction, InsertSql(count), count * InsertColumns);
                for (var i = 0; i < count; i++)
                {
                    var (nip, facts) = rows[offset + i];
                    Bind(command, i * InsertColumns, nip, facts, PersonnelSource.Import.ToString(), now, PersonnelSyncState.NotFetched.ToString());
                }
                await command.ExecuteNonQueryAsync(cancellationToken);
                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    /// <summary>The facts stored for the batch's NIPs (null facts, i.e. "not in SIASN" rows, compare as different).</summary>
    private async Task<Dictionary<string, PersonnelFacts?>> ReadFactsAsync(
        IReadOnlyList<(string Nip, PersonnelFacts Facts)> batch, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, PersonnelFacts?>(batch.Count);
        for (var offset = 0; offset < batch.Count; offset += NipsPerSelect)
        {
            var count = Math.Min(NipsPerSelect, batch.Count - offset);
            await using var select = Command(transaction,
                $"SELECT \"Nip\", {Quoted(PersonnelColumns.Facts)} FROM personnel WHERE \"Nip\" IN ({Placeholders(0, count)})", count);
            for (var i = 0; i < count; i++)
            {
                select.Parameters[i].Value = batch[offset + i].Nip;
            }
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = reader.IsDBNull(2) ? null : PersonnelColumns.Read(reader, 1);
            }
        }
        return found;
    }

    private static string InsertSql(int rows) =>
        $"INSERT INTO personnel (\"Nip\", {Quoted(PersonnelColumns.Facts)}, \"Source\", \"UpdatedAt\", \"SyncState\", \"SyncFailures\") VALUES " +
        string.Join(", ", Enumerable.Range(0, rows).Select(r => $"({Placeholders(r * InsertColumns, InsertColumns)}, 0)"));

    private static readonly string Update =
        $"UPDATE personnel SET {string.Join(", ", PersonnelColumns.Facts.Select((c, i) => $"\"{c}\" = @p{i + 1}"))}, " +
        $"\"Source\" = @p{PersonnelColumns.Facts.Length + 1}, \"UpdatedAt\" = @p{PersonnelColumns.Facts.Length + 2} WHERE \"Nip\" = @p0";

    private DbCommand Command(DbTransaction transaction, string sql, int parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>Sets the parameters from <paramref name="first"/> on: the NIP, the facts, then <paramref name="rest"/>.</summary>
    private static void Bind(DbCommand command, int first, string nip, PersonnelFacts facts, params object[] rest)
    {
        command.Parameters[first].Value = nip;
        var values = PersonnelColumns.Values(facts);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[first + 1 + i].Value = values[i] ?? DBNull.Value;
        }
        for (var i = 0; i < rest.Length; i++)
        {
            command.Parameters[first + values.Length + 1 + i].Value = rest[i];
        }
    }

    private static string Quoted(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));

    private static string Placeholders(int first, int count) => string.Join(", ", Enumerable.Range(first, count).Select(i => $"@p{i}"));

    public async Task SaveLookupAsync(string nip, PersonnelFacts? facts, DateTime now, DateTime nextSyncAt, CancellationToken cancellationToken) =>
        await UpsertTrackedAsync(nip, record =>
        {
            if (facts is not null || record.Source != PersonnelSource.Import)
            {
                // An imported record stays when SIASN no longer knows the NIP: the state says so.
                record.Facts = facts ?? record.Facts;
            }
            if (facts is not null)
            {
                record.Source = PersonnelSource.Siasn;
            }
            record.SyncState = facts is null ? PersonnelSyncState.NotInSiasn : PersonnelSyncState.Synced;
            record.SyncedAt = now;
            record.NextSyncAt = nextSyncAt;
            record.SyncError = null;
            record.SyncFailures = 0;
            record.UpdatedAt = now;
        }, cancellationToken);

    public async Task SaveLookupFailureAsync(string nip, string error, DateTime now, Func<int, DateTime> retryAt, CancellationToken cancellationToken) =>
        await UpsertTrackedAsync(nip, record =>
        {
            record.SyncFailures++;
            record.SyncState = PersonnelSyncState.Failed;
            record.SyncError = error.Length <= 2000 ? error : error[..2000];
            record.NextSyncAt = retryAt(record.SyncFailures);
            record.UpdatedAt = now;
        }, cancellationToken);

    /// <summary>Creates or changes one record; a concurrent insert of the same NIP (another replica) makes it read and apply again.</summary>
    private async Task UpsertTrackedAsync(string nip, Action<PersonnelRecord> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var record = await db.Personnel.SingleOrDefaultAsync(p => p.Nip == nip, cancellationToken);
            if (record is null)
            {
                record = new PersonnelRecord { Nip = nip };
                db.Personnel.Add(record);
            }
            change(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<IReadOnlyList<string>> DueForSyncAsync(DateTime now, int limit, CancellationToken cancellationToken) =>
        await DueForSync(now).OrderBy(n => n).Take(limit).ToListAsync(cancellationToken);

    public Task<int> CountDueForSyncAsync(DateTime now, CancellationToken cancellationToken) =>
        DueForSync(now).CountAsync(cancellationToken);

    private IQueryable<string> DueForSync(DateTime now)
    {
        var openNips = db.Cases
            .Where(c => c.Status == CaseStatus.UnderExamination || c.Status == CaseStatus.Proven)
            .Select(c => c.Nip)
            .Distinct();
        var due = from nip in openNips
                  join p in db.Personnel on nip equals p.Nip into records
                  from p in records.DefaultIfEmpty()
                  where p == null || p.NextSyncAt == null || p.NextSyncAt <= now
                  select nip;
        return due;
    }

    public async Task<IReadOnlyList<OutboxMessage>> BlockCommandsAsync(string nip, CancellationToken cancellationToken) =>
        await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Nip == nip && (m.Kind == OutboxKind.Block || m.Kind == OutboxKind.Release))
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
}
