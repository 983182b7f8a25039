using Netralitas.Domain.Recommendations;
using Netralitas.Domain.Statistics;

namespace Netralitas.Domain.Monev;

/// <summary>An agency's cases in an election counted by funnel position, with "overdue on the day asked" for the unanswered.</summary>
public sealed record AgencyCell(
    string InstansiCode, string InstansiName, CaseStatus Status, bool Recommended, FollowUpOutcome FollowUp, bool DueBefore, EscalationStage Escalation, int Count);

public interface IMonevStore
{
    Task<IntegrityPact?> FindPactAsync(string instansiCode, string electionId, CancellationToken cancellationToken);

    Task<SupervisionTeam?> FindTeamAsync(string instansiCode, string electionId, CancellationToken cancellationToken);

    /// <summary>Stores the pact, replacing the agency's earlier one for the election.</summary>
    Task SavePactAsync(IntegrityPact pact, CancellationToken cancellationToken);

    /// <summary>Stores the team with its members, replacing the agency's earlier one for the election, in one transaction.</summary>
    Task SaveTeamAsync(SupervisionTeam team, CancellationToken cancellationToken);

    /// <summary>
    /// Cases of the election (of one agency, or of the agencies with cases in one province, when given)
    /// counted per agency and funnel position; "due before" compares the due date with <paramref name="asOf"/>.
    /// </summary>
    Task<IReadOnlyList<AgencyCell>> AgencyCellsAsync(string electionId, string instansiCode, string provinceCode, DateOnly asOf, CancellationToken cancellationToken);

    /// <summary>Instansi codes with a pact, and with a team, recorded for the election.</summary>
    Task<(IReadOnlySet<string> Pacts, IReadOnlySet<string> Teams)> RecordedAgenciesAsync(string electionId, CancellationToken cancellationToken);

    /// <summary>The recommendations on the agency's cases of the election, in id order, after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<Recommendation>> AgencyRecommendationsAsync(
        string instansiCode, string electionId, string? afterId, int limit, CancellationToken cancellationToken);
}
