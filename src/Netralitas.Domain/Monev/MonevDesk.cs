using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Recommendations;
using Netralitas.Domain.Statistics;

namespace Netralitas.Domain.Monev;

public enum DutyStatus { Unspecified = 0, Met = 1, NotMet = 2, NoData = 3 }

/// <summary>The PPK duties of the SKB 5 K/L 2022, in the order of the checklist.</summary>
public enum PpkDuty
{
    Unspecified = 0, Socialisation = 1, IntegrityPact = 2, InternalTeam = 3, VulnerabilityMapping = 4,
    FollowUpRecommendations = 5, BehaviourMonev = 6, ComplaintChannel = 7, ReportToSatgas = 8,
}

public sealed record DutyCheck(PpkDuty Duty, DutyStatus Status, string Evidence);

public sealed record AgencyCaseCounts(int Reported, int UnderExamination, int Proven, int NotProven, int Sanctioned);

public sealed record AgencyFollowUpCounts(
    int Recommendations, int OnTime, int Late, int Lighter, int Unanswered, int Awaiting,
    int Warned, int Reprimanded, int Blocked, int Released)
{
    public int Due => Recommendations - Awaiting;
    public int Failing => Unanswered + Lighter;
    public double OnTimePercent => StatisticsDesk.Percent(OnTime, Due);
}

/// <summary>One recommendation's follow-up as the monev shows it.</summary>
public sealed record AgencyFollowUp(Recommendation Recommendation, FollowUpOutcome Outcome, FollowUp? Decree, int WorkingDaysTaken);

public sealed record AgencyMonevReport(
    string InstansiCode, string InstansiName, string ElectionId, DateOnly AsOf,
    IntegrityPact? Pact, SupervisionTeam? Team, AgencyCaseCounts Cases, AgencyFollowUpCounts FollowUp,
    IReadOnlyList<DutyCheck> Checklist, IReadOnlyList<AgencyFollowUp> FollowUps, string NextPageToken);

public sealed record AgencyMonevSummary(
    string InstansiCode, string InstansiName, AgencyCaseCounts Cases, AgencyFollowUpCounts FollowUp, bool PactRecorded, bool TeamRecorded);

/// <summary>
/// Monitoring and evaluation of the PPKs: records an agency's integrity pact and internal team per
/// election, and judges each agency against the SKB 2022 duties from what the registry holds.
/// </summary>
public sealed class MonevDesk(IMonevStore store, StatisticsDesk statistics, ReferenceCatalog catalog, CalendarBook calendars, BusinessClock clock)
{
    public const int DefaultFollowUpPageSize = 100;

    public async Task<IntegrityPact> RecordPactAsync(RecordIntegrityPactCommand command, string recordedBy, InstansiScope scope, CancellationToken cancellationToken)
    {
        const string prefix = "pact.";
        EnsureInScope(command.InstansiCode, prefix, scope);
        var errors = new ValidationErrors();
        await RequireAgencyAndElectionAsync(command.InstansiCode, command.ElectionId, prefix, errors, cancellationToken);
        var signedOn = Dates.PastOrToday(command.SignedOn, prefix + "signed_on", clock.Today, errors);
        var reference = Text.Required(command.DocumentReference, prefix + "document_reference", FieldLengths.Reference, errors);
        if (command.SignatoryCount < 1)
        {
            errors.Add(prefix + "signatory_count", "must be 1 or more");
        }
        if (command.AsnCount < 1)
        {
            errors.Add(prefix + "asn_count", "must be 1 or more");
        }
        else if (command.SignatoryCount > command.AsnCount)
        {
            errors.Add(prefix + "signatory_count", $"{command.SignatoryCount} signatories is more than the agency's {command.AsnCount} ASN");
        }
        errors.ThrowIfAny();

        var pact = new IntegrityPact
        {
            InstansiCode = command.InstansiCode,
            ElectionId = command.ElectionId,
            SignedOn = signedOn!.Value,
            DocumentReference = reference!,
            SignatoryCount = command.SignatoryCount,
            AsnCount = command.AsnCount,
            RecordedBy = recordedBy,
            RecordedAt = clock.UtcNow,
        };
        await store.SavePactAsync(pact, cancellationToken);
        return pact;
    }

    public async Task<SupervisionTeam> RecordTeamAsync(RecordSupervisionTeamCommand command, string recordedBy, InstansiScope scope, CancellationToken cancellationToken)
    {
        const string prefix = "team.";
        EnsureInScope(command.InstansiCode, prefix, scope);
        var errors = new ValidationErrors();
        await RequireAgencyAndElectionAsync(command.InstansiCode, command.ElectionId, prefix, errors, cancellationToken);
        var decreeNumber = Text.Required(command.DecreeNumber, prefix + "decree_number", FieldLengths.Reference, errors);
        var decreeDate = Dates.PastOrToday(command.DecreeDate, prefix + "decree_date", clock.Today, errors);
        if (command.Members.Count is 0 or > SupervisionTeam.MaxMembers)
        {
            errors.Add(prefix + "members", $"must list 1 to {SupervisionTeam.MaxMembers} members ({command.Members.Count} given)");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < command.Members.Count; i++)
        {
            var (nip, role) = command.Members[i];
            var field = $"{prefix}members[{i}]";
            if (!Nip.TryParse(nip, out _, out var nipError))
            {
                errors.Add(field + ".nip", nipError);
            }
            else if (!seen.Add(nip))
            {
                errors.Add(field + ".nip", $"{nip} is listed twice");
            }
            if (role == TeamRole.Unspecified || !Enum.IsDefined(role))
            {
                errors.Add(field + ".role", "is required: CHAIR, SECRETARY or MEMBER");
            }
        }
        var chairs = command.Members.Count(m => m.Role == TeamRole.Chair);
        if (command.Members.Count > 0 && chairs != 1)
        {
            errors.Add(prefix + "members", $"must have exactly one CHAIR ({chairs} given)");
        }
        errors.ThrowIfAny();

        var team = new SupervisionTeam
        {
            InstansiCode = command.InstansiCode,
            ElectionId = command.ElectionId,
            DecreeNumber = decreeNumber!,
            DecreeDate = decreeDate!.Value,
            Members = command.Members.Select(m => new TeamMember { Nip = m.Nip, Role = m.Role }).ToList(),
            RecordedBy = recordedBy,
            RecordedAt = clock.UtcNow,
        };
        await store.SaveTeamAsync(team, cancellationToken);
        return team;
    }

    public async Task<AgencyMonevReport> GetAsync(
        string instansiCode, string electionId, DateParts? asOf, int pageSize, string pageToken, InstansiScope scope, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Paging.CheckSize(pageSize, errors);
        var day = await ValidateAgencyRequestAsync(instansiCode, electionId, asOf, scope, errors, cancellationToken);
        // The date asked for, not today's: a token stays good past midnight when none was asked.
        var filters = $"{instansiCode}\n{electionId}\n{asOf}";
        var afterId = PageToken.Decode(pageToken, filters);
        var size = pageSize == 0 ? DefaultFollowUpPageSize : Math.Min(pageSize, Paging.MaxPageSize);
        var fetched = await store.AgencyRecommendationsAsync(instansiCode, electionId, afterId, size + 1, cancellationToken);
        var (page, next) = Paging.Cut(fetched, size, last => PageToken.Encode(last.Id, filters));
        var calendar = calendars.Current;
        return await SummaryAsync(instansiCode, electionId, day, page.Select(r => FollowUpOf(r, day, calendar)).ToArray(), next, cancellationToken);
    }

    /// <summary>The report without its follow-ups, and all of them to be read a page at a time (an export).</summary>
    public async Task<(AgencyMonevReport Report, IAsyncEnumerable<AgencyFollowUp> FollowUps)> ExportAsync(
        string instansiCode, string electionId, DateParts? asOf, InstansiScope scope, CancellationToken cancellationToken)
    {
        var day = await ValidateAgencyRequestAsync(instansiCode, electionId, asOf, scope, new ValidationErrors(), cancellationToken);
        var report = await SummaryAsync(instansiCode, electionId, day, [], "", cancellationToken);
        return (report, AllFollowUpsAsync(instansiCode, electionId, day, cancellationToken));
    }

    private async Task<DateOnly> ValidateAgencyRequestAsync(
        string instansiCode, string electionId, DateParts? asOf, InstansiScope scope, ValidationErrors errors, CancellationToken cancellationToken)
    {
        EnsureInScope(instansiCode, "", scope);
        await RequireAgencyAndElectionAsync(instansiCode, electionId, "", errors, cancellationToken);
        var day = Dates.OrToday(asOf, "as_of", clock.Today, errors);
        errors.ThrowIfAny();
        return day;
    }

    private async Task<AgencyMonevReport> SummaryAsync(
        string instansiCode, string electionId, DateOnly day, IReadOnlyList<AgencyFollowUp> followUps, string nextPageToken, CancellationToken cancellationToken)
    {
        // The request's checks caught the index up (the agency had to be known).
        var cells = statistics.Agencies(electionId, instansiCode, "", day);
        var pact = await store.FindPactAsync(instansiCode, electionId, cancellationToken);
        var team = await store.FindTeamAsync(instansiCode, electionId, cancellationToken);
        var (cases, followUp) = Count(cells);
        return new AgencyMonevReport(
            instansiCode, statistics.AgencyName(instansiCode) ?? "", electionId, day, pact, team, cases, followUp,
            Checklist(pact, team, followUp), followUps, nextPageToken);
    }

    /// <summary>
    /// Every recommendation's follow-up for the agency and election, read a page at a time, so that
    /// an export of the largest agency holds one page in memory.
    /// </summary>
    private async IAsyncEnumerable<AgencyFollowUp> AllFollowUpsAsync(
        string instansiCode, string electionId, DateOnly asOf, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var calendar = calendars.Current;
        string? afterId = null;
        while (true)
        {
            var page = await store.AgencyRecommendationsAsync(instansiCode, electionId, afterId, Paging.MaxPageSize, cancellationToken);
            foreach (var recommendation in page)
            {
                yield return FollowUpOf(recommendation, asOf, calendar);
            }
            if (page.Count < Paging.MaxPageSize)
            {
                yield break;
            }
            afterId = page[^1].Id;
        }
    }

    public async Task<(IReadOnlyList<AgencyMonevSummary> Agencies, string NextPageToken, int TotalSize, DateOnly AsOf)> ListAsync(
        string electionId, string provinceCode, DateParts? asOf, int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CatalogCodes.Election(catalog, electionId, "election_id", required: true, errors);
        CatalogCodes.Province(catalog, provinceCode, "province_code", required: false, errors);
        var day = Dates.OrToday(asOf, "as_of", clock.Today, errors);
        Paging.CheckSize(pageSize, errors);
        errors.ThrowIfAny();
        var filters = $"{electionId}\n{provinceCode}\n{asOf}";
        var offset = PageToken.DecodeOffset(pageToken, filters);

        var cells = await statistics.AgenciesAsync(electionId, "", provinceCode, day, cancellationToken);
        var (pacts, teams) = await store.RecordedAgenciesAsync(electionId, cancellationToken);
        // Agencies with cases or recommendations in the election, and (without a province filter, as
        // a record has no place) those that recorded a pact or a team only.
        var codes = cells.Cases.Select(c => c.InstansiCode).Concat(cells.FollowUps.Select(f => f.PpkInstansiCode))
            .Concat(provinceCode.Length == 0 ? pacts.Concat(teams) : [])
            .ToHashSet(StringComparer.Ordinal);
        var casesOf = cells.Cases.ToLookup(c => c.InstansiCode, StringComparer.Ordinal);
        var followUpsOf = cells.FollowUps.ToLookup(f => f.PpkInstansiCode, StringComparer.Ordinal);
        var ranked = codes.Select(code =>
            {
                var (cases, followUp) = Count(new AgencyCells(casesOf[code].ToArray(), followUpsOf[code].ToArray()));
                return new AgencyMonevSummary(code, statistics.AgencyName(code) ?? "", cases, followUp, pacts.Contains(code), teams.Contains(code));
            })
            .OrderByDescending(a => a.FollowUp.Failing)
            .ThenByDescending(a => a.FollowUp.Recommendations)
            .ThenBy(a => a.InstansiCode, StringComparer.Ordinal)
            .ToArray();
        var size = Paging.SizeOf(pageSize);
        var page = ranked.Skip(offset).Take(size).ToArray();
        var next = offset + size < ranked.Length ? PageToken.EncodeOffset(offset + size, filters) : "";
        return (page, next, ranked.Length, day);
    }

    /// <summary>The checklist: what the records and the follow-ups show for each duty; the rest has no record here.</summary>
    public static IReadOnlyList<DutyCheck> Checklist(IntegrityPact? pact, SupervisionTeam? team, AgencyFollowUpCounts followUp)
    {
        const string noRecord = "The gateway holds no record of this duty; the Satgas checks it from the agency's report.";
        return
        [
            new(PpkDuty.Socialisation, DutyStatus.NoData, noRecord),
            pact is null
                ? new(PpkDuty.IntegrityPact, DutyStatus.NoData, "No integrity pact recorded for this election.")
                : new(PpkDuty.IntegrityPact, pact.SignedByAll ? DutyStatus.Met : DutyStatus.NotMet,
                    $"Signed {pact.SignedOn:yyyy-MM-dd} ({pact.DocumentReference}) by {pact.SignatoryCount} of {pact.AsnCount} ASN " +
                    $"({StatisticsDesk.Percent(pact.SignatoryCount, pact.AsnCount):0.0} %)."),
            team is null
                ? new(PpkDuty.InternalTeam, DutyStatus.NoData, "No internal supervision team recorded for this election.")
                : new(PpkDuty.InternalTeam, DutyStatus.Met,
                    $"Formed by decree {team.DecreeNumber} of {team.DecreeDate:yyyy-MM-dd}: {team.Members.Count} members."),
            new(PpkDuty.VulnerabilityMapping, DutyStatus.NoData, noRecord),
            FollowUpDuty(followUp),
            new(PpkDuty.BehaviourMonev, DutyStatus.NoData, noRecord),
            new(PpkDuty.ComplaintChannel, DutyStatus.NoData, noRecord),
            new(PpkDuty.ReportToSatgas, DutyStatus.NoData, noRecord),
        ];
    }

    private static DutyCheck FollowUpDuty(AgencyFollowUpCounts f)
    {
        if (f.Recommendations == 0)
        {
            return new(PpkDuty.FollowUpRecommendations, DutyStatus.NoData, "No recommendation on the agency's cases in this election.");
        }
        if (f.Due == 0)
        {
            return new(PpkDuty.FollowUpRecommendations, DutyStatus.NoData, $"{f.Awaiting} recommendations, none due yet.");
        }
        var status = f.Unanswered + f.Lighter + f.Late == 0 ? DutyStatus.Met : DutyStatus.NotMet;
        return new(PpkDuty.FollowUpRecommendations, status,
            $"Of {f.Due} recommendations due: {f.OnTime} complied on time, {f.Late} late, {f.Lighter} with a lighter sanction, " +
            $"{f.Unanswered} unanswered past the deadline; {f.Blocked} ASN blocked now." + (f.Awaiting > 0 ? $" {f.Awaiting} not yet due." : ""));
    }

    /// <summary>Case counts (of the agency's ASN) and follow-up counts (of the recommendations addressed to its PPK) of one agency.</summary>
    public static (AgencyCaseCounts Cases, AgencyFollowUpCounts FollowUp) Count(AgencyCells cells)
    {
        int Cases(Func<AgencyCaseCell, bool> where) => cells.Cases.Where(where).Sum(c => c.Count);
        int FollowUps(Func<AgencyFollowUpCell, bool> where) => cells.FollowUps.Where(where).Sum(c => c.Count);
        var cases = new AgencyCaseCounts(
            Cases(_ => true), Cases(c => c.Status == CaseStatus.UnderExamination), Cases(c => CaseFacts.IsProvenStatus(c.Status)),
            Cases(c => c.Status == CaseStatus.NotProven), Cases(c => c.Status == CaseStatus.Sanctioned));
        var followUp = new AgencyFollowUpCounts(
            FollowUps(_ => true),
            FollowUps(c => c.FollowUp == FollowUpOutcome.OnTime),
            FollowUps(c => c.FollowUp == FollowUpOutcome.Late),
            FollowUps(c => c.FollowUp == FollowUpOutcome.Lighter),
            FollowUps(c => c.FollowUp == FollowUpOutcome.Unspecified && c.DueBefore),
            FollowUps(c => c.FollowUp == FollowUpOutcome.Unspecified && !c.DueBefore),
            FollowUps(c => c.Escalation == EscalationStage.Warned),
            FollowUps(c => c.Escalation == EscalationStage.Reprimanded),
            FollowUps(c => c.Escalation == EscalationStage.Blocked),
            FollowUps(c => c.Escalation == EscalationStage.Released));
        return (cases, followUp);
    }

    /// <summary>A recommendation's outcome on <paramref name="asOf"/>, and the working days its PPK took (or has taken so far).</summary>
    public static AgencyFollowUp FollowUpOf(Recommendation recommendation, DateOnly asOf, WorkingDayCalendar calendar)
    {
        var decree = recommendation.FollowUps.FirstOrDefault(f => f.Compliant)
            ?? recommendation.FollowUps.OrderBy(f => f.RecordedAt).LastOrDefault();
        var outcome = CaseFacts.DecreeOutcomeOf(recommendation) switch
        {
            FollowUpOutcome.Unspecified => asOf > recommendation.DueOn ? FollowUpOutcome.Unanswered : FollowUpOutcome.Awaiting,
            var decided => decided,
        };
        var until = decree?.DecreeDate ?? asOf;
        return new AgencyFollowUp(recommendation, outcome, decree, Math.Max(0, calendar.WorkingDaysBetween(recommendation.IssuedOn, until)));
    }

    /// <summary>Another agency's code is refused before anything is looked up, so that a PPK learns nothing of it; an empty one is left to the field checks.</summary>
    private static void EnsureInScope(string instansiCode, string prefix, InstansiScope scope)
    {
        if (!string.IsNullOrEmpty(instansiCode))
        {
            scope.Ensure(instansiCode, $"{prefix}instansi_code {instansiCode}");
        }
    }

    private async Task RequireAgencyAndElectionAsync(string instansiCode, string electionId, string prefix, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(instansiCode))
        {
            errors.Add(prefix + "instansi_code", "is required");
        }
        else if (instansiCode.Length > FieldLengths.Code || !await statistics.IsKnownInstansiAsync(instansiCode, cancellationToken))
        {
            errors.Add(prefix + "instansi_code", $"'{Text.Shorten(instansiCode)}' names no agency of the catalog or of the registry");
        }
        CatalogCodes.Election(catalog, electionId, prefix + "election_id", required: true, errors);
    }
}
