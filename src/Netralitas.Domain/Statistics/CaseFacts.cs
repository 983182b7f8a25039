using Netralitas.Domain.Cases;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Statistics;

/// <summary>How a recommendation's follow-up stands by its decrees (the due date decides unanswered vs awaiting).</summary>
public enum FollowUpOutcome { Unspecified = 0, OnTime = 1, Late = 2, Lighter = 3, Unanswered = 4, Awaiting = 5 }

/// <summary>
/// One case as the statistics count it: the dimensions they group by and where the case stands in
/// the funnel (dates as day numbers). Written with the case and its recommendation, in the same
/// transaction, by the data layer; derived from them only. Each replica counts over an in-memory
/// copy (<see cref="StatisticsIndex"/>) that follows the change log by NIP.
/// </summary>
public sealed class CaseFacts
{
    public required string CaseId { get; init; }
    public required string Nip { get; init; }
    public required string ElectionId { get; set; }
    public required string ProvinceCode { get; set; }
    public required string InstansiCode { get; set; }
    public required string InstansiName { get; set; }
    public required string ViolationCode { get; set; }
    public ReportSource Source { get; set; }
    public PositionKind PositionKind { get; set; }
    public Period Period { get; set; }
    public AgeBand AgeBand { get; set; }
    public int ActDay { get; set; }
    public int FiledDay { get; set; }
    public int? DecidedDay { get; set; }
    public CaseStatus Status { get; set; }

    /// <summary>The agency whose PPK the recommendation is addressed to; null while the case has none.</summary>
    public string? PpkInstansiCode { get; set; }

    /// <summary>The recommendation's letter date; null while the case has none.</summary>
    public int? RecommendedDay { get; set; }
    public int? DueDay { get; set; }

    /// <summary>OnTime, Late or Lighter once a decree is recorded; Unspecified while none is.</summary>
    public FollowUpOutcome FollowUp { get; set; }

    /// <summary>The recommendation's escalation stage; Unspecified while the case has none.</summary>
    public EscalationStage Escalation { get; set; }

    public static bool IsProvenStatus(CaseStatus status) => status is CaseStatus.Proven or CaseStatus.Sanctioned;

    public static CaseFacts Of(NeutralityCase source)
    {
        var facts = new CaseFacts
        {
            CaseId = source.Id,
            Nip = source.Nip,
            ElectionId = source.ElectionId,
            ProvinceCode = source.ProvinceCode,
            InstansiCode = source.InstansiCode,
            InstansiName = source.InstansiName,
            ViolationCode = source.ViolationCode,
        };
        facts.Apply(source);
        return facts;
    }

    public void Apply(NeutralityCase source)
    {
        ElectionId = source.ElectionId;
        ProvinceCode = source.ProvinceCode;
        InstansiCode = source.InstansiCode;
        InstansiName = source.InstansiName;
        ViolationCode = source.ViolationCode;
        Source = source.Source;
        PositionKind = source.PositionKind;
        Period = source.Period;
        AgeBand = AgeBands.Of(source.ParsedNip.BirthDate, source.ActDate);
        ActDay = source.ActDate.DayNumber;
        FiledDay = source.FiledOn.DayNumber;
        DecidedDay = source.DecidedOn?.DayNumber;
        Status = source.Status;
    }

    public void Apply(Recommendation recommendation)
    {
        PpkInstansiCode = recommendation.PpkInstansiCode;
        RecommendedDay = recommendation.IssuedOn.DayNumber;
        DueDay = recommendation.DueOn.DayNumber;
        FollowUp = DecreeOutcomeOf(recommendation);
        Escalation = recommendation.EscalationStage;
    }

    /// <summary>OnTime or Late when a decree complied, Lighter when only lighter ones exist, Unspecified without a decree.</summary>
    public static FollowUpOutcome DecreeOutcomeOf(Recommendation recommendation)
    {
        if (recommendation.FollowUps.FirstOrDefault(f => f.Compliant) is { } compliant)
        {
            return compliant.Late ? FollowUpOutcome.Late : FollowUpOutcome.OnTime;
        }
        return recommendation.FollowUps.Count > 0 ? FollowUpOutcome.Lighter : FollowUpOutcome.Unspecified;
    }
}
