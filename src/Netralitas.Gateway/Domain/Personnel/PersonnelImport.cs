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
/// so memory stays bounded whatever the size of the export (two batches: one being written while
/// the next is read and validated), and a repeated import changes nothing. Within a batch a later
/// row for the same NIP wins (and counts as an update).
/// </summary>
public sealed class PersonnelImport(IPersonnelStore store, TimeProvider clock, int batchSize = PersonnelImport.DefaultBatchSize)
{
    public const int DefaultBatchSize = 20_000;

    private readonly Dictionary<string, PersonnelFacts> _batch = new(batchSize);
    private readonly List<ImportRejection> _rejections = [];
    private long _received, _inserted, _updated, _unchanged, _rejected;
    private Task _writing = Task.CompletedTask;

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
        await _writing;
        return new ImportReport(_received, _inserted, _updated, _unchanged, _rejected, _rejections.ToArray());
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count == 0)
        {
            return;
        }
        // In NIP order: the database writes neighbouring keys together (the sort is done here, on
        // the reading side, while the previous batch is being written).
        var nips = _batch.Keys.ToArray();
        var rows = _batch.Select(e => (e.Key, e.Value)).ToArray();
        Array.Sort(nips, rows, StringComparer.Ordinal);
        _batch.Clear();
        await _writing; // one batch in the database at a time; a failed write stops the import here
        _writing = Task.Run(() => WriteAsync(rows, cancellationToken), cancellationToken);
    }

    private async Task WriteAsync((string, PersonnelFacts)[] rows, CancellationToken cancellationToken)
    {
        var counts = await store.ImportAsync(rows, clock.GetUtcNow().UtcDateTime, cancellationToken);
        _inserted += counts.Inserted;
        _updated += counts.Updated;
        _unchanged += counts.Unchanged;
    }
}
