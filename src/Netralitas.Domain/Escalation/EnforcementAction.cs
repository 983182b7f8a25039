using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Escalation;

/// <summary>
/// A control step BKN took on an unanswered recommendation — a warning, a reprimand, a block of the
/// ASN's personnel data — or the release of that block. At most one of each kind per recommendation
/// (the database enforces it too).
/// </summary>
public sealed class EnforcementAction
{
    public const string CollectionName = "enforcementActions";

    public required string Id { get; init; }
    public EnforcementKind Kind { get; init; }
    public required string RecommendationId { get; init; }
    public required string CaseId { get; init; }
    public required string Nip { get; init; }
    public required string PpkInstansiCode { get; init; }
    public required string PpkInstansiName { get; init; }
    public DateOnly BusinessDate { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>The command to SIASN, for a block or a release.</summary>
    public string? OutboxMessageId { get; init; }
    public required string Detail { get; init; }

    public string ResourceName => $"{CollectionName}/{Id}";
    public string RecommendationName => Recommendation.ResourceNameOf(RecommendationId);
}

/// <summary>Filters of ListEnforcementActions; empty and Unspecified mean "any".</summary>
public sealed record EnforcementActionQuery(string PpkInstansiCode, string Nip, EnforcementKind Kind, string RecommendationId);
