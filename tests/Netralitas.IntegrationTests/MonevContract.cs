using Grpc.Core;
using Netralitas.V1;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>MonevService over real gRPC, once per database provider, on agencies of each test's own.</summary>
public abstract class MonevContract(GatewayHost host)
{
    private readonly CaseService.CaseServiceClient _cases = new(host.Channel);
    private readonly RecommendationService.RecommendationServiceClient _recommendations = new(host.Channel);
    private readonly ComplianceService.ComplianceServiceClient _compliance = new(host.Channel);
    private readonly MonevService.MonevServiceClient _monev = new(host.Channel);

    private static IntegrityPact Pact(string agency, int signed = 410, int asn = 412) => new()
    {
        InstansiCode = agency,
        ElectionId = "pemilu-2024",
        SignedOn = new Date { Year = 2023, Month = 9, Day = 4 },
        DocumentReference = "800/1207/BKPSDM/2023",
        SignatoryCount = signed,
        AsnCount = asn,
    };

    private static SupervisionTeam Team(string agency, params (string Nip, TeamRole Role)[] members)
    {
        var team = new SupervisionTeam
        {
            InstansiCode = agency,
            ElectionId = "pemilu-2024",
            DecreeNumber = "188.4/512/2023",
            DecreeDate = new Date { Year = 2023, Month = 10, Day = 16 },
        };
        team.Members.AddRange(members.Select(m => new TeamMember { Nip = m.Nip, Role = m.Role }));
        return team;
    }

    [Fact]
    public async Task An_agencys_monev_shows_its_records_its_follow_ups_and_the_duties_they_meet()
    {
        var agency = await StatisticsContract.SixCasesAsync(_cases, _recommendations, _compliance);
        var before = await _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = agency, ElectionId = "pemilu-2024" });
        Assert.Null(before.IntegrityPact);
        Assert.Equal(DutyStatus.NoData, before.Checklist.Single(c => c.Duty == PpkDuty.IntegrityPact).Status);

        var partial = await _monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest { Pact = Pact(agency) });
        Assert.Equal($"agencies/{agency}/elections/pemilu-2024/integrityPact", partial.Name);
        Assert.NotEqual("", partial.RecordedBy);
        var whole = await _monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest { Pact = Pact(agency, 412) });
        var (chair, member) = (Reports.NewNip(), Reports.NewNip());
        var team = await _monev.RecordSupervisionTeamAsync(new RecordSupervisionTeamRequest
            { Team = Team(agency, (chair, TeamRole.Chair), (member, TeamRole.Member)) });
        Assert.Equal(2, team.Members.Count);

        var monev = await _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest
            { InstansiCode = agency, ElectionId = "pemilu-2024", AsOf = new Date { Year = 2024, Month = 6, Day = 3 } });
        Assert.Equal(412, monev.IntegrityPact.SignatoryCount); // the second record replaced the first
        Assert.Equal([chair, member], monev.SupervisionTeam.Members.Select(m => m.Nip));
        Assert.Equal((6, 4, 1, 1, 2), (monev.Cases.Reported, monev.Cases.Proven, monev.Cases.NotProven, monev.Cases.UnderExamination, monev.Cases.Sanctioned));
        Assert.Equal((4, 1, 1, 1, 1, 0, 2, 25.0), (monev.FollowUp.Recommendations, monev.FollowUp.OnTime, monev.FollowUp.Late,
            monev.FollowUp.Lighter, monev.FollowUp.Unanswered, monev.FollowUp.Awaiting, monev.FollowUp.Warned, monev.FollowUp.OnTimePercent));
        var duties = monev.Checklist.ToDictionary(c => c.Duty, c => c.Status);
        Assert.Equal(8, duties.Count);
        Assert.Equal(DutyStatus.Met, duties[PpkDuty.IntegrityPact]);
        Assert.Equal(DutyStatus.Met, duties[PpkDuty.InternalTeam]);
        Assert.Equal(DutyStatus.NotMet, duties[PpkDuty.FollowUpRecommendations]);
        Assert.Equal(DutyStatus.NoData, duties[PpkDuty.ReportToSatgas]);

        // Letters of 5 Apr 2024, due 6 May: decrees of 30 Apr (on time, and the lighter one) and 7 May (late); one never answered.
        var outcomes = monev.FollowUps.ToDictionary(f => f.Outcome);
        Assert.Equal(4, monev.FollowUps.Count);
        Assert.Equal(SanctionLevel.HdSedang, outcomes[FollowUpOutcome.Lighter].ImposedLevel);
        Assert.Equal("", outcomes[FollowUpOutcome.Unanswered].DecreeNumber);
        Assert.True(outcomes[FollowUpOutcome.OnTime].WorkingDaysTaken < outcomes[FollowUpOutcome.Late].WorkingDaysTaken);
        Assert.True(outcomes[FollowUpOutcome.Late].WorkingDaysTaken < outcomes[FollowUpOutcome.Unanswered].WorkingDaysTaken);
        Assert.Equal(EscalationStage.Warned, outcomes[FollowUpOutcome.Unanswered].EscalationStage);

        var first = await _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = agency, ElectionId = "pemilu-2024", PageSize = 3 });
        var rest = await _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest
            { InstansiCode = agency, ElectionId = "pemilu-2024", PageSize = 3, PageToken = first.NextPageToken });
        Assert.Equal(monev.FollowUps.Select(f => f.Recommendation), first.FollowUps.Concat(rest.FollowUps).Select(f => f.Recommendation));
        Assert.Equal("", rest.NextPageToken);
    }

    [Fact]
    public async Task Follow_ups_count_for_the_agency_whose_ppk_the_letter_is_addressed_to()
    {
        var (ofCase, addressed) = ($"K-{Guid.NewGuid():N}"[..20], $"P-{Guid.NewGuid():N}"[..20]);
        var (proven, _) = await RecommendationSteps.ProvenCaseAsync(_cases, instansi: ofCase);
        await _recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, addressed));

        var ppk = await _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = addressed, ElectionId = "pemilu-2024" });
        Assert.Equal((0, 1), (ppk.Cases.Reported, ppk.FollowUp.Recommendations));
        Assert.Equal(proven.Name, Assert.Single(ppk.FollowUps).Case);
        var agency = await _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = ofCase, ElectionId = "pemilu-2024" });
        Assert.Equal((1, 0), (agency.Cases.Reported, agency.FollowUp.Recommendations));
        Assert.Empty(agency.FollowUps);
    }

    [Fact]
    public async Task The_national_ranking_puts_the_agencies_with_most_failing_follow_ups_first()
    {
        var worse = await StatisticsContract.SixCasesAsync(_cases, _recommendations, _compliance);
        var better = $"M-{Guid.NewGuid():N}"[..20];
        var (proven, _) = await RecommendationSteps.ProvenCaseAsync(_cases, instansi: better, provinceCode: "35");
        var letter = await _recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, better));
        await _recommendations.RecordFollowUpAsync(RecommendationSteps.FollowUp(letter.Name, SanctionLevel.HdBerat, 4, 30));
        await _monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest { Pact = Pact(better, 10, 10) });

        var all = new List<AgencyMonevSummary>();
        var request = new ListAgencyMonevRequest { ElectionId = "pemilu-2024", PageSize = 2 };
        ListAgencyMonevResponse page;
        do
        {
            page = await _monev.ListAgencyMonevAsync(request);
            all.AddRange(page.Agencies);
            request.PageToken = page.NextPageToken;
        }
        while (page.NextPageToken != "");
        Assert.Equal(page.TotalSize, all.Count);
        var (w, b) = (all.FindIndex(a => a.InstansiCode == worse), all.FindIndex(a => a.InstansiCode == better));
        Assert.True(w >= 0 && b > w);
        Assert.Equal(2, all[w].Failing);
        Assert.Equal((0, true, false), (all[b].Failing, all[b].IntegrityPactRecorded, all[b].SupervisionTeamRecorded));
        Assert.Equal(all.Select(a => a.Failing).OrderByDescending(f => f), all.Select(a => a.Failing));

        var inJawaTimur = await _monev.ListAgencyMonevAsync(new ListAgencyMonevRequest { ElectionId = "pemilu-2024", ProvinceCode = "35", PageSize = 1000 });
        Assert.Contains(inJawaTimur.Agencies, a => a.InstansiCode == better);
        Assert.DoesNotContain(inJawaTimur.Agencies, a => a.InstansiCode == worse);
    }

    [Fact]
    public async Task Bad_records_name_their_field_and_leave_the_earlier_record_untouched()
    {
        var agency = await StatisticsContract.SixCasesAsync(_cases, _recommendations, _compliance);
        var chair = Reports.NewNip();
        await _monev.RecordSupervisionTeamAsync(new RecordSupervisionTeamRequest { Team = Team(agency, (chair, TeamRole.Chair)) });
        await _monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest { Pact = Pact(agency) });
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1);

        await RpcAssert.InvalidArgumentAsync(() => _monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest
            { Pact = Pact(agency, 413, 412) }).ResponseAsync, "pact.signatory_count");
        var future = Pact(agency);
        future.SignedOn = new Date { Year = tomorrow.Year, Month = tomorrow.Month, Day = tomorrow.Day };
        future.DocumentReference = "";
        future.ElectionId = "pemilu-1955";
        future.AsnCount = 0;
        await RpcAssert.InvalidArgumentAsync(() => _monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest { Pact = future }).ResponseAsync,
            "pact.election_id", "pact.signed_on", "pact.document_reference", "pact.asn_count");
        await RpcAssert.InvalidArgumentAsync(() => _monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest
            { Pact = Pact("NO-SUCH-AGENCY") }).ResponseAsync, "pact.instansi_code");
        await RpcAssert.InvalidArgumentAsync(() => _monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest()).ResponseAsync,
            "pact.instansi_code", "pact.election_id", "pact.signed_on", "pact.document_reference", "pact.signatory_count", "pact.asn_count");

        var other = Reports.NewNip();
        await RpcAssert.InvalidArgumentAsync(() => _monev.RecordSupervisionTeamAsync(new RecordSupervisionTeamRequest
            { Team = Team(agency, (other, TeamRole.Chair), ("19860230201001100", TeamRole.Member), (other, TeamRole.Member), (Reports.NewNip(), TeamRole.Unspecified)) }).ResponseAsync,
            "team.members[1].nip", "team.members[2].nip", "team.members[3].role");
        await RpcAssert.InvalidArgumentAsync(() => _monev.RecordSupervisionTeamAsync(new RecordSupervisionTeamRequest
            { Team = Team(agency, (other, TeamRole.Member)) }).ResponseAsync, "team.members");
        await RpcAssert.InvalidArgumentAsync(() => _monev.RecordSupervisionTeamAsync(new RecordSupervisionTeamRequest
            { Team = Team(agency) }).ResponseAsync, "team.members");
        var tooMany = Team(agency, Enumerable.Range(0, 201).Select(i => (Reports.NewNip(), i == 0 ? TeamRole.Chair : TeamRole.Member)).ToArray());
        await RpcAssert.InvalidArgumentAsync(() => _monev.RecordSupervisionTeamAsync(new RecordSupervisionTeamRequest { Team = tooMany }).ResponseAsync, "team.members");

        var monev = await _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = agency, ElectionId = "pemilu-2024" });
        Assert.Equal([chair], monev.SupervisionTeam.Members.Select(m => m.Nip));
        Assert.Equal(410, monev.IntegrityPact.SignatoryCount);

        await RpcAssert.InvalidArgumentAsync(() => _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest
            { InstansiCode = agency, ElectionId = "pemilu-2024", PageSize = -1, AsOf = new Date { Year = 2024, Month = 2, Day = 30 } }).ResponseAsync,
            "page_size", "as_of");
        await RpcAssert.InvalidArgumentAsync(() => _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest
            { InstansiCode = agency, ElectionId = "pemilu-2024", PageToken = "not-a-token" }).ResponseAsync, "page_token");
        await RpcAssert.InvalidArgumentAsync(() => _monev.ListAgencyMonevAsync(new ListAgencyMonevRequest { ProvinceCode = "99" }).ResponseAsync,
            "election_id", "province_code");
        await RpcAssert.InvalidArgumentAsync(() => _monev.ListAgencyMonevAsync(new ListAgencyMonevRequest
            { ElectionId = "pemilu-2024", PageSize = -1, AsOf = new Date { Year = 2024, Month = 13, Day = 1 } }).ResponseAsync, "as_of", "page_size");
        await RpcAssert.InvalidArgumentAsync(() => _monev.ListAgencyMonevAsync(new ListAgencyMonevRequest
            { ElectionId = "pemilu-2024", PageToken = "not-a-token" }).ResponseAsync, "page_token");
        using var noFormat = _monev.ExportAgencyMonev(new ExportAgencyMonevRequest { InstansiCode = agency, ElectionId = "pemilu-2024", Table = "salaries" });
        await RpcAssert.InvalidArgumentAsync(() => noFormat.ResponseStream.MoveNext(CancellationToken.None), "format", "table");
        using var unknown = _monev.ExportAgencyMonev(new ExportAgencyMonevRequest
            { InstansiCode = "NO-SUCH-AGENCY", ElectionId = "pemilu-1955", Format = ExportFormat.Csv, AsOf = new Date { Year = 2024, Month = 2, Day = 30 } });
        await RpcAssert.InvalidArgumentAsync(() => unknown.ResponseStream.MoveNext(CancellationToken.None), "instansi_code", "election_id", "as_of");
        await RpcAssert.InvalidArgumentAsync(() => _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest()).ResponseAsync, "instansi_code", "election_id");
    }

    [Fact]
    public async Task The_monev_workbook_holds_every_follow_up_the_api_lists()
    {
        var agency = await StatisticsContract.SixCasesAsync(_cases, _recommendations, _compliance);
        await _monev.RecordSupervisionTeamAsync(new RecordSupervisionTeamRequest { Team = Team(agency, (Reports.NewNip(), TeamRole.Chair)) });
        var monev = await _monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = agency, ElectionId = "pemilu-2024" });

        var (xlsx, _) = await Downloads.ReadAsync(_monev.ExportAgencyMonev(new ExportAgencyMonevRequest
            { InstansiCode = agency, ElectionId = "pemilu-2024", Format = ExportFormat.Xlsx }));
        var sheets = Workbooks.Read(xlsx);
        Assert.Equal(["summary", "checklist", "follow_ups", "team"], sheets.Keys);
        var followUps = sheets["follow_ups"];
        Assert.Equal(monev.FollowUps.Select(f => (f.Recommendation, f.Nip, f.WorkingDaysTaken)),
            followUps.Skip(1).Select(r => ((string)r[0]!, (string)r[2]!, Convert.ToInt32(r[11]))));
        var summary = sheets["summary"].Skip(1).ToDictionary(r => (string)r[0]!, r => r[1]);
        Assert.Equal(monev.FollowUp.Unanswered, Convert.ToInt32(summary["unanswered"]));
        Assert.Equal(2, sheets["team"].Count);
        Assert.Equal(9, sheets["checklist"].Count);

        var (csv, _) = await Downloads.ReadAsync(_monev.ExportAgencyMonev(new ExportAgencyMonevRequest
            { InstansiCode = agency, ElectionId = "pemilu-2024", Format = ExportFormat.Csv }));
        var lines = System.Text.Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("recommendation,case,nip,", lines[0].TrimStart('\uFEFF'));
        Assert.Equal(5, lines.Length);
    }
}

public sealed class MonevOnSqlite(SqliteGateway gateway) : MonevContract(gateway.Host), IClassFixture<SqliteGateway>;

public sealed class MonevOnPostgres(PostgresGateway gateway) : MonevContract(gateway.Host), IClassFixture<PostgresGateway>;
