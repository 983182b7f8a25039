using Netralitas.Domain;
using Netralitas.Domain.Monev;
using Netralitas.Domain.Statistics;

namespace Netralitas.UnitTests;

public sealed class StatisticsRulesTests
{
    private static readonly DateOnly Act = new(2020, 10, 1);

    [Theory]
    [InlineData("1990-10-01", AgeBand.UpTo30)]   // 30 on the day
    [InlineData("1989-10-02", AgeBand.UpTo30)]   // 30, 31 tomorrow
    [InlineData("1989-10-01", AgeBand.From31To40)]
    [InlineData("1979-10-02", AgeBand.From31To40)] // 40
    [InlineData("1979-10-01", AgeBand.From41To50)] // 41
    [InlineData("1969-10-02", AgeBand.From41To50)] // 50
    [InlineData("1969-10-01", AgeBand.From51)]   // 51
    [InlineData("2002-10-01", AgeBand.UpTo30)]   // 18
    [InlineData("2002-10-02", AgeBand.Unknown)]  // 17: not a serving ASN
    [InlineData("1950-10-01", AgeBand.From51)]   // 70
    [InlineData("1949-10-01", AgeBand.Unknown)]  // 71
    [InlineData("1900-01-01", AgeBand.Unknown)]  // a placeholder birth date
    public void The_age_band_is_in_full_years_at_the_act_date(string birth, AgeBand expected) =>
        Assert.Equal(expected, AgeBands.Of(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), Act));

    [Fact]
    public void The_seed_funnel_prints_78_5_and_86_0_percent()
    {
        FunnelCell Cell(CaseStatus status, bool recommended, FollowUpOutcome followUp, EscalationStage stage, long count) =>
            new(status, recommended, followUp, DueBefore: recommended, stage, count);
        var funnel = StatisticsDesk.Funnel(
        [
            Cell(CaseStatus.NotProven, false, FollowUpOutcome.Unspecified, EscalationStage.Unspecified, 438),
            Cell(CaseStatus.Sanctioned, true, FollowUpOutcome.OnTime, EscalationStage.NotEscalated, 1000),
            Cell(CaseStatus.Sanctioned, true, FollowUpOutcome.Late, EscalationStage.Released, 300),
            Cell(CaseStatus.Proven, true, FollowUpOutcome.Lighter, EscalationStage.Reprimanded, 73),
            Cell(CaseStatus.Proven, true, FollowUpOutcome.Unspecified, EscalationStage.Blocked, 223),
        ]).ToDictionary(s => s.Stage);

        Assert.Equal((2034L, 100.0), (funnel[FunnelStage.Reported].Count, funnel[FunnelStage.Reported].Percent));
        Assert.Equal((1596L, FunnelStage.Reported, 78.5), (funnel[FunnelStage.Proven].Count, funnel[FunnelStage.Proven].OfStage, funnel[FunnelStage.Proven].Percent));
        Assert.Equal((1373L, FunnelStage.Recommended, 86.0), (funnel[FunnelStage.FollowedUp].Count, funnel[FunnelStage.FollowedUp].OfStage, funnel[FunnelStage.FollowedUp].Percent));
        Assert.Equal((596L, 37.3), (funnel[FunnelStage.Escalated].Count, funnel[FunnelStage.Escalated].Percent));
        Assert.Equal((223L, FunnelStage.Escalated, 37.4), (funnel[FunnelStage.Blocked].Count, funnel[FunnelStage.Blocked].OfStage, funnel[FunnelStage.Blocked].Percent));
        Assert.Equal(223, funnel[FunnelStage.Unanswered].Count);
        Assert.Equal((0L, FunnelStage.Recommended), (funnel[FunnelStage.Awaiting].Count, funnel[FunnelStage.Awaiting].OfStage));
        Assert.Equal(0, funnel[FunnelStage.UnderExamination].Count);
    }

    [Theory]
    [InlineData(1, 8, 12.5)]   // 12.5 exactly
    [InlineData(1, 16, 6.3)]   // 6.25: a half rounds away from zero
    [InlineData(0, 0, 0.0)]
    [InlineData(2, 3, 66.7)]
    public void A_share_has_one_decimal(long count, long of, double percent) =>
        Assert.Equal(percent, StatisticsDesk.Percent(count, of));

    [Fact]
    public void The_checklist_says_met_not_met_or_no_data_from_the_records_and_follow_ups()
    {
        var none = MonevDesk.Checklist(null, null, new AgencyFollowUpCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        Assert.All(none, c => Assert.Equal(DutyStatus.NoData, c.Status));
        Assert.Equal(Enum.GetValues<PpkDuty>().Skip(1), none.Select(c => c.Duty));

        var pact = new IntegrityPact { InstansiCode = "3303", ElectionId = "pilkada-2024", DocumentReference = "X", SignatoryCount = 9, AsnCount = 10, RecordedBy = "kasn" };
        var team = new SupervisionTeam { InstansiCode = "3303", ElectionId = "pilkada-2024", DecreeNumber = "Y", RecordedBy = "kasn", Members = [new TeamMember { Nip = "1", Role = TeamRole.Chair }] };
        var allOnTime = MonevDesk.Checklist(pact, team, new AgencyFollowUpCounts(3, 2, 0, 0, 0, 1, 0, 0, 0, 0)).ToDictionary(c => c.Duty);
        Assert.Equal(DutyStatus.NotMet, allOnTime[PpkDuty.IntegrityPact].Status);
        Assert.Contains("9 of 10 ASN (90.0 %)", allOnTime[PpkDuty.IntegrityPact].Evidence);
        Assert.Equal(DutyStatus.Met, allOnTime[PpkDuty.InternalTeam].Status);
        Assert.Equal(DutyStatus.Met, allOnTime[PpkDuty.FollowUpRecommendations].Status);

        var late = MonevDesk.Checklist(null, null, new AgencyFollowUpCounts(2, 1, 1, 0, 0, 0, 1, 0, 0, 0)).ToDictionary(c => c.Duty);
        Assert.Equal(DutyStatus.NotMet, late[PpkDuty.FollowUpRecommendations].Status);
        var notDue = MonevDesk.Checklist(null, null, new AgencyFollowUpCounts(2, 0, 0, 0, 0, 2, 0, 0, 0, 0)).ToDictionary(c => c.Duty);
        Assert.Equal(DutyStatus.NoData, notDue[PpkDuty.FollowUpRecommendations].Status);
    }
}
