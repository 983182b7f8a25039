using Microsoft.EntityFrameworkCore;
using Netralitas.Domain;
using Netralitas.Domain.Escalation;

namespace Netralitas.Data;

/// <summary>
/// The outbox as the relay sees it. A claim is one conditional UPDATE (pending and due), so two
/// replicas cannot both take a command; every later write is conditional on the claim's lease token.
/// Claims and completions take several commands in one transaction: on SQLite each transaction is a
/// turn at the single write lock and a sync to disk.
/// </summary>
public sealed class OutboxQueue(NetralitasDbContext db) : IOutboxQueue
{
    public async Task<IReadOnlyList<OutboxMessage>> DueAsync(DateTime now, int limit, CancellationToken cancellationToken) =>
        await db.OutboxMessages.AsNoTracking()
            .Where(m => m.State == OutboxState.Pending && m.NextAttemptAt <= now)
            .Where(m => !db.OutboxMessages.Any(earlier =>
                earlier.Nip == m.Nip && earlier.State == OutboxState.Pending && string.Compare(earlier.Id, m.Id) < 0))
            .OrderBy(m => m.NextAttemptAt)
            .Take(limit)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlySet<string>> ClaimAsync(
        IReadOnlyCollection<string> ids, string lease, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.OutboxMessages
            .Where(m => ids.Contains(m.Id) && m.State == OutboxState.Pending && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.LeaseToken, lease)
                .SetProperty(m => m.NextAttemptAt, leaseUntil)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        var claimed = await db.OutboxMessages
            .Where(m => ids.Contains(m.Id) && m.LeaseToken == lease)
            .Select(m => m.Id)
            .ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed.ToHashSet();
    }

    public async Task CompleteAsync(
        IReadOnlyCollection<(string Id, string Receipt)> delivered, string lease, DateTime now, CancellationToken cancellationToken)
    {
        if (delivered.Count == 0)
        {
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (id, receipt) in delivered)
        {
            await Leased(id, lease).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, OutboxState.Delivered)
                .SetProperty(m => m.DeliveredAt, now)
                .SetProperty(m => m.Receipt, Bounded(receipt))
                .SetProperty(m => m.LastError, (string?)null)
                .SetProperty(m => m.LeaseToken, (string?)null), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task RescheduleAsync(string id, string lease, DateTime nextAttemptAt, string error, bool attemptCounts, CancellationToken cancellationToken)
    {
        var uncounted = attemptCounts ? 0 : 1;
        return Leased(id, lease).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.NextAttemptAt, nextAttemptAt)
            .SetProperty(m => m.LastError, Bounded(error))
            .SetProperty(m => m.Attempts, m => m.Attempts - uncounted)
            .SetProperty(m => m.LeaseToken, (string?)null), cancellationToken);
    }

    public Task DeadLetterAsync(string id, string lease, string error, CancellationToken cancellationToken) =>
        Leased(id, lease).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.DeadLettered)
            .SetProperty(m => m.LastError, Bounded(error))
            .SetProperty(m => m.LeaseToken, (string?)null), cancellationToken);

    public async Task<bool> RequeueAsync(string id, DateTime now, CancellationToken cancellationToken) =>
        await db.OutboxMessages
            .Where(m => m.Id == id && m.State == OutboxState.DeadLettered)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, OutboxState.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now), cancellationToken) == 1;

    public async Task<(int Pending, int DeadLettered)> CountUndeliveredAsync(CancellationToken cancellationToken)
    {
        var counts = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.State == OutboxState.Pending || m.State == OutboxState.DeadLettered)
            .GroupBy(m => m.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int CountOf(OutboxState state) => counts.FirstOrDefault(c => c.State == state)?.Count ?? 0;
        return (CountOf(OutboxState.Pending), CountOf(OutboxState.DeadLettered));
    }

    private IQueryable<OutboxMessage> Leased(string id, string lease) =>
        db.OutboxMessages.Where(m => m.Id == id && m.State == OutboxState.Pending && m.LeaseToken == lease);

    private static string Bounded(string text) => text.Length <= 2000 ? text : text[..2000];
}
