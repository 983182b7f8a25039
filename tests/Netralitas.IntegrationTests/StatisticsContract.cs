using Grpc.Core;
using Netralitas.V1;
using static Netralitas.IntegrationTests.RecommendationSteps;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>
/// StatisticsService over real gRPC, once per database provider. Each test works on an agency code
/// of its own, so the shared database's other cases do not move its figures.
/// </summary>
public abstract class StatisticsContract(GatewayHost host)
{
    private readonly CaseService.CaseServiceClient _cases = new(host.Channel);
    private readonly RecommendationService.RecommendationServiceClient _recommendations = new(host.Channel);
    private readonly ComplianceService.ComplianceServiceClient _compliance = new(host.Channel);
    private readonly StatisticsService.StatisticsServiceClient _statistics = new(host.Channel);

    /// <summary>
    /// Six Pemilu 2024 cases of a fresh agency: four proven and recommended (one followed up on time,
    /// one late, one lighter, one never), one not proven, one still under examination; the two open
    /// recommendations warned by an escalation run. Ages at the act: 25, 35, 45, 55 (proven), 62, 70.
    /// </summary>
    internal static async Task<string> SixCasesAsync(CaseService.CaseServiceClient cases, RecommendationService.RecommendationServiceClient recommendations,
        ComplianceService.ComplianceServiceClient compliance)
    {
        var agency = $"S-{Guid.NewGuid():N}"[..20];
        var names = new List<string>();
        foreach (var (age, position, actMonth) in new[] { (25, PositionKind.Jpt, 1), (35, PositionKind.Fungsional, 1), (45, PositionKind.Fungsional, 1), (55, PositionKind.Unspecified, 1) })
        {
            var (proven, _) = await ProvenCaseAsync(cases, instansi: agency, nip: NipAged(age), position: position, actDate: new Date { Year = 2024, Month = actMonth, Day = 10 });
            names.Add((await recommendations.IssueRecommendationAsync(Issue(proven, agency))).Name);
        }
        await ProvenCaseAsync(cases, Outcome.NotProven, instansi: agency, nip: NipAged(62), actDate: new Date { Year = 2023, Month = 10, Day = 2 });
        var open = Reports.NewCase(NipAged(70), agency);
        open.ElectionId = "pemilu-2024";
        open.ActDate = new Date { Year = 2023, Month = 10, Day = 2 };
        await cases.FileCaseAsync(new FileCaseRequest { Case = open });

        await recommendations.RecordFollowUpAsync(FollowUp(names[0], SanctionLevel.HdBerat, 4, 30));
        await recommendations.RecordFollowUpAsync(FollowUp(names[1], SanctionLevel.Ptdh, 5, 7));
        await recommendations.RecordFollowUpAsync(FollowUp(names[2], SanctionLevel.HdSedang, 4, 30));
        var run = await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = agency });
        Assert.Equal(2, run.Steps.Count(s => s.Kind == FollowUpEventKind.Warned));
        return agency;
    }

    /// <summary>A NIP whose holder is <paramref name="age"/> on 10 Jan 2024 (the proven cases' act date).</summary>
    internal static string NipAged(int age)
    {
        var birth = new DateOnly(2024 - age, 1, 9);
        while (true)
        {
            var nip = Reports.NewNip();
            var candidate = $"{birth:yyyyMMdd}{birth.AddYears(20):yyyyMM}{nip[14..]}";
            if (Reports.Claim(candidate))
            {
                return candidate;
            }
        }
    }

    private static StatisticsFilter Of(string agency) => new() { InstansiCode = agency };

    [Fact]
    public async Task The_funnel_counts_each_stage_and_its_share_of_the_stage_it_comes_from()
    {
        var agency = await SixCasesAsync(_cases, _recommendations, _compliance);

        var funnel = await _statistics.GetFunnelAsync(new GetFunnelRequest { Filter = Of(agency) });

        var stages = funnel.Stages.ToDictionary(s => s.Stage);
        void Expect(FunnelStage stage, long count, FunnelStage of, double percent) =>
            Assert.Equal((count, of, percent), (stages[stage].Count, stages[stage].OfStage, stages[stage].Percent));
        Expect(FunnelStage.Reported, 6, FunnelStage.Unspecified, 100);
        Expect(FunnelStage.Proven, 4, FunnelStage.Reported, 66.7);
        Expect(FunnelStage.NotProven, 1, FunnelStage.Reported, 16.7);
        Expect(FunnelStage.UnderExamination, 1, FunnelStage.Reported, 16.7);
        Expect(FunnelStage.Recommended, 4, FunnelStage.Proven, 100);
        Expect(FunnelStage.FollowedUp, 3, FunnelStage.Recommended, 75);
        Expect(FunnelStage.FollowedUpOnTime, 1, FunnelStage.FollowedUp, 33.3);
        Expect(FunnelStage.FollowedUpLate, 1, FunnelStage.FollowedUp, 33.3);
        Expect(FunnelStage.FollowedUpLighter, 1, FunnelStage.FollowedUp, 33.3);
        Expect(FunnelStage.Unanswered, 1, FunnelStage.Recommended, 25);
        Expect(FunnelStage.Escalated, 2, FunnelStage.Recommended, 50);
        Expect(FunnelStage.Warned, 2, FunnelStage.Escalated, 100);
        Expect(FunnelStage.Blocked, 0, FunnelStage.Escalated, 0);
        Assert.Equal(agency, funnel.Filter.InstansiCode);

        // Narrowed further: the act-date range keeps the four January acts.
        var january = await _statistics.GetFunnelAsync(new GetFunnelRequest { Filter = new StatisticsFilter
        {
            InstansiCode = agency, ElectionId = "pemilu-2024",
            ActDateFrom = new Date { Year = 2024, Month = 1, Day = 1 }, ActDateTo = new Date { Year = 2024, Month = 1, Day = 31 },
        } });
        Assert.Equal(4, january.Stages.Single(s => s.Stage == FunnelStage.Reported).Count);
        var elsewhere = await _statistics.GetFunnelAsync(new GetFunnelRequest { Filter = new StatisticsFilter { InstansiCode = agency, ProvinceCode = "11" } });
        Assert.All(elsewhere.Stages, s => Assert.Equal(0, s.Count));
    }

    [Fact]
    public async Task Breakdowns_count_a_population_by_one_dimension()
    {
        var agency = await SixCasesAsync(_cases, _recommendations, _compliance);

        var ages = await _statistics.GetBreakdownAsync(new GetBreakdownRequest
            { Filter = Of(agency), Dimension = Dimension.AgeBand, Population = Population.Proven });
        Assert.Equal(4, ages.PopulationCount);
        Assert.Equal(
            [("AGE_BAND_31_TO_40", 1L, 25.0), ("AGE_BAND_41_TO_50", 1L, 25.0), ("AGE_BAND_51_AND_OVER", 1L, 25.0), ("AGE_BAND_UP_TO_30", 1L, 25.0), ("AGE_BAND_UNKNOWN", 0L, 0.0)],
            ages.Rows.Select(r => (r.Key, r.Count, r.Percent)));

        var reportedAges = await _statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = Of(agency), Dimension = Dimension.AgeBand });
        Assert.Equal(Population.Reported, reportedAges.Population);
        Assert.Equal(3, reportedAges.Rows.Single(r => r.Key == "AGE_BAND_51_AND_OVER").Count);

        var positions = await _statistics.GetBreakdownAsync(new GetBreakdownRequest
            { Filter = Of(agency), Dimension = Dimension.PositionKind, Population = Population.Proven });
        Assert.Equal(("POSITION_KIND_FUNGSIONAL", "Fungsional", 2L, 50.0), positions.Rows.Select(r => (r.Key, r.Label, r.Count, r.Percent)).First());
        Assert.Equal(6, positions.Rows.Count); // every kind, with no cases too
        Assert.Equal(1, positions.Rows.Single(r => r.Key == "POSITION_KIND_UNSPECIFIED").Count);

        var periods = await _statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = Of(agency), Dimension = Dimension.Period });
        Assert.Equal((4L, 2L), (periods.Rows.Single(r => r.Key == "PERIOD_DURING_CAMPAIGN").Count, periods.Rows.Single(r => r.Key == "PERIOD_BEFORE_CAMPAIGN").Count));

        var categories = await _statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = Of(agency), Dimension = Dimension.Category });
        var category = Assert.Single(categories.Rows);
        Assert.Equal(("FOTO_SIMBOL", 6L, 100.0), (category.Key, category.Count, category.Percent));
        Assert.NotEqual("", category.Label);

        var agencies = await _statistics.GetBreakdownAsync(new GetBreakdownRequest
            { Filter = new StatisticsFilter { ElectionId = "pemilu-2024" }, Dimension = Dimension.Instansi, TopN = 1 });
        Assert.Single(agencies.Rows);
        Assert.Equal(agencies.PopulationCount, agencies.Rows[0].Count + agencies.OthersCount);

        var provinces = await _statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = Of(agency), Dimension = Dimension.Province });
        Assert.Equal(("33", "Jawa Tengah", 6L), provinces.Rows.Select(r => (r.Key, r.Label, r.Count)).Single());
        var sources = await _statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = Of(agency), Dimension = Dimension.Source });
        Assert.Equal(6, sources.Rows.Single(r => r.Key == "REPORT_SOURCE_BAWASLU").Count);
        var elections = await _statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = Of(agency), Dimension = Dimension.Election });
        Assert.Equal("pemilu-2024", Assert.Single(elections.Rows).Key);
    }

    [Fact]
    public async Task The_time_series_counts_acts_filings_and_decisions_per_period_with_empty_periods_listed()
    {
        var agency = await SixCasesAsync(_cases, _recommendations, _compliance);

        var months = await _statistics.GetTimeSeriesAsync(new GetTimeSeriesRequest { Filter = Of(agency) });
        Assert.Equal(Granularity.Month, months.Granularity);
        Assert.Equal(new Date { Year = 2023, Month = 10, Day = 1 }, months.Points[0].PeriodStart);
        Assert.Equal(6, months.Points.Sum(p => p.Acts));
        Assert.Equal(6, months.Points.Sum(p => p.Filed));
        Assert.Equal((5L, 4L), (months.Points.Sum(p => p.Decided), months.Points.Sum(p => p.Proven)));
        var march = months.Points.Single(p => p.PeriodStart.Year == 2024 && p.PeriodStart.Month == 3);
        Assert.Equal((5L, 4L), (march.Decided, march.Proven));
        Assert.Contains(months.Points, p => p.Acts + p.Filed + p.Decided == 0);
        var starts = months.Points.Select(p => new DateOnly(p.PeriodStart.Year, p.PeriodStart.Month, 1)).ToArray();
        Assert.Equal(starts.Skip(1), starts.SkipLast(1).Select(d => d.AddMonths(1)));

        var weeks = await _statistics.GetTimeSeriesAsync(new GetTimeSeriesRequest { Filter = Of(agency), Granularity = Granularity.Week });
        Assert.All(weeks.Points, p => Assert.Equal(DayOfWeek.Monday, new DateOnly(p.PeriodStart.Year, p.PeriodStart.Month, p.PeriodStart.Day).DayOfWeek));
        Assert.Equal(4, weeks.Points.Single(p => p.PeriodStart.Year == 2024 && p.PeriodStart.Month == 1 && p.PeriodStart.Day == 8).Acts);
    }

    [Fact]
    public async Task Bad_filters_and_options_name_their_field()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        var tomorrow = today.AddDays(1);
        await RpcAssert.InvalidArgumentAsync(() => _statistics.GetFunnelAsync(new GetFunnelRequest { Filter = new StatisticsFilter
        {
            ElectionId = "pemilu-1955", ProvinceCode = "99", InstansiCode = "NO-SUCH-AGENCY", Source = (ReportSource)9,
            ActDateFrom = new Date { Year = 2024, Month = 3, Day = 1 }, ActDateTo = new Date { Year = 2024, Month = 2, Day = 1 },
            FiledFrom = new Date { Year = 1900, Month = 1, Day = 1 }, FiledTo = new Date { Year = tomorrow.Year, Month = tomorrow.Month, Day = tomorrow.Day },
        } }).ResponseAsync,
            "filter.election_id", "filter.province_code", "filter.instansi_code", "filter.source", "filter.act_date_from", "filter.filed_from", "filter.filed_to");
        await RpcAssert.InvalidArgumentAsync(() => _statistics.GetFunnelAsync(new GetFunnelRequest { Filter = new StatisticsFilter
            { ActDateTo = new Date { Year = 2024, Month = 2, Day = 30 } } }).ResponseAsync, "filter.act_date_to");
        await RpcAssert.InvalidArgumentAsync(() => _statistics.GetBreakdownAsync(new GetBreakdownRequest()).ResponseAsync, "dimension");
        await RpcAssert.InvalidArgumentAsync(() => _statistics.GetBreakdownAsync(new GetBreakdownRequest
            { Dimension = Dimension.Instansi, TopN = 1001, Population = (Population)5 }).ResponseAsync, "population", "top_n");
        await RpcAssert.InvalidArgumentAsync(() => _statistics.GetBreakdownAsync(new GetBreakdownRequest
            { Dimension = Dimension.Instansi, TopN = -1 }).ResponseAsync, "top_n");
        await RpcAssert.InvalidArgumentAsync(() => _statistics.GetTimeSeriesAsync(new GetTimeSeriesRequest { Granularity = (Granularity)7 }).ResponseAsync, "granularity");

        using var noFormat = _statistics.ExportStatistics(new ExportStatisticsRequest());
        await RpcAssert.InvalidArgumentAsync(() => noFormat.ResponseStream.MoveNext(CancellationToken.None), "format");
        using var noTable = _statistics.ExportStatistics(new ExportStatisticsRequest { Format = ExportFormat.Csv, Table = "salaries" });
        await RpcAssert.InvalidArgumentAsync(() => noTable.ResponseStream.MoveNext(CancellationToken.None), "table");
        using var badFilter = _statistics.ExportStatistics(new ExportStatisticsRequest { Format = ExportFormat.Xlsx, Filter = new StatisticsFilter { ProvinceCode = "0" } });
        await RpcAssert.InvalidArgumentAsync(() => badFilter.ResponseStream.MoveNext(CancellationToken.None), "filter.province_code");
    }

    [Fact]
    public async Task The_workbook_holds_the_figures_the_api_gives_and_a_csv_holds_one_table()
    {
        var agency = await SixCasesAsync(_cases, _recommendations, _compliance);
        var funnel = await _statistics.GetFunnelAsync(new GetFunnelRequest { Filter = Of(agency) });
        var ages = await _statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = Of(agency), Dimension = Dimension.AgeBand, Population = Population.Proven });

        var (xlsx, contentType) = await Downloads.ReadAsync(_statistics.ExportStatistics(new ExportStatisticsRequest { Filter = Of(agency), Format = ExportFormat.Xlsx }));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", contentType);
        var sheets = Workbooks.Read(xlsx);
        Assert.Equal(
            funnel.Stages.Select(s => (s.Count, s.Percent)),
            sheets["funnel"].Skip(1).Select(row => (Convert.ToInt64(row[1]), Convert.ToDouble(row[3]))));
        Assert.Equal(["stage", "count", "of_stage", "percent"], sheets["funnel"][0]);
        Assert.Equal("followed_up_late", sheets["funnel"][8][0]);
        Assert.Equal(
            ages.Rows.Select(r => (r.Key, r.Count)),
            sheets["age_band_proven"].Skip(1).Select(row => ((string)row[0]!, Convert.ToInt64(row[2]))));
        Assert.Contains("time_series_month", sheets.Keys);
        Assert.Equal(18, sheets.Count); // funnel, 8 dimensions x 2 populations, the series

        var (csv, csvType) = await Downloads.ReadAsync(_statistics.ExportStatistics(new ExportStatisticsRequest
            { Filter = Of(agency), Format = ExportFormat.Csv, Table = "position_kind_proven" }));
        Assert.StartsWith("text/csv", csvType);
        var lines = System.Text.Encoding.UTF8.GetString(csv).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("key,label,count,percent", lines[0]);
        Assert.Equal("POSITION_KIND_FUNGSIONAL,Fungsional,2,50", lines[1]);
        Assert.Equal(7, lines.Length);
    }
}

public sealed class StatisticsOnSqlite(SqliteGateway gateway) : StatisticsContract(gateway.Host), IClassFixture<SqliteGateway>;

public sealed class StatisticsOnPostgres(PostgresGateway gateway) : StatisticsContract(gateway.Host), IClassFixture<PostgresGateway>;
