namespace Netralitas.Gateway.Domain.Cases;

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
}
