namespace Netralitas.Gateway.Domain.Personnel;

/// <summary>A rejected row: where it is (line of the file, or position in the stream), the field, and why.</summary>
public sealed record ImportRejection(long Row, string Nip, string Field, string Reason);

public sealed record ImportReport(long Received, long Inserted, long Updated, long Unchanged, long Rejected, IReadOnlyList<ImportRejection> Rejections)
{
    /// <summary>At most this many rejections are listed (all are counted): the memory of an import stays bounded.</summary>
    public const int MaxListedRejections = 1000;
}

/// <summary>
/// Streams rows into the personnel table in batches: each batch is upserted in its own transaction,
/// so memory stays bounded whatever the size of the export, and a repeated import changes nothing.
/// Within a batch a later row for the same NIP wins (and counts as an update).
/// </summary>
public sealed class PersonnelImport(IPersonnelStore store, TimeProvider clock, int batchSize = PersonnelImport.DefaultBatchSize)
{
    public const int DefaultBatchSize = 1000;

    private readonly Dictionary<string, PersonnelFacts> _batch = new(batchSize);
    private readonly List<ImportRejection> _rejections = [];
    private long _received, _inserted, _updated, _unchanged, _rejected;

    public async Task AddAsync(long row, PersonnelRow input, CancellationToken cancellationToken)
    {
        _received++;
        if (input.Validate(out var field, out var reason) is not { } valid)
        {
            Record(new ImportRejection(row, input.NipBaru?.Trim() ?? "", field, reason));
            return;
        }
        if (!_batch.TryAdd(valid.Nip, valid.Facts))
        {
            _batch[valid.Nip] = valid.Facts;
            _updated++;
        }
        if (_batch.Count >= batchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>A row that could not be read at all (e.g. an unterminated quote in the file).</summary>
    public void Reject(long row, string field, string reason)
    {
        _received++;
        Record(new ImportRejection(row, "", field, reason));
    }

    private void Record(ImportRejection rejection)
    {
        _rejected++;
        if (_rejections.Count < ImportReport.MaxListedRejections)
        {
            _rejections.Add(rejection);
        }
    }

    public async Task<ImportReport> CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return new ImportReport(_received, _inserted, _updated, _unchanged, _rejected, _rejections.ToArray());
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count == 0)
        {
            return;
        }
        var counts = await store.ImportAsync(
            _batch.Select(e => (e.Key, e.Value)).ToArray(), clock.GetUtcNow().UtcDateTime, cancellationToken);
        _inserted += counts.Inserted;
        _updated += counts.Updated;
        _unchanged += counts.Unchanged;
        _batch.Clear();
    }
}
