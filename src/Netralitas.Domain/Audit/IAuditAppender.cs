namespace Netralitas.Domain.Audit;

/// <summary>Appends batches to the trail's tables; one instance, used by the writer alone.</summary>
public interface IAuditAppender
{
    /// <summary>
    /// Appends in one transaction: locks the chain head (one writer at a time, across replicas),
    /// hands it to <paramref name="seal"/>, inserts what that returns, moves the head to its last
    /// entry and commits. Completes once committed, with a task that completes once the commit is
    /// durable: at once where the commit itself syncs, later where the appender syncs separately so
    /// that the next batch need not wait for the disk.
    /// </summary>
    Task<Task> AppendAsync(Func<ChainHead, IReadOnlyList<SealedEntry>> seal, CancellationToken cancellationToken);
}
