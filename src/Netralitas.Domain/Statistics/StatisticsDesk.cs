using Netralitas.Domain.Cases;

namespace Netralitas.Domain.Statistics;

public sealed record FunnelStageCount(FunnelStage Stage, long Count, FunnelStage OfStage, double Percent);

public sealed record FunnelReport(StatisticsFilter Filter, IReadOnlyList<FunnelStageCount> Stages);

public sealed record BreakdownRow(string Key, string Label, long Count, double Percent);

public sealed record BreakdownReport(
    StatisticsFilter Filter, Dimension Dimension, Population Population, long PopulationCount, IReadOnlyList<BreakdownRow> Rows, long OthersCount);

public sealed record TimeSeriesPoint(DateOnly PeriodStart, long Acts, long Filed, long Decided, long Proven);

public sealed record TimeSeriesReport(StatisticsFilter Filter, Granularity Granularity, IReadOnlyList<TimeSeriesPoint> Points);

/// <summary>Every figure for one filter: the funnel, each dimension of the reported and of the proven, the monthly series.</summary>
public sealed record StatisticsReport(
    StatisticsFilter Filter, IReadOnlyList<FunnelStageCount> Funnel, IReadOnlyList<BreakdownReport> Breakdowns, TimeSeriesReport Monthly);

/// <summary>
/// The national figures: validates a filter (a PPK's narrowed to its agency), brings the in-memory
/// index up to every committed write, counts over it, and turns the counts into the seed's tables:
/// stages with the share of the stage they are drawn from, breakdowns with the share of their
/// population, series with empty periods filled in.
/// </summary>
public sealed class StatisticsDesk(StatisticsIndex index, IRegistryCatchUp catchUp, ReferenceCatalog catalog, BusinessClock clock)
{
    public const int DefaultTopN = 10;
    public const int MaxTopN = 1000;

    /// <summary>No figure is asked for before the first election of the Reformasi era.</summary>
    public static readonly DateOnly EarliestDate = new(1999, 1, 1);

    private const string FilterPrefix = "filter.";

    public async Task<FunnelReport> FunnelAsync(StatisticsFilter filter, InstansiScope scope, CancellationToken cancellationToken)
    {
        var (narrowed, query) = await ValidateAsync(filter, scope, new ValidationErrors(), cancellationToken);
        return new FunnelReport(narrowed, Funnel(index.Funnel(query, clock.Today)));
    }

    public async Task<BreakdownReport> BreakdownAsync(
        StatisticsFilter filter, Dimension dimension, Population population, int topN, InstansiScope scope, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (dimension == Dimension.Unspecified || !Enum.IsDefined(dimension))
        {
            errors.Add("dimension", "is required: CATEGORY, POSITION_KIND, PERIOD, AGE_BAND, INSTANSI, PROVINCE, ELECTION or SOURCE");
        }
        if (!Enum.IsDefined(population))
        {
            errors.Add("population", "is not a known population: REPORTED or PROVEN");
        }
        if (topN is < 0 or > MaxTopN)
        {
            errors.Add("top_n", $"must be between 1 and {MaxTopN} (0 for {DefaultTopN})");
        }
        var (narrowed, query) = await ValidateAsync(filter, scope, errors, cancellationToken);
        population = population == Population.Unspecified ? Population.Reported : population;
        return Breakdown(narrowed, dimension, population, index.Breakdown(query, dimension, population), topN == 0 ? DefaultTopN : topN);
    }

    public async Task<TimeSeriesReport> TimeSeriesAsync(
        StatisticsFilter filter, Granularity granularity, InstansiScope scope, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Enum.IsDefined(granularity))
        {
            errors.Add("granularity", "is not a known granularity: WEEK or MONTH");
        }
        var (narrowed, query) = await ValidateAsync(filter, scope, errors, cancellationToken);
        granularity = granularity == Granularity.Unspecified ? Granularity.Month : granularity;
        return new TimeSeriesReport(narrowed, granularity, Bucket(index.Daily(query), granularity));
    }

    /// <summary>Every figure for the filter (an export): agencies up to <see cref="MaxTopN"/>, the rest summed.</summary>
    public async Task<StatisticsReport> ReportAsync(StatisticsFilter filter, InstansiScope scope, CancellationToken cancellationToken)
    {
        var (narrowed, query) = await ValidateAsync(filter, scope, new ValidationErrors(), cancellationToken);
        // Every table from one state of the index, so that the file's figures add up with each other.
        var (funnel, breakdowns, monthly) = index.Snapshot(() =>
        {
            var tables = new List<BreakdownReport>();
            foreach (var population in (Population[])[Population.Reported, Population.Proven])
            {
                foreach (var dimension in Enum.GetValues<Dimension>().Where(d => d != Dimension.Unspecified))
                {
                    tables.Add(Breakdown(narrowed, dimension, population, index.Breakdown(query, dimension, population), MaxTopN));
                }
            }
            return (Funnel(index.Funnel(query, clock.Today)), tables, Bucket(index.Daily(query), Granularity.Month));
        });
        return new StatisticsReport(narrowed, funnel, breakdowns, new TimeSeriesReport(narrowed, Granularity.Month, monthly));
    }

    /// <summary>The stages from the counts per funnel position; each stage's share is of the stage it is drawn from.</summary>
    public static IReadOnlyList<FunnelStageCount> Funnel(IReadOnlyList<FunnelCell> cells)
    {
        long Count(Func<FunnelCell, bool> where) => cells.Where(where).Sum(c => c.Count);
        var recommended = cells.Where(c => c.Recommended).ToArray();
        var escalated = recommended.Where(c => c.Escalation is EscalationStage.Warned or EscalationStage.Reprimanded
            or EscalationStage.Blocked or EscalationStage.Released).ToArray();
        var counts = new Dictionary<FunnelStage, long>
        {
            [FunnelStage.Reported] = Count(_ => true),
            [FunnelStage.Proven] = Count(c => CaseFacts.IsProvenStatus(c.Status)),
            [FunnelStage.NotProven] = Count(c => c.Status == CaseStatus.NotProven),
            [FunnelStage.UnderExamination] = Count(c => c.Status == CaseStatus.UnderExamination),
            [FunnelStage.Recommended] = recommended.Sum(c => c.Count),
            [FunnelStage.FollowedUp] = recommended.Where(c => c.FollowUp != FollowUpOutcome.Unspecified).Sum(c => c.Count),
            [FunnelStage.FollowedUpOnTime] = recommended.Where(c => c.FollowUp == FollowUpOutcome.OnTime).Sum(c => c.Count),
            [FunnelStage.FollowedUpLate] = recommended.Where(c => c.FollowUp == FollowUpOutcome.Late).Sum(c => c.Count),
            [FunnelStage.FollowedUpLighter] = recommended.Where(c => c.FollowUp == FollowUpOutcome.Lighter).Sum(c => c.Count),
            [FunnelStage.Unanswered] = recommended.Where(c => c.FollowUp == FollowUpOutcome.Unspecified && c.DueBefore).Sum(c => c.Count),
            [FunnelStage.Awaiting] = recommended.Where(c => c.FollowUp == FollowUpOutcome.Unspecified && !c.DueBefore).Sum(c => c.Count),
            [FunnelStage.Escalated] = escalated.Sum(c => c.Count),
            [FunnelStage.Warned] = escalated.Where(c => c.Escalation == EscalationStage.Warned).Sum(c => c.Count),
            [FunnelStage.Reprimanded] = escalated.Where(c => c.Escalation == EscalationStage.Reprimanded).Sum(c => c.Count),
            [FunnelStage.Blocked] = escalated.Where(c => c.Escalation == EscalationStage.Blocked).Sum(c => c.Count),
            [FunnelStage.Released] = escalated.Where(c => c.Escalation == EscalationStage.Released).Sum(c => c.Count),
        };
        return Enum.GetValues<FunnelStage>().Where(s => s != FunnelStage.Unspecified).Select(stage =>
        {
            var of = BaseOf(stage);
            return new FunnelStageCount(stage, counts[stage], of, of == FunnelStage.Unspecified ? 100 : Percent(counts[stage], counts[of]));
        }).ToArray();
    }

    /// <summary>The stage a stage's share is taken of (the seed: proven of reported; followed up of the recommended, which are all the proven there).</summary>
    public static FunnelStage BaseOf(FunnelStage stage) => stage switch
    {
        FunnelStage.Reported => FunnelStage.Unspecified,
        FunnelStage.Proven or FunnelStage.NotProven or FunnelStage.UnderExamination => FunnelStage.Reported,
        FunnelStage.Recommended => FunnelStage.Proven,
        FunnelStage.FollowedUp or FunnelStage.Unanswered or FunnelStage.Awaiting or FunnelStage.Escalated => FunnelStage.Recommended,
        FunnelStage.FollowedUpOnTime or FunnelStage.FollowedUpLate or FunnelStage.FollowedUpLighter => FunnelStage.FollowedUp,
        _ => FunnelStage.Escalated,
    };

    /// <summary>A share in percent, one decimal, halves away from zero (as the seed prints 78.5 % for 1,596 of 2,034).</summary>
    public static double Percent(long count, long of) =>
        of == 0 ? 0 : Math.Round(count * 100.0 / of, 1, MidpointRounding.AwayFromZero);

    private BreakdownReport Breakdown(
        StatisticsFilter filter, Dimension dimension, Population population, IReadOnlyList<KeyCount> counts, int topN)
    {
        var total = counts.Sum(c => c.Count);
        var rows = ClosedValues(dimension) is { } closed
            ? closed.Select(v => (Key: v.Key, Label: v.Label, Count: counts.FirstOrDefault(c => c.Key == v.Stored)?.Count ?? 0))
            : counts.Select(c => (Key: c.Key, Label: LabelOf(dimension, c), c.Count));
        var ordered = rows.OrderByDescending(r => r.Count).ThenBy(r => r.Key, StringComparer.Ordinal).ToArray();
        var shown = dimension == Dimension.Instansi ? ordered.Take(topN).ToArray() : ordered;
        return new BreakdownReport(filter, dimension, population, total,
            shown.Select(r => new BreakdownRow(r.Key, r.Label, r.Count, Percent(r.Count, total))).ToArray(),
            total - shown.Sum(r => r.Count));
    }

    private string LabelOf(Dimension dimension, KeyCount count) => dimension switch
    {
        Dimension.Category => catalog.FindViolation(count.Key)?.DescriptionEn ?? count.Key,
        Dimension.Province => catalog.FindProvince(count.Key)?.Name ?? count.Key,
        Dimension.Election => catalog.FindElection(count.Key)?.DisplayName ?? count.Key,
        _ => count.Label,
    };

    /// <summary>The values of a closed dimension, each listed even with no cases: key, label, and the store's key.</summary>
    private static IReadOnlyList<(string Key, string Label, string Stored)>? ClosedValues(Dimension dimension) => dimension switch
    {
        Dimension.PositionKind => EnumValues<PositionKind>("POSITION_KIND_", kind => kind switch
        {
            PositionKind.Unspecified => "Not stated",
            PositionKind.Jpt => "JPT",
            _ => kind.ToString(),
        }),
        Dimension.Period => EnumValues<Period>("PERIOD_", period => period switch
        {
            Period.BeforeCampaign => "Before the campaign",
            Period.DuringCampaign => "During the campaign",
            Period.AfterCampaign => "After the campaign",
            _ => "Unknown",
        }),
        Dimension.Source => EnumValues<ReportSource>("REPORT_SOURCE_", source => source switch
        {
            ReportSource.Public => "Public",
            ReportSource.Unspecified => "Not stated",
            _ => source.ToString(),
        }),
        Dimension.AgeBand =>
        [
            ("AGE_BAND_UP_TO_30", "30 or younger", Stored(AgeBand.UpTo30)),
            ("AGE_BAND_31_TO_40", "31-40", Stored(AgeBand.From31To40)),
            ("AGE_BAND_41_TO_50", "41-50", Stored(AgeBand.From41To50)),
            ("AGE_BAND_51_AND_OVER", "51 or older", Stored(AgeBand.From51)),
            ("AGE_BAND_UNKNOWN", "Unknown", Stored(AgeBand.Unknown)),
        ],
        _ => null,
    };

    public static string Stored<T>(T value) where T : struct, Enum => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
        .ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static (string Key, string Label, string Stored)[] EnumValues<T>(string prefix, Func<T, string> label) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (prefix + UpperSnake(v.ToString()), label(v), Stored(v))).ToArray();

    private static string UpperSnake(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    private static IReadOnlyList<TimeSeriesPoint> Bucket(DailySeries series, Granularity granularity)
    {
        var days = series.Acts.Concat(series.Filed).Concat(series.Decided).Select(d => d.Day).ToArray();
        if (days.Length == 0)
        {
            return [];
        }
        DateOnly StartOf(int day)
        {
            var date = DateOnly.FromDayNumber(day);
            return granularity == Granularity.Week
                ? date.AddDays(-(((int)date.DayOfWeek + 6) % 7))
                : new DateOnly(date.Year, date.Month, 1);
        }
        var points = new SortedDictionary<DateOnly, long[]>();
        for (var start = StartOf(days.Min()); start <= StartOf(days.Max());
             start = granularity == Granularity.Week ? start.AddDays(7) : start.AddMonths(1))
        {
            points[start] = new long[4];
        }
        void Add(IReadOnlyList<DayCount> counts, int column)
        {
            foreach (var count in counts)
            {
                points[StartOf(count.Day)][column] += count.Count;
            }
        }
        Add(series.Acts, 0);
        Add(series.Filed, 1);
        Add(series.Decided, 2);
        Add(series.Proven, 3);
        return points.Select(p => new TimeSeriesPoint(p.Key, p.Value[0], p.Value[1], p.Value[2], p.Value[3])).ToArray();
    }

    /// <summary>Checks every field of the filter; a PPK's agency filter is narrowed to its own.</summary>
    public async Task<(StatisticsFilter Filter, StatisticsQuery Query)> ValidateAsync(
        StatisticsFilter filter, InstansiScope scope, ValidationErrors errors, CancellationToken cancellationToken)
    {
        filter = filter with { InstansiCode = scope.Filter(filter.InstansiCode, FilterPrefix + "instansi_code") };
        // Read your writes, and every other replica's: whatever committed before this call is counted.
        await catchUp.CatchUpAsync(cancellationToken);
        CatalogCodes.Election(catalog, filter.ElectionId, FilterPrefix + "election_id", required: false, errors);
        CatalogCodes.Province(catalog, filter.ProvinceCode, FilterPrefix + "province_code", required: false, errors);
        if (filter.InstansiCode.Length > 0 && !IsKnownInstansi(filter.InstansiCode))
        {
            errors.Add(FilterPrefix + "instansi_code", $"'{Text.Shorten(filter.InstansiCode)}' names no agency of the catalog or of the registry");
        }
        if (!Enum.IsDefined(filter.Source))
        {
            errors.Add(FilterPrefix + "source", "is not a known report source");
        }
        var (actFrom, actTo) = Range(filter.ActDateFrom, filter.ActDateTo, "act_date", errors);
        var (filedFrom, filedTo) = Range(filter.FiledFrom, filter.FiledTo, "filed", errors);
        errors.ThrowIfAny();
        return (filter, new StatisticsQuery(filter.ElectionId, actFrom, actTo, filedFrom, filedTo, filter.ProvinceCode, filter.InstansiCode, filter.Source));
    }

    /// <summary>The cases and follow-ups of an election per agency (see <see cref="StatisticsIndex.Agencies"/>), every committed write counted.</summary>
    public async Task<AgencyCells> AgenciesAsync(string electionId, string instansiCode, string provinceCode, DateOnly asOf, CancellationToken cancellationToken)
    {
        await catchUp.CatchUpAsync(cancellationToken);
        return Agencies(electionId, instansiCode, provinceCode, asOf);
    }

    /// <summary>The same, as the index holds them now (right after a catch-up, e.g. <see cref="IsKnownInstansiAsync"/>).</summary>
    public AgencyCells Agencies(string electionId, string instansiCode, string provinceCode, DateOnly asOf) =>
        index.Agencies(electionId, instansiCode, provinceCode, asOf);

    /// <summary>An agency the statistics may be asked about: in the catalog, or named by a case (as the index holds them now).</summary>
    public bool IsKnownInstansi(string code) => AgencyName(code) is not null;

    /// <summary>Whether the agency is known, every committed case counted.</summary>
    public async Task<bool> IsKnownInstansiAsync(string code, CancellationToken cancellationToken)
    {
        await catchUp.CatchUpAsync(cancellationToken);
        return IsKnownInstansi(code);
    }

    /// <summary>The agency's name in the catalog, else as the registry's cases give it; null when neither knows it.</summary>
    public string? AgencyName(string code) => catalog.FindAgency(code)?.Name ?? index.AgencyName(code);

    private (int? From, int? To) Range(DateParts? from, DateParts? to, string name, ValidationErrors errors)
    {
        var fromDay = Bound(from, $"{FilterPrefix}{name}_from", errors);
        var toDay = Bound(to, $"{FilterPrefix}{name}_to", errors);
        if (fromDay > toDay)
        {
            errors.Add($"{FilterPrefix}{name}_from", $"{from} is after {name}_to ({to}): the range is inverted");
        }
        return (fromDay, toDay);
    }

    private int? Bound(DateParts? parts, string field, ValidationErrors errors)
    {
        if (parts is not { } given)
        {
            return null;
        }
        if (!given.TryToDate(out var date))
        {
            errors.Add(field, $"{given} is not a real date");
            return null;
        }
        if (date < EarliestDate || date > clock.Today)
        {
            errors.Add(field, $"{date:yyyy-MM-dd} is outside {EarliestDate:yyyy-MM-dd} to today ({clock.Today:yyyy-MM-dd})");
            return null;
        }
        return date.DayNumber;
    }
}
