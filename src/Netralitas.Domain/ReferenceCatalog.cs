namespace Netralitas.Domain;

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

    /// <summary>
    /// Acts from this many months before voting day may be filed under the election (assumption:
    /// the tahapan of a Pemilu start about 20 months before voting).
    /// </summary>
    public const int MonthsBeforeVoting = 24;

    /// <summary>Acts up to this many months after voting day may be filed under the election (assumption).</summary>
    public const int MonthsAfterVoting = 12;

    public DateOnly FirstActDate => VotingDate.AddMonths(-MonthsBeforeVoting);

    public DateOnly LastActDate => VotingDate.AddMonths(MonthsAfterVoting);

    /// <summary>Before penetapan the act concerns a bakal calon (ethics); from that day on, a calon (discipline).</summary>
    public Track TrackOf(DateOnly actDate) =>
        actDate < CandidateDeterminationDate ? Track.Ethics : Track.Discipline;
}

public sealed record Province(string Code, string Name);

/// <summary>A recommending authority (KASN, later BKN): data, so that a successor needs no code change.</summary>
public sealed record Authority(string Code, string Name);

/// <summary>
/// An agency (instansi) whose PPK receives recommendations. A regional government is coded by its
/// Kemendagri region code: a province government by the 2-digit province code, a kabupaten or kota
/// by the 4-digit code whose first two digits are its province. A ministry or central agency is
/// coded <c>BA-</c> and its 3-digit budget-section code (kode Bagian Anggaran), with no province.
/// </summary>
public sealed record Agency(string Code, string Name, string ProvinceCode)
{
    /// <summary>A ministry or central agency (no province).</summary>
    public bool IsCentral => ProvinceCode.Length == 0;
}

/// <summary>The reference data the rules consult: violation catalog, election calendars, provinces, authorities, agencies.</summary>
public sealed partial class ReferenceCatalog
{
    public const string ElectionCollection = "elections";

    private readonly Dictionary<string, Violation> _violations;
    private readonly Dictionary<string, Election> _elections;
    private readonly Dictionary<string, Province> _provinces;
    private readonly Dictionary<string, Authority> _authorities;
    private readonly Dictionary<string, Agency> _agencies;

    public ReferenceCatalog(
        string catalogVersion,
        IEnumerable<Violation> violations,
        IEnumerable<Election> elections,
        IEnumerable<Province> provinces,
        IEnumerable<Authority>? authorities = null,
        IEnumerable<Agency>? agencies = null)
    {
        CatalogVersion = catalogVersion;
        Violations = violations.ToArray();
        Elections = elections.OrderBy(e => e.VotingDate).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
        Provinces = provinces.OrderBy(p => p.Code, StringComparer.Ordinal).ToArray();
        _violations = UniqueBy(Violations, v => v.Code, "violation code");
        _elections = UniqueBy(Elections, e => e.Id, "election id");
        _provinces = UniqueBy(Provinces, p => p.Code, "province code");
        Authorities = (authorities ?? []).ToArray();
        _authorities = UniqueBy(Authorities, a => a.Code, "authority code");
        foreach (var authority in Authorities)
        {
            Require(ViolationCode().IsMatch(authority.Code) && authority.Name.Length > 0, $"authority '{authority.Code}' needs an UPPER_SNAKE code and a name");
        }
        Agencies = (agencies ?? []).ToArray();
        _agencies = UniqueBy(Agencies, a => a.Code, "agency code");
        foreach (var agency in Agencies)
        {
            RequireAgency(agency);
        }
        foreach (var violation in Violations)
        {
            Require(ViolationCode().IsMatch(violation.Code), $"violation code '{violation.Code}' must be UPPER_SNAKE_CASE, at most 64 characters");
            Require(violation.Description.Length > 0 && violation.DescriptionEn.Length > 0, $"violation {violation.Code} needs both descriptions");
        }
        foreach (var province in Provinces)
        {
            Require(ProvinceCode().IsMatch(province.Code) && province.Name.Length > 0, $"province '{province.Code}' needs a two-digit code and a name");
        }
        foreach (var election in Elections)
        {
            Require(ElectionId().IsMatch(election.Id), $"election id '{election.Id}' must be lower-case letters, digits and hyphens, at most 64 characters");
            Require(election.DisplayName.Length > 0 && election.Source.Length > 0, $"election {election.Id} needs a display name and a source");
            Require(Enum.IsDefined(election.Kind) && election.Kind != ElectionKind.Unspecified, $"election {election.Id} has no valid kind");
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
    public IReadOnlyList<Authority> Authorities { get; }
    public IReadOnlyList<Agency> Agencies { get; }

    public Violation? FindViolation(string code) => _violations.GetValueOrDefault(code);
    public Election? FindElection(string id) => _elections.GetValueOrDefault(id);

    /// <summary>The election named <c>elections/{election_id}</c>.</summary>
    public Election GetElection(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidRequestException("name", "is required: elections/{election_id}");
        }
        const string prefix = ElectionCollection + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidRequestException("name", "must be of the form elections/{election_id}");
        }
        return FindElection(name[prefix.Length..]) ?? throw new ResourceNotFoundException(name);
    }
    public Province? FindProvince(string code) => _provinces.GetValueOrDefault(code);
    public Authority? FindAuthority(string code) => _authorities.GetValueOrDefault(code);
    public Agency? FindAgency(string code) => _agencies.GetValueOrDefault(code);

    /// <summary>The code scheme of <see cref="Agency"/>: a known province's own code, a region code within it, or <c>BA-</c> and 3 digits with no province.</summary>
    private void RequireAgency(Agency agency)
    {
        Require(agency.Name.Trim().Length > 0 && agency.Name.Length <= FieldLengths.Name,
            $"agency '{agency.Code}' needs a name of at most {FieldLengths.Name} characters");
        if (BudgetSectionCode().IsMatch(agency.Code))
        {
            Require(agency.ProvinceCode.Length == 0, $"agency {agency.Code} is a ministry or central agency (BA- code) and has no province; got '{agency.ProvinceCode}'");
            return;
        }
        Require(RegionCode().IsMatch(agency.Code),
            $"agency code '{agency.Code}' is neither a Kemendagri region code (2 digits for a province, 4 for a kabupaten/kota) nor BA- and a 3-digit budget-section code");
        Require(_provinces.ContainsKey(agency.ProvinceCode), $"agency {agency.Code} names the unknown province '{agency.ProvinceCode}'");
        Require(agency.Code[..2] == agency.ProvinceCode,
            $"agency {agency.Code} lies in province {agency.Code[..2]} by its code, but names province '{agency.ProvinceCode}'");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z][A-Z0-9_]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex ViolationCode();

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex ElectionId();

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{2}$")]
    private static partial System.Text.RegularExpressions.Regex ProvinceCode();

    [System.Text.RegularExpressions.GeneratedRegex("^(?:[0-9]{2}|[0-9]{4})$")]
    private static partial System.Text.RegularExpressions.Regex RegionCode();

    [System.Text.RegularExpressions.GeneratedRegex("^BA-[0-9]{3}$")]
    private static partial System.Text.RegularExpressions.Regex BudgetSectionCode();

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Reference data: {problem}.");
        }
    }

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
