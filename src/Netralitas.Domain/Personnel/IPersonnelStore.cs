using Netralitas.Domain.Escalation;

namespace Netralitas.Domain.Personnel;

/// <summary>What an import batch did: rows inserted, rows whose facts changed, rows already as given.</summary>
public readonly record struct UpsertCounts(int Inserted, int Updated, int Unchanged);

public interface IPersonnelStore
{
    Task<PersonnelRecord?> FindAsync(string nip, CancellationToken cancellationToken);

    /// <summary>Starts an import: its batches go through the writer, which decides when to commit.</summary>
    Task<IPersonnelImportWriter> BeginImportAsync(CancellationToken cancellationToken);

    /// <summary>Stores what SIASN answered for a NIP: its facts, or null when it has no record.</summary>
    Task SaveLookupAsync(string nip, PersonnelFacts? facts, DateTime now, DateTime nextSyncAt, CancellationToken cancellationToken);

    Task SaveLookupFailureAsync(string nip, string error, DateTime now, Func<int, DateTime> retryAt, CancellationToken cancellationToken);

    /// <summary>NIPs with an open case whose record is missing or due for a refresh.</summary>
    Task<IReadOnlyList<string>> DueForSyncAsync(DateTime now, int limit, CancellationToken cancellationToken);

    /// <summary>How many NIPs <see cref="DueForSyncAsync"/> would name without a limit (the sync's backlog).</summary>
    Task<int> CountDueForSyncAsync(DateTime now, CancellationToken cancellationToken);

    /// <summary>The block and release commands for a NIP, oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> BlockCommandsAsync(string nip, CancellationToken cancellationToken);
}

/// <summary>
/// Writes an import's batches. What a batch reports is stored once <see cref="CompleteAsync"/> returns;
/// disposing the writer before that keeps the rows already committed and rolls back the rest.
/// </summary>
public interface IPersonnelImportWriter : IAsyncDisposable
{
    /// <summary>
    /// Inserts or updates a batch of imported facts (distinct NIPs). <paramref name="nextBatchWaiting"/>,
    /// asked once the batch is written, says whether the next one is already waiting: only then may
    /// the writer leave its transaction open, so that a slow sender never holds the database's write lock.
    /// </summary>
    Task<UpsertCounts> WriteAsync(
        IReadOnlyList<(string Nip, PersonnelFacts Facts)> batch, DateTime now, Func<bool> nextBatchWaiting, CancellationToken cancellationToken);

    /// <summary>Commits what is written and not yet committed.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>SIASN as a source of personnel facts (implemented over the SIASN client).</summary>
public interface IPersonnelSource
{
    /// <summary>False when no SIASN is configured (Mode Off).</summary>
    bool IsConfigured { get; }

    /// <summary>The facts, or null when SIASN has no record. Throws <see cref="UpstreamUnavailableException"/> when SIASN fails.</summary>
    Task<PersonnelFacts?> FetchAsync(string nip, CancellationToken cancellationToken);

    /// <summary>Position, discipline and unpaid-leave history, read live. Throws <see cref="UpstreamUnavailableException"/>.</summary>
    Task<PersonnelHistory> FetchHistoryAsync(string nip, CancellationToken cancellationToken);
}

public sealed record PositionEntry(string? Title, string? Kind, string? InstansiName, string? UnitName, string? DecreeNumber, DateOnly? DecreeDate, DateOnly? EffectiveDate);

public sealed record DisciplineEntry(string? Kind, string? LevelId, string? DecreeNumber, DateOnly? DecreeDate, DateOnly? StartDate, DateOnly? EndDate, string? Note);

public sealed record UnpaidLeaveEntry(string? DecreeNumber, DateOnly? DecreeDate, DateOnly? StartDate, DateOnly? EndDate);

public sealed record PersonnelHistory(
    IReadOnlyList<PositionEntry> Positions, IReadOnlyList<DisciplineEntry> Discipline, IReadOnlyList<UnpaidLeaveEntry> UnpaidLeave);
