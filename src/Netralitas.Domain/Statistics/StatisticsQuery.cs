using Netralitas.Domain.Cases;

namespace Netralitas.Domain.Statistics;

// Mirrors of the netralitas.v1 statistics enums.

public enum FunnelStage
{
    Unspecified = 0, Reported = 1, Proven = 2, NotProven = 3, UnderExamination = 4, Recommended = 5,
    FollowedUp = 6, FollowedUpOnTime = 7, FollowedUpLate = 8, FollowedUpLighter = 9, Unanswered = 10,
    Escalated = 11, Warned = 12, Reprimanded = 13, Blocked = 14, Released = 15, Awaiting = 16,
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

/// <summary>How many cases stand at each combination of funnel positions ("due before": the due date has passed): one row per combination.</summary>
public sealed record FunnelCell(CaseStatus Status, bool Recommended, FollowUpOutcome FollowUp, bool DueBefore, EscalationStage Escalation, long Count);

public sealed record KeyCount(string Key, string Label, long Count);

/// <summary>Cases counted per day, of one date kind.</summary>
public sealed record DayCount(int Day, long Count);

public sealed record DailySeries(IReadOnlyList<DayCount> Acts, IReadOnlyList<DayCount> Filed, IReadOnlyList<DayCount> Decided, IReadOnlyList<DayCount> Proven);

/// <summary>Where the statistics' facts are kept: read whole at start, by NIP when the change log names them.</summary>
public interface IStatisticsStore
{
    /// <summary>Every case's facts, streamed.</summary>
    IAsyncEnumerable<CaseFacts> AllFactsAsync(CancellationToken cancellationToken);

    /// <summary>The facts of every case of these NIPs.</summary>
    Task<IReadOnlyList<CaseFacts>> FactsOfNipsAsync(IReadOnlyCollection<string> nips, CancellationToken cancellationToken);

    /// <summary>Writes the facts of cases that have none (a database from before the statistics); returns how many.</summary>
    Task<int> BackfillAsync(CancellationToken cancellationToken);
}

/// <summary>Brings this replica's in-memory indexes up to every write committed so far (on any replica).</summary>
public interface IRegistryCatchUp
{
    Task CatchUpAsync(CancellationToken cancellationToken);
}

/// <summary>Loads and refreshes the <see cref="StatisticsIndex"/> from the store.</summary>
public static class StatisticsIndexLoading
{
    public const int MaxNipsPerRead = 1_000;

    public static async Task<int> LoadAsync(this StatisticsIndex index, IStatisticsStore store, CancellationToken cancellationToken)
    {
        index.Clear();
        var loaded = 0;
        await foreach (var batch in store.AllFactsAsync(cancellationToken).Chunk(10_000).WithCancellation(cancellationToken))
        {
            index.Apply(batch);
            loaded += batch.Length;
        }
        return loaded;
    }

    public static async Task RefreshFromAsync(this StatisticsIndex index, IStatisticsStore store, IEnumerable<string> nips, CancellationToken cancellationToken)
    {
        foreach (var batch in nips.Distinct(StringComparer.Ordinal).Chunk(MaxNipsPerRead))
        {
            index.Apply(await store.FactsOfNipsAsync(batch, cancellationToken));
        }
    }
}
