namespace Netralitas.Domain.Audit;

/// <summary>What entries a listing asks for; null means no filter. Time is [Start, End).</summary>
public sealed record AuditFilter(string? Nip, string? CallerId, string? Method, DateTime? Start, DateTime? End);

/// <summary>Reads the trail; the rules (hashes, matching, verification) are the callers'.</summary>
public interface IAuditStore
{
    Task<ChainHead> ReadHeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> entries in sequence order, after <paramref name="after"/> and
    /// before <paramref name="before"/>. A NIP filter matches the entries that keep that NIP as a row
    /// (bulk entries are searched with <see cref="ReadBulkNipsAsync"/>).
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditFilter filter, long after, long before, int limit, CancellationToken cancellationToken);

    /// <summary>The bulk blobs stored for entries in (<paramref name="after"/>, <paramref name="before"/>), in sequence order, one at a time.</summary>
    IAsyncEnumerable<(long Sequence, byte[] Nips)> ReadBulkNipsAsync(long after, long before, CancellationToken cancellationToken);

    /// <summary>These entries, those that <paramref name="filter"/> (its NIP ignored) lets through, in sequence order.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAsync(IReadOnlyCollection<long> sequences, AuditFilter filter, CancellationToken cancellationToken);

    /// <summary>The NIP rows of these entries, each entry's in the order given.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> ReadIndexedNipsAsync(
        IReadOnlyCollection<long> sequences, CancellationToken cancellationToken);

    /// <summary>Entries with a sequence in (<paramref name="after"/>, <paramref name="through"/>], at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadRangeAsync(long after, long through, int limit, CancellationToken cancellationToken);

    /// <summary>The NIP rows stored for entries in (<paramref name="after"/>, <paramref name="through"/>], whatever the entries say.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> ReadIndexedNipsAsync(long after, long through, CancellationToken cancellationToken);

    /// <summary>SHA-256 of each bulk blob stored for entries in (<paramref name="after"/>, <paramref name="through"/>], read as a stream.</summary>
    Task<IReadOnlyDictionary<long, byte[]>> DigestBulkNipsAsync(long after, long through, CancellationToken cancellationToken);

    Task<byte[]?> FindHashAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>The lowest and highest sequence up to <paramref name="maxSequence"/> whose time is in [start, end); null when none.</summary>
    Task<(long First, long Last)?> SequenceRangeAsync(DateTime? start, DateTime? end, long maxSequence, CancellationToken cancellationToken);
}
