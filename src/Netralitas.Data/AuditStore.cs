using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Netralitas.Domain.Audit;

namespace Netralitas.Data;

/// <summary>
/// Reads the audit trail's tables (appends: <see cref="AuditAppenders"/>): EF Core queries, except
/// the bulk blobs, which verification hashes as streams.
/// </summary>
internal sealed class AuditStore(NetralitasDbContext db) : IAuditStore
{
    private const string BulkBlobsSql =
        "SELECT \"EntrySequence\", \"Nips\" FROM audit_bulk_nips WHERE \"EntrySequence\" > @p0 AND \"EntrySequence\" <= @p1 ORDER BY \"EntrySequence\"";

    public async Task<ChainHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = await db.AuditChainHead.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditChainHeadRow.SingleId, cancellationToken)
            ?? throw AuditSql.HeadMissing();
        return new ChainHead(head.Sequence, head.Hash);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditFilter filter, long after, long before, int limit, CancellationToken cancellationToken)
    {
        var entries = Filtered(filter).Where(e => e.Sequence > after && e.Sequence < before);
        if (filter.Nip is { } nip)
        {
            var withNip = db.AuditEntryNips.Where(n => n.Nip == nip && n.EntrySequence > after).Select(n => n.EntrySequence);
            entries = entries.Where(e => withNip.Contains(e.Sequence));
        }
        return await entries.OrderBy(e => e.Sequence).Take(limit).ToListAsync(cancellationToken);
    }

    public async IAsyncEnumerable<(long Sequence, byte[] Nips)> ReadBulkNipsAsync(
        long after, long before, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var blobs = db.AuditBulkNips.AsNoTracking()
            .Where(b => b.EntrySequence > after && b.EntrySequence < before)
            .OrderBy(b => b.EntrySequence);
        await foreach (var blob in blobs.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return (blob.EntrySequence, blob.Nips);
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAsync(IReadOnlyCollection<long> sequences, AuditFilter filter, CancellationToken cancellationToken) =>
        sequences.Count == 0
            ? []
            : await Filtered(filter).Where(e => sequences.Contains(e.Sequence)).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> ReadIndexedNipsAsync(
        IReadOnlyCollection<long> sequences, CancellationToken cancellationToken) =>
        sequences.Count == 0
            ? new Dictionary<long, IReadOnlyList<string>>()
            : Grouped(await db.AuditEntryNips.AsNoTracking().Where(n => sequences.Contains(n.EntrySequence))
                .OrderBy(n => n.EntrySequence).ThenBy(n => n.Position).ToListAsync(cancellationToken));

    public async Task<IReadOnlyList<AuditEntry>> ReadRangeAsync(long after, long through, int limit, CancellationToken cancellationToken) =>
        await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > after && e.Sequence <= through)
            .OrderBy(e => e.Sequence).Take(limit).ToListAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> ReadIndexedNipsAsync(
        long after, long through, CancellationToken cancellationToken) =>
        Grouped(await db.AuditEntryNips.AsNoTracking().Where(n => n.EntrySequence > after && n.EntrySequence <= through)
            .OrderBy(n => n.EntrySequence).ThenBy(n => n.Position).ToListAsync(cancellationToken));

    public async Task<IReadOnlyDictionary<long, byte[]>> DigestBulkNipsAsync(long after, long through, CancellationToken cancellationToken)
    {
        var digests = new Dictionary<long, byte[]>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = BulkBlobsSql;
            long[] range = [after, through];
            for (var i = 0; i < range.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                parameter.DbType = DbType.Int64;
                parameter.Value = range[i];
                command.Parameters.Add(parameter);
            }
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var sequence = reader.GetInt64(0);
                if (await reader.IsDBNullAsync(1, cancellationToken))
                {
                    continue;
                }
                await using var blob = reader.GetStream(1);
                digests[sequence] = await SHA256.HashDataAsync(blob, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return digests;
    }

    public async Task<byte[]?> FindHashAsync(long sequence, CancellationToken cancellationToken) =>
        await db.AuditEntries.Where(e => e.Sequence == sequence).Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken);

    public async Task<(long First, long Last)?> SequenceRangeAsync(DateTime? start, DateTime? end, long maxSequence, CancellationToken cancellationToken)
    {
        var inRange = Filtered(new AuditFilter(null, null, null, start, end)).Where(e => e.Sequence <= maxSequence);
        var first = await inRange.MinAsync(e => (long?)e.Sequence, cancellationToken);
        var last = await inRange.MaxAsync(e => (long?)e.Sequence, cancellationToken);
        return first is { } f && last is { } l ? (f, l) : null;
    }

    private IQueryable<AuditEntry> Filtered(AuditFilter filter)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (filter.CallerId is { } callerId)
        {
            entries = entries.Where(e => e.CallerId == callerId);
        }
        if (filter.Method is { } method)
        {
            entries = entries.Where(e => e.Method == method);
        }
        if (filter.Start is { } start)
        {
            entries = entries.Where(e => e.Time >= start);
        }
        if (filter.End is { } end)
        {
            entries = entries.Where(e => e.Time < end);
        }
        return entries;
    }

    private static Dictionary<long, IReadOnlyList<string>> Grouped(List<AuditEntryNipRow> rows)
    {
        var grouped = new Dictionary<long, IReadOnlyList<string>>();
        foreach (var group in rows.GroupBy(r => r.EntrySequence))
        {
            grouped[group.Key] = group.Select(r => r.Nip).ToArray();
        }
        return grouped;
    }
}
