using Netralitas.Domain.Monev;

namespace Netralitas.Adapters.Reports;

/// <summary>The tables of an agency's monev report: summary, checklist, every follow-up, the team.</summary>
public static class MonevTables
{
    public const string Summary = "summary";
    public const string Checklist = "checklist";
    public const string FollowUps = "follow_ups";
    public const string Team = "team";

    /// <summary>Every table's name, in the workbook's order.</summary>
    public static IReadOnlyList<string> Names { get; } = [Summary, Checklist, FollowUps, Team];

    public static IReadOnlyList<ReportTable> Of(AgencyMonevReport report, IEnumerable<AgencyFollowUp> followUps) =>
    [
        new(Summary, ["item", "value"], SummaryRows(report)),
        new(Checklist, ["duty", "status", "evidence"],
            report.Checklist.Select(c => new object?[] { StatisticsTables.Snake(c.Duty.ToString()), StatisticsTables.Snake(c.Status.ToString()), c.Evidence })),
        new(FollowUps,
            ["recommendation", "case", "nip", "letter_number", "issued_on", "due_on", "recommended_level", "outcome",
             "decree_number", "decree_date", "imposed_level", "working_days_taken", "escalation_stage"],
            followUps.Select(f => new object?[]
            {
                f.Recommendation.ResourceName, f.Recommendation.CaseName, f.Recommendation.Nip, f.Recommendation.LetterNumber,
                Day(f.Recommendation.IssuedOn), Day(f.Recommendation.DueOn), f.Recommendation.SanctionLevel.ToString(),
                StatisticsTables.Snake(f.Outcome.ToString()), f.Decree?.DecreeNumber ?? "",
                f.Decree is { } decree ? Day(decree.DecreeDate) : null, f.Decree?.ImposedLevel.ToString() ?? "",
                f.WorkingDaysTaken, StatisticsTables.Snake(f.Recommendation.EscalationStage.ToString()),
            })),
        new(Team, ["nip", "role"],
            (report.Team?.Members ?? []).Select(m => new object?[] { m.Nip, StatisticsTables.Snake(m.Role.ToString()) })),
    ];

    private static IEnumerable<object?[]> SummaryRows(AgencyMonevReport r)
    {
        yield return ["instansi_code", r.InstansiCode];
        yield return ["instansi_name", r.InstansiName];
        yield return ["election_id", r.ElectionId];
        yield return ["as_of", Day(r.AsOf)];
        yield return ["cases_reported", r.Cases.Reported];
        yield return ["cases_under_examination", r.Cases.UnderExamination];
        yield return ["cases_proven", r.Cases.Proven];
        yield return ["cases_not_proven", r.Cases.NotProven];
        yield return ["cases_sanctioned", r.Cases.Sanctioned];
        yield return ["recommendations", r.FollowUp.Recommendations];
        yield return ["followed_up_on_time", r.FollowUp.OnTime];
        yield return ["followed_up_late", r.FollowUp.Late];
        yield return ["followed_up_lighter", r.FollowUp.Lighter];
        yield return ["unanswered", r.FollowUp.Unanswered];
        yield return ["awaiting", r.FollowUp.Awaiting];
        yield return ["on_time_percent", r.FollowUp.OnTimePercent];
        yield return ["warned", r.FollowUp.Warned];
        yield return ["reprimanded", r.FollowUp.Reprimanded];
        yield return ["blocked", r.FollowUp.Blocked];
        yield return ["released", r.FollowUp.Released];
        yield return ["integrity_pact", r.Pact is { } p ? $"{p.DocumentReference}, signed {p.SignedOn:yyyy-MM-dd} by {p.SignatoryCount} of {p.AsnCount} ASN" : ""];
        yield return ["supervision_team", r.Team is { } t ? $"{t.DecreeNumber} of {t.DecreeDate:yyyy-MM-dd}, {t.Members.Count} members" : ""];
    }

    private static DateTime Day(DateOnly date) => date.ToDateTime(TimeOnly.MinValue);
}
