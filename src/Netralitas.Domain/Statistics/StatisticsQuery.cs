using Netralitas.Domain.Cases;

namespace Netralitas.Domain.Statistics;

// Mirrors of the netralitas.v1 statistics enums.

public enum FunnelStage
{
    Unspecified = 0, Reported = 1, Proven = 2, NotProven = 3, UnderExamination = 4, Recommended = 5,
    FollowedUp = 6, FollowedUpOnTime = 7, FollowedUpLate = 8, FollowedUpLighter = 9, Unanswered = 10,
    Escalated = 11, Warned = 12, Reprimanded = 13, Blocked = 14, Released = 15,
}

public enum Population { Unspecified = 0, Reported = 1, Proven = 2 }

public enum Dimension { Unspecified = 0, Category = 1, PositionKind = 2, Period = 3, AgeBand = 4, Instansi = 5, Province = 6, Election = 7, Source = 8 }

public enum Granularity { Unspecified = 0, Week = 1, Month = 2 }

/// <summary>The filter as a caller sends it; empty, Unspecified and null mean "any".</summary>
public sealed record StatisticsFilter(
    string ElectionId,
    DateParts? ActDateFrom,
    DateParts? ActDateTo,
    DateParts? FiledFrom,
    DateParts? FiledTo,
    string ProvinceCode,
    string InstansiCode,
    ReportSource Source)
{
    public static StatisticsFilter None { get; } = new("", null, null, null, null, "", "", ReportSource.Unspecified);
}

/// <summary>A validated filter, dates as day numbers (inclusive bounds).</summary>
public sealed record StatisticsQuery(
    string ElectionId,
    int? ActFromDay,
    int? ActToDay,
    int? FiledFromDay,
    int? FiledToDay,
    string ProvinceCode,
    string InstansiCode,
    ReportSource Source);

/// <summary>How many cases stand at each combination of funnel positions: one row per combination.</summary>
public sealed record FunnelCell(CaseStatus Status, bool Recommended, FollowUpOutcome FollowUp, EscalationStage Escalation, long Count);

public sealed record KeyCount(string Key, string Label, long Count);

/// <summary>Cases counted per day, of one date kind.</summary>
public sealed record DayCount(int Day, long Count);

public sealed record DailySeries(IReadOnlyList<DayCount> Acts, IReadOnlyList<DayCount> Filed, IReadOnlyList<DayCount> Decided, IReadOnlyList<DayCount> Proven);

public interface IStatisticsStore
{
    Task<IReadOnlyList<FunnelCell>> FunnelAsync(StatisticsQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Cases of the population counted by one dimension; the key is the stored value (enum number as
    /// text for the closed dimensions), the label the agency name for INSTANSI and empty otherwise.
    /// </summary>
    Task<IReadOnlyList<KeyCount>> BreakdownAsync(StatisticsQuery query, Dimension dimension, Population population, CancellationToken cancellationToken);

    Task<DailySeries> DailySeriesAsync(StatisticsQuery query, CancellationToken cancellationToken);

    /// <summary>The name the registry's cases give the agency, or null when no case names it.</summary>
    Task<string?> InstansiNameAsync(string instansiCode, CancellationToken cancellationToken);

    /// <summary>Writes the facts of cases that have none (a database from before the statistics); returns how many.</summary>
    Task<int> BackfillAsync(CancellationToken cancellationToken);
}
