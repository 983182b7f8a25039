namespace Netralitas.Domain.Personnel;

/// <summary>A rejected row: where it is (line of the file, or position in the stream), the field, and why.</summary>
public sealed record ImportRejection(long Row, string Nip, string Field, string Reason);

public sealed record ImportReport(long Received, long Inserted, long Updated, long Unchanged, long Rejected, IReadOnlyList<ImportRejection> Rejections)
{
    /// <summary>At most this many rejections are listed (all are counted): the memory of an import stays bounded.</summary>
    public const int MaxListedRejections = 1000;
}

/// <summary>
/// Streams rows into the personnel table in batches, so memory stays bounded whatever the size of the
/// export (two batches: one being written while the next is read and validated); the store's writer
/// decides how many batches a transaction holds. A repeated import changes nothing. Within a batch a later
/// row for the same NIP wins (and counts as an update).
/// </summary>
public sealed class PersonnelImport(IPersonnelStore store, TimeProvider clock, int batchSize = PersonnelImport.DefaultBatchSize)
    : IAsyncDisposable
{
    public const int DefaultBatchSize = 20_000;

    private readonly Dictionary<string, PersonnelFacts> _batch = new(batchSize);
    private readonly List<ImportRejection> _rejections = [];
    private long _received, _inserted, _updated, _unchanged, _rejected;
    private Task<UpsertCounts> _writing = Task.FromResult(default(UpsertCounts));
    private IPersonnelImportWriter? _writer;
    private volatile bool _nextBatchWaiting;

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
        Count(await _writing);
        if (_writer is not null)
        {
            await _writer.CompleteAsync(cancellationToken);
        }
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
        _nextBatchWaiting = true;
        Count(await _writing); // one batch in the database at a time; a failed write stops the import here
        _nextBatchWaiting = false;
        _writing = Task.Run(() => WriteAsync(rows, cancellationToken), cancellationToken);
    }

    /// <summary>Runs on the writing task: the counts are added up on the reading side, which owns them.</summary>
    private async Task<UpsertCounts> WriteAsync((string, PersonnelFacts)[] rows, CancellationToken cancellationToken)
    {
        _writer ??= await store.BeginImportAsync(cancellationToken);
        return await _writer.WriteAsync(rows, clock.GetUtcNow().UtcDateTime, () => _nextBatchWaiting, cancellationToken);
    }

    private void Count(UpsertCounts counts)
    {
        _inserted += counts.Inserted;
        _updated += counts.Updated;
        _unchanged += counts.Unchanged;
    }

    /// <summary>Waits for the write in flight (its failure, if any, was or will be thrown by AddAsync or CompleteAsync) and releases the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        await ((Task)_writing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
    }
}
