namespace Netralitas.Domain.Escalation;

/// <summary>Where enforcement actions and outbox commands are read from (they are written with their recommendation).</summary>
public interface IEscalationRecords
{
    /// <summary>Actions matching the query with an id after <paramref name="afterId"/>, in id (time) order.</summary>
    Task<IReadOnlyList<EnforcementAction>> ListActionsAsync(EnforcementActionQuery query, string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Outbox messages matching the query with an id after <paramref name="afterId"/>, in id (time) order.</summary>
    Task<IReadOnlyList<OutboxMessage>> ListOutboxAsync(OutboxQuery query, string? afterId, int limit, CancellationToken cancellationToken);

    Task<OutboxMessage?> FindOutboxAsync(string id, CancellationToken cancellationToken);
}
