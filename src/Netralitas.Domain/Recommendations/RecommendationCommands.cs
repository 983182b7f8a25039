using Netralitas.Domain.Cases;

namespace Netralitas.Domain.Recommendations;

public sealed record IssueRecommendationCommand(
    string CaseName,
    string AuthorityCode,
    string LetterNumber,
    DateParts? IssuedOn,
    string PpkInstansiCode,
    string PpkInstansiName,
    SanctionLevel SanctionLevel,
    string SanctionForm,
    string RequestId);

public sealed record RecordFollowUpCommand(
    string Name,
    string DecreeNumber,
    DateParts? DecreeDate,
    SanctionLevel ImposedLevel,
    string ImposedForm,
    string RequestId);

/// <summary>Filters of ListRecommendations; empty, Unspecified and null mean "any".</summary>
public sealed record RecommendationFilter(
    string PpkInstansiCode,
    RecommendationStatus Status,
    string AuthorityCode,
    DateParts? OverdueAsOf);

/// <summary>What ListRecommendations asks the store for, once validated.</summary>
public sealed record RecommendationQuery(
    string PpkInstansiCode,
    RecommendationStatus Status,
    string AuthorityCode,
    DateOnly? OverdueAsOf);

/// <summary>Where a recommendation's follow-up stands on a date.</summary>
public sealed record FollowUpStatusReport(
    Recommendation Recommendation,
    DateOnly AsOf,
    int WorkingDaysLeft,
    bool Overdue,
    IReadOnlyList<FollowUpEvent> History,
    bool WorkingDaysLeftProvisional);

public interface IRecommendationRepository
{
    /// <summary>With its follow-ups, tracked for changes.</summary>
    Task<Recommendation?> FindAsync(string id, CancellationToken cancellationToken);

    Task<Recommendation?> FindByIssueRequestIdAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>The recommendation holding the follow-up recorded with this request id.</summary>
    Task<Recommendation?> FindByFollowUpRequestIdAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>The case's most recent recommendation.</summary>
    Task<Recommendation?> FindLatestForCaseAsync(string caseId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new recommendation together with the change to its case, in one transaction; false
    /// when its request id is already taken (a concurrent repeat).
    /// </summary>
    Task<bool> TryAddAsync(Recommendation recommendation, NeutralityCase changedCase, CancellationToken cancellationToken);

    /// <summary>Writes the tracked changes (a recommendation, and its case when given) in one transaction.</summary>
    Task UpdateAsync(Recommendation recommendation, NeutralityCase? changedCase, CancellationToken cancellationToken);

    Task<IReadOnlyList<Recommendation>> ListAsync(RecommendationQuery query, string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Every recommendation addressed to one agency, oldest first.</summary>
    Task<IReadOnlyList<Recommendation>> ListForPpkAsync(string ppkInstansiCode, CancellationToken cancellationToken);

    /// <summary>The open recommendations whose cases match the filters (empty = any).</summary>
    Task<IReadOnlyList<Recommendation>> ListOpenAsync(string provinceCode, string electionId, CancellationToken cancellationToken);

    /// <summary>
    /// Open recommendations that escalation may still act on (not yet blocked), optionally of one
    /// agency, with an id after <paramref name="afterId"/>, in id order.
    /// </summary>
    Task<IReadOnlyList<Recommendation>> ListEscalatableAsync(string ppkInstansiCode, string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Open recommendations whose due date may depend on <paramref name="year"/> (issued by its end,
    /// due from its start on; every open one when null), with an id after <paramref name="afterId"/>, in id order.
    /// </summary>
    Task<IReadOnlyList<Recommendation>> ListOpenTouchingYearAsync(int? year, string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>A recommendation's events, oldest first.</summary>
    Task<IReadOnlyList<FollowUpEvent>> HistoryOfAsync(string recommendationId, CancellationToken cancellationToken);

    /// <summary>The newest event id written before <paramref name="before"/> (0 when none).</summary>
    Task<long> LatestEventBeforeAsync(DateTime before, CancellationToken cancellationToken);

    /// <summary>Events with an id after <paramref name="afterId"/>, in id order.</summary>
    Task<IReadOnlyList<FollowUpEvent>> EventsAfterAsync(long afterId, int limit, CancellationToken cancellationToken);
}
