using Netralitas.Domain.Statistics;

namespace Netralitas.Adapters.Reports;

/// <summary>The tables of a statistics export: the funnel, each breakdown by population, the monthly series.</summary>
public static class StatisticsTables
{
    public const string Funnel = "funnel";
    public const string MonthlySeries = "time_series_month";

    /// <summary>Every table's name, in the workbook's order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        Funnel,
        .. new[] { Population.Reported, Population.Proven }.SelectMany(population =>
            Enum.GetValues<Dimension>().Where(d => d != Dimension.Unspecified).Select(dimension => NameOf(dimension, population))),
        MonthlySeries,
    ];

    public static IReadOnlyList<ReportTable> Of(StatisticsReport report)
    {
        var tables = new List<ReportTable>
        {
            new(Funnel, ["stage", "count", "of_stage", "percent"],
                report.Funnel.Select(s => new object?[] { Snake(s.Stage.ToString()), s.Count, s.OfStage == FunnelStage.Unspecified ? "" : Snake(s.OfStage.ToString()), s.Percent })),
        };
        foreach (var breakdown in report.Breakdowns)
        {
            var rows = breakdown.Rows.Select(r => new object?[] { r.Key, r.Label, r.Count, r.Percent });
            if (breakdown.OthersCount > 0)
            {
                rows = rows.Append(["OTHERS", "Other agencies", breakdown.OthersCount, StatisticsDesk.Percent(breakdown.OthersCount, breakdown.PopulationCount)]);
            }
            tables.Add(new ReportTable(NameOf(breakdown.Dimension, breakdown.Population), ["key", "label", "count", "percent"], rows));
        }
        tables.Add(new ReportTable(MonthlySeries, ["period_start", "acts", "filed", "decided", "proven"],
            report.Monthly.Points.Select(p => new object?[] { p.PeriodStart.ToDateTime(TimeOnly.MinValue), p.Acts, p.Filed, p.Decided, p.Proven })));
        return tables;
    }

    /// <summary>The sheet name of a breakdown, e.g. <c>category_proven</c>.</summary>
    public static string NameOf(Dimension dimension, Population population) =>
        $"{Snake(dimension.ToString())}_{Snake(population.ToString())}";

    internal static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
