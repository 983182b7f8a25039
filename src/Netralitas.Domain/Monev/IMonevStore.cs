using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Monev;

public interface IMonevStore
{
    Task<IntegrityPact?> FindPactAsync(string instansiCode, string electionId, CancellationToken cancellationToken);

    Task<SupervisionTeam?> FindTeamAsync(string instansiCode, string electionId, CancellationToken cancellationToken);

    /// <summary>Stores the pact, replacing the agency's earlier one for the election.</summary>
    Task SavePactAsync(IntegrityPact pact, CancellationToken cancellationToken);

    /// <summary>Stores the team with its members, replacing the agency's earlier one for the election, in one transaction.</summary>
    Task SaveTeamAsync(SupervisionTeam team, CancellationToken cancellationToken);

    /// <summary>Instansi codes with a pact, and with a team, recorded for the election.</summary>
    Task<(IReadOnlySet<string> Pacts, IReadOnlySet<string> Teams)> RecordedAgenciesAsync(string electionId, CancellationToken cancellationToken);

    /// <summary>The recommendations addressed to the agency's PPK on cases of the election, in id order, after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<Recommendation>> AgencyRecommendationsAsync(
        string instansiCode, string electionId, string? afterId, int limit, CancellationToken cancellationToken);
}
