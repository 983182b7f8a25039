namespace Netralitas.Gateway.Domain;

public sealed record Violation(
    string Code,
    string Description,
    string DescriptionEn,
    SanctionLevel EthicsSanction,
    SanctionLevel DisciplineSanction,
    bool DecidedBySatgas)
{
    public SanctionLevel SanctionOn(Track track) => track switch
    {
        Track.Ethics => EthicsSanction,
        Track.Discipline => DisciplineSanction,
        _ => SanctionLevel.Unspecified,
    };
}

/// <summary>An election calendar. Campaign dates are inclusive.</summary>
public sealed record Election(
    string Id,
    string DisplayName,
    ElectionKind Kind,
    DateOnly CandidateDeterminationDate,
    DateOnly CampaignStartDate,
    DateOnly CampaignEndDate,
    DateOnly VotingDate,
    string Source)
{
    public Period PeriodOf(DateOnly actDate) =>
        actDate < CampaignStartDate ? Period.BeforeCampaign
        : actDate <= CampaignEndDate ? Period.DuringCampaign
        : Period.AfterCampaign;

    /// <summary>Before penetapan the act concerns a bakal calon (ethics); from that day on, a calon (discipline).</summary>
    public Track TrackOf(DateOnly actDate) =>
        actDate < CandidateDeterminationDate ? Track.Ethics : Track.Discipline;
}

public sealed record Province(string Code, string Name);

/// <summary>The reference data the rules consult: violation catalog, election calendars, provinces.</summary>
public sealed class ReferenceCatalog
{
    private readonly Dictionary<string, Violation> _violations;
    private readonly Dictionary<string, Election> _elections;
    private readonly Dictionary<string, Province> _provinces;

    public ReferenceCatalog(
        string catalogVersion,
        IEnumerable<Violation> violations,
        IEnumerable<Election> elections,
        IEnumerable<Province> provinces)
    {
        CatalogVersion = catalogVersion;
        Violations = violations.ToArray();
        Elections = elections.OrderBy(e => e.VotingDate).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
        Provinces = provinces.OrderBy(p => p.Code, StringComparer.Ordinal).ToArray();
        _violations = UniqueBy(Violations, v => v.Code, "violation code");
        _elections = UniqueBy(Elections, e => e.Id, "election id");
        _provinces = UniqueBy(Provinces, p => p.Code, "province code");
        foreach (var election in Elections)
        {
            if (!(election.CandidateDeterminationDate <= election.CampaignStartDate
                  && election.CampaignStartDate <= election.CampaignEndDate
                  && election.CampaignEndDate < election.VotingDate))
            {
                throw new InvalidDataException(
                    $"Election {election.Id}: expected penetapan <= campaign start <= campaign end < voting day.");
            }
        }
    }

    public string CatalogVersion { get; }
    public IReadOnlyList<Violation> Violations { get; }
    public IReadOnlyList<Election> Elections { get; }
    public IReadOnlyList<Province> Provinces { get; }

    public Violation? FindViolation(string code) => _violations.GetValueOrDefault(code);
    public Election? FindElection(string id) => _elections.GetValueOrDefault(id);
    public Province? FindProvince(string code) => _provinces.GetValueOrDefault(code);

    private static Dictionary<string, T> UniqueBy<T>(IEnumerable<T> items, Func<T, string> key, string what)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!map.TryAdd(key(item), item))
            {
                throw new InvalidDataException($"Duplicate {what} '{key(item)}' in the reference data.");
            }
        }
        return map;
    }
}
