namespace Netralitas.Domain.Recommendations;

/// <summary>
/// One committed change to a recommendation: the history GetFollowUpStatus shows and the feed
/// WatchFollowUps streams. Append-only; written in the same transaction as the change, with the
/// recommendation's state right after it.
/// </summary>
public sealed class FollowUpEvent
{
    public const int MaxDetailLength = 1000;

    /// <summary>Assigned by the database, increasing in insert order.</summary>
    public long Id { get; init; }
    public required string RecommendationId { get; init; }
    public required string CaseId { get; init; }
    public required string Nip { get; init; }
    public required string PpkInstansiCode { get; init; }
    public FollowUpEventKind Kind { get; init; }
    public DateOnly BusinessDate { get; init; }
    public required string Detail { get; init; }
    public DateTime OccurredAt { get; init; }
    public RecommendationStatus Status { get; init; }
    public EscalationStage EscalationStage { get; init; }
    public DateOnly DueOn { get; init; }
    public bool DueOnProvisional { get; init; }
}
