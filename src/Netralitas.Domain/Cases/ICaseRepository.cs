namespace Netralitas.Domain.Cases;

/// <summary>Where cases are stored. The data layer implements it; the rules only ask.</summary>
public interface ICaseRepository
{
    Task<NeutralityCase?> FindAsync(string id, CancellationToken cancellationToken);

    Task<NeutralityCase?> FindByFileRequestIdAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Stores a new case; false when its file request id is already taken (a concurrent repeat).</summary>
    Task<bool> TryAddAsync(NeutralityCase newCase, CancellationToken cancellationToken);

    /// <summary>Adds many new cases in one transaction (demo data).</summary>
    Task AddManyAsync(IReadOnlyCollection<NeutralityCase> newCases, CancellationToken cancellationToken);

    /// <summary>Writes a changed case; <see cref="ConcurrentModificationException"/> if another writer got there first.</summary>
    Task UpdateAsync(NeutralityCase changedCase, CancellationToken cancellationToken);

    /// <summary>Cases matching the filter with an id after <paramref name="afterId"/>, in id order.</summary>
    Task<IReadOnlyList<NeutralityCase>> ListAsync(CaseFilter filter, string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Every NIP with open cases and how many, for building the in-memory index.</summary>
    IAsyncEnumerable<(string Nip, int OpenCount)> OpenCaseCountsAsync(CancellationToken cancellationToken);

    /// <summary>Every NIP whose data is blocked, and since when (the earliest block still in force).</summary>
    IAsyncEnumerable<(string Nip, DateTime BlockedSince)> ActiveBlocksAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many open cases each of these NIPs has, and since when its data is blocked, read in one
    /// statement per table; a NIP with neither is absent from the answer. Callers keep a batch to
    /// <see cref="MaxNipsPerStandingsRead"/> NIPs.
    /// </summary>
    Task<IReadOnlyDictionary<string, NipStanding>> StandingsOfAsync(IReadOnlyCollection<string> nips, CancellationToken cancellationToken);

    /// <summary>The most NIPs one <see cref="StandingsOfAsync"/> asks for (SQL Server takes at most 2,100 parameters).</summary>
    const int MaxNipsPerStandingsRead = 1_000;

    /// <summary>
    /// The newest change-log entry written before <paramref name="before"/> (0 when none). Every case
    /// write appends an entry, in its own transaction.
    /// </summary>
    Task<long> LatestChangeBeforeAsync(DateTime before, CancellationToken cancellationToken);

    /// <summary>Change-log entries after <paramref name="afterId"/>, in id order.</summary>
    Task<IReadOnlyList<CaseChange>> ChangesAfterAsync(long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>The change-log entries with these ids that exist (committed) now.</summary>
    Task<IReadOnlyList<CaseChange>> ChangesWithIdsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Deletes change-log entries older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneChangesAsync(DateTime before, CancellationToken cancellationToken);
}

/// <summary>An entry of the change log: some case or block of this NIP was written.</summary>
public sealed class CaseChange
{
    public long Id { get; init; }
    public required string Nip { get; init; }
    public DateTime ChangedAt { get; init; }
}
