using Netralitas.Domain;
using Netralitas.Domain.Statistics;

namespace Netralitas.UnitTests;

public sealed class StatisticsIndexTests
{
    private static readonly DateOnly Today = new(2024, 6, 3);

    private static CaseFacts Facts(string id, string agency = "3303", string province = "33", CaseStatus status = CaseStatus.Proven,
        string? ppk = null, FollowUpOutcome followUp = FollowUpOutcome.Unspecified, DateOnly? due = null, EscalationStage stage = EscalationStage.Unspecified,
        DateOnly? act = null, string election = "pilkada-2024", AgeBand age = AgeBand.From41To50) => new()
    {
        CaseId = id, Nip = "198609262015051001", ElectionId = election, ProvinceCode = province, InstansiCode = agency,
        InstansiName = $"Agency {agency}", ViolationCode = "APK", Source = ReportSource.Bawaslu, PositionKind = PositionKind.Jpt,
        Period = Period.DuringCampaign, AgeBand = age, ActDay = (act ?? new DateOnly(2024, 10, 1)).DayNumber, FiledDay = new DateOnly(2024, 10, 5).DayNumber,
        DecidedDay = status is CaseStatus.UnderExamination ? null : new DateOnly(2024, 11, 1).DayNumber, Status = status,
        PpkInstansiCode = ppk, RecommendedDay = ppk is null ? null : new DateOnly(2024, 11, 4).DayNumber, DueDay = due?.DayNumber,
        FollowUp = followUp, Escalation = stage,
    };

    private static StatisticsQuery Query(string agency = "", string province = "", int? actFrom = null) =>
        new("", actFrom, null, null, null, province, agency, ReportSource.Unspecified);

    [Fact]
    public void A_refresh_replaces_a_cases_row_and_the_counts_follow()
    {
        var index = new StatisticsIndex();
        var id = Guid.NewGuid().ToString();
        index.Apply([Facts(id, status: CaseStatus.UnderExamination), Facts(Guid.NewGuid().ToString(), agency: "3374")]);
        Assert.Equal(1, index.Funnel(Query("3303"), Today).Single().Count);

        index.Apply([Facts(id, ppk: "3303", followUp: FollowUpOutcome.Late, stage: EscalationStage.Warned, due: Today.AddDays(-1))]);

        var cell = Assert.Single(index.Funnel(Query("3303"), Today));
        Assert.Equal((CaseStatus.Proven, true, FollowUpOutcome.Late, true, EscalationStage.Warned, 1L),
            (cell.Status, cell.Recommended, cell.FollowUp, cell.DueBefore, cell.Escalation, cell.Count));
        Assert.Equal(2, index.CaseCount);
    }

    [Fact]
    public void Filters_narrow_and_a_code_the_index_never_saw_matches_nothing()
    {
        var index = new StatisticsIndex();
        index.Apply([
            Facts("a", province: "33", act: new DateOnly(2024, 9, 1)), Facts("b", province: "35"), Facts("c", agency: "3578", province: "35"),
        ]);
        Assert.Equal(3, index.Breakdown(Query(), Dimension.Province, Population.Reported).Sum(c => c.Count));
        Assert.Equal([("35", 2L)], index.Breakdown(Query(province: "35"), Dimension.Province, Population.Reported).Select(c => (c.Key, c.Count)));
        Assert.Equal(2, index.Breakdown(Query(actFrom: new DateOnly(2024, 10, 1).DayNumber), Dimension.Province, Population.Reported).Sum(c => c.Count));
        Assert.Empty(index.Breakdown(Query("NO-SUCH"), Dimension.Province, Population.Reported));
        Assert.Equal([("3303", "Agency 3303", 2L), ("3578", "Agency 3578", 1L)],
            index.Breakdown(Query(), Dimension.Instansi, Population.Proven).OrderBy(c => c.Key).Select(c => (c.Key, c.Label, c.Count)));
        Assert.Equal([("3", 3L)], index.Breakdown(Query(), Dimension.AgeBand, Population.Reported).Select(c => (c.Key, c.Count)));
    }

    [Fact]
    public void The_daily_series_counts_acts_filings_and_decisions_on_their_days()
    {
        var index = new StatisticsIndex();
        index.Apply([Facts("a"), Facts("b", status: CaseStatus.NotProven), Facts("c", status: CaseStatus.UnderExamination)]);
        var daily = index.Daily(Query());
        Assert.Equal([(new DateOnly(2024, 10, 1).DayNumber, 3L)], daily.Acts.Select(d => (d.Day, d.Count)));
        Assert.Equal(3, daily.Filed.Single().Count);
        Assert.Equal((2L, 1L), (daily.Decided.Single().Count, daily.Proven.Single().Count));
    }

    [Fact]
    public void Agencies_count_cases_by_the_asns_agency_and_follow_ups_by_the_addressed_ppk()
    {
        var index = new StatisticsIndex();
        index.Apply([
            Facts("a", agency: "3303", ppk: "3374", due: Today.AddDays(-3)),
            Facts("b", agency: "3303", ppk: "3303", due: Today.AddDays(3)),
            Facts("c", agency: "3303", election: "pemilu-2024"),
        ]);
        var cells = index.Agencies("pilkada-2024", "", "", Today);
        Assert.Equal([("3303", 2)], cells.Cases.Select(c => (c.InstansiCode, c.Count)));
        Assert.Equal([("3303", false), ("3374", true)], cells.FollowUps.OrderBy(f => f.PpkInstansiCode).Select(f => (f.PpkInstansiCode, f.DueBefore)));
        Assert.Equal("", index.AgencyName("3374")); // known only as an addressed PPK
        Assert.Null(index.AgencyName("9999"));
        Assert.Empty(index.Agencies("pilkada-2024", "", "11", Today).Cases);
    }

    [Fact]
    public void A_reload_takes_over_at_once_and_a_date_before_1999_counts_in_no_series()
    {
        var index = new StatisticsIndex();
        index.Apply([Facts("a")]);
        var fresh = new StatisticsIndex();
        var undated = Facts("b");
        undated.FiledDay = DateOnly.MinValue.DayNumber; // a row written before FiledOn existed
        fresh.Apply([Facts("a", status: CaseStatus.NotProven), undated]);

        index.TakeFrom(fresh);

        Assert.Equal(2, index.CaseCount);
        Assert.Equal(1, index.Funnel(Query(), Today).Single(c => c.Status == CaseStatus.NotProven).Count);
        var daily = index.Daily(Query());
        Assert.Equal((2L, 1L), (daily.Acts.Sum(d => d.Count), daily.Filed.Sum(d => d.Count)));
    }
}
