namespace Netralitas.Domain.Cases;

/// <summary>A calendar date as the caller sent it; not yet known to be real.</summary>
public readonly record struct DateParts(int Year, int Month, int Day)
{
    public bool TryToDate(out DateOnly date)
    {
        date = default;
        if (Year is < 1 or > 9999 || Month is < 1 or > 12 || Day < 1 || Day > DateTime.DaysInMonth(Year, Month))
        {
            return false;
        }
        date = new DateOnly(Year, Month, Day);
        return true;
    }

    public override string ToString() => $"{Year:D4}-{Month:D2}-{Day:D2}";
}

/// <summary>A report to file, as received. <see cref="CaseIntake"/> validates it.</summary>
public sealed record FileCaseCommand(
    string Nip,
    string ReportedName,
    string InstansiCode,
    string InstansiName,
    PositionKind PositionKind,
    string PositionTitle,
    string ElectionId,
    string ViolationCode,
    DateParts? ActDate,
    string ProvinceCode,
    string Regency,
    ReportSource Source,
    string SourceReference,
    IReadOnlyList<string> EvidenceReferences,
    string RequestId);

/// <summary>An examination outcome to record.</summary>
public sealed record DecideCaseCommand(
    string Name,
    Outcome Outcome,
    string DecisionReference,
    DateParts? DecidedOn,
    string Note,
    string Etag);

/// <summary>Filters of ListCases; empty strings and Unspecified mean "any".</summary>
public sealed record CaseFilter(
    string Nip,
    string InstansiCode,
    CaseStatus Status,
    string ElectionId,
    string ProvinceCode);
