using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Escalation;

/// <summary>
/// A command to SIASN (block, release, sanction write-back), committed in the same transaction as
/// the state change that calls for it, and delivered later by a relay with its idempotency key.
/// </summary>
public sealed class OutboxMessage
{
    public const string CollectionName = "outboxMessages";

    public required string Id { get; init; }
    public OutboxKind Kind { get; init; }
    public OutboxState State { get; init; } = OutboxState.Pending;
    public required string Nip { get; init; }
    public required string RecommendationId { get; init; }
    public string? EnforcementActionId { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string PayloadJson { get; init; }
    public int Attempts { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime NextAttemptAt { get; init; }
    public DateTime? DeliveredAt { get; init; }
    public string? LastError { get; init; }

    /// <summary>What SIASN answered when it accepted the command (its message and mapData).</summary>
    public string? Receipt { get; init; }

    /// <summary>
    /// The W3C traceparent of the call (or sweep) that committed the command, when it was traced, so
    /// that its delivery to SIASN joins the same trace; null otherwise.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The relay delivery that holds the message until NextAttemptAt; null when none does.</summary>
    public string? LeaseToken { get; init; }

    public string ResourceName => ResourceNameOf(Id);
    public string RecommendationName => Recommendation.ResourceNameOf(RecommendationId);

    public static string ResourceNameOf(string id) => $"{CollectionName}/{id}";
}

/// <summary>Filters of ListOutboxMessages; empty and Unspecified mean "any".</summary>
public sealed record OutboxQuery(OutboxState State, OutboxKind Kind, string Nip, string RecommendationId);
