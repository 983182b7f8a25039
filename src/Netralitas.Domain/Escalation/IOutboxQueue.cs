namespace Netralitas.Domain.Escalation;

/// <summary>The relay's view of the outbox: due commands, claims under a lease, outcomes.</summary>
public interface IOutboxQueue
{
    /// <summary>Pending commands due by <paramref name="now"/> that are the oldest pending command of their NIP.</summary>
    Task<IReadOnlyList<OutboxMessage>> DueAsync(DateTime now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Takes due commands for one delivery each (counting the attempt), in one transaction; answers the
    /// ids it took (another replica may hold the others).
    /// </summary>
    Task<IReadOnlySet<string>> ClaimAsync(IReadOnlyCollection<string> ids, string lease, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken);

    /// <summary>Marks delivered commands (id and SIASN's receipt) under their lease, in one transaction.</summary>
    Task CompleteAsync(IReadOnlyCollection<(string Id, string Receipt)> delivered, string lease, DateTime now, CancellationToken cancellationToken);

    /// <summary>Gives the command back to wait until <paramref name="nextAttemptAt"/>; <paramref name="attemptCounts"/> false when it was never sent.</summary>
    Task RescheduleAsync(string id, string lease, DateTime nextAttemptAt, string error, bool attemptCounts, CancellationToken cancellationToken);

    Task DeadLetterAsync(string id, string lease, string error, CancellationToken cancellationToken);

    /// <summary>A dead-lettered command back to PENDING with its attempts reset; false when it is not dead-lettered.</summary>
    Task<bool> RequeueAsync(string id, DateTime now, CancellationToken cancellationToken);

    /// <summary>How many commands are pending and how many dead-lettered (for the operator's gauges).</summary>
    Task<(int Pending, int DeadLettered)> CountUndeliveredAsync(CancellationToken cancellationToken);
}
