using Netralitas.V1;
using static Netralitas.IntegrationTests.RecommendationSteps;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>ComplianceService over real gRPC, once per database provider. All letters: Fri 5 Apr 2024, due Mon 6 May 2024.</summary>
public abstract class ComplianceServiceContract(GatewayHost host)
{
    private readonly CaseService.CaseServiceClient _cases = new(host.Channel);
    private readonly RecommendationService.RecommendationServiceClient _recommendations = new(host.Channel);
    private readonly ComplianceService.ComplianceServiceClient _compliance = new(host.Channel);

    private static readonly Date BeforeDue = new() { Year = 2024, Month = 5, Day = 3 };
    private static readonly Date PastDue = new() { Year = 2024, Month = 5, Day = 8 };

    private async Task<string> RecommendAsync(string instansi, string provinceCode = "33")
    {
        var (proven, _) = await ProvenCaseAsync(_cases, provinceCode: provinceCode, instansi: instansi);
        return (await _recommendations.IssueRecommendationAsync(Issue(proven, instansi))).Name;
    }

    [Fact]
    public async Task An_agency_report_counts_each_standing_on_the_date()
    {
        var agency = $"C-{Guid.NewGuid():N}"[..20];
        var onTime = await RecommendAsync(agency);
        var late = await RecommendAsync(agency);
        var lighter = await RecommendAsync(agency);
        var unanswered = await RecommendAsync(agency);
        await _recommendations.RecordFollowUpAsync(FollowUp(onTime, SanctionLevel.HdBerat, 4, 30));
        await _recommendations.RecordFollowUpAsync(FollowUp(late, SanctionLevel.Ptdh, 5, 7));
        await _recommendations.RecordFollowUpAsync(FollowUp(lighter, SanctionLevel.HdSedang, 4, 30));

        var before = await _compliance.CheckPpkComplianceAsync(new CheckPpkComplianceRequest { PpkInstansiCode = agency, AsOf = BeforeDue });
        Assert.Equal((4, 2, 1, 1, 0, 1), (before.Total, before.Complied, before.CompliedLate, before.AwaitingNotDue, before.UnansweredOverdue, before.NonCompliant));
        Assert.Equal(new[] { onTime, late, lighter, unanswered }, before.Recommendations.Select(r => r.Recommendation.Name));

        var after = await _compliance.CheckPpkComplianceAsync(new CheckPpkComplianceRequest { PpkInstansiCode = agency, AsOf = PastDue });
        Assert.Equal((0, 1, 1), (after.AwaitingNotDue, after.UnansweredOverdue, after.NonCompliant));
        var standing = after.Recommendations.Single(r => r.Recommendation.Name == unanswered);
        Assert.True(standing.Overdue);
        Assert.Equal(2, standing.WorkingDaysOverdue); // 7 and 8 May
        var lighterStanding = after.Recommendations.Single(r => r.Recommendation.Name == lighter);
        Assert.Equal(SanctionLevel.HdSedang, Assert.Single(lighterStanding.LighterFollowUps).Imposed.Level);
        Assert.False(after.Recommendations.Single(r => r.Recommendation.Name == late).Overdue);
        Assert.Equal("Kabupaten Purbalingga", after.PpkInstansiName);

        var none = await _compliance.CheckPpkComplianceAsync(new CheckPpkComplianceRequest { PpkInstansiCode = "NO-SUCH-AGENCY" });
        Assert.Equal(0, none.Total);
        await RpcAssert.InvalidArgumentAsync(() => _compliance.CheckPpkComplianceAsync(new CheckPpkComplianceRequest
            { AsOf = new Date { Year = 2024, Month = 2, Day = 30 } }).ResponseAsync, "ppk_instansi_code", "as_of");
    }

    [Fact]
    public async Task The_national_table_ranks_agencies_by_failing_recommendations()
    {
        // Sulawesi Barat (76) is used by this test only.
        string Agency(string letter) => $"{letter}-{Guid.NewGuid():N}"[..20];
        var (b, c, d, elsewhere) = (Agency("B"), Agency("C"), Agency("D"), Agency("E"));
        for (var i = 0; i < 3; i++)
        {
            await RecommendAsync(b, "76");
            await RecommendAsync(elsewhere, "33");
        }
        await _recommendations.RecordFollowUpAsync(FollowUp(await RecommendAsync(c, "76"), SanctionLevel.HdRingan, 4, 30));
        await RecommendAsync(c, "76");
        await _recommendations.RecordFollowUpAsync(FollowUp(await RecommendAsync(d, "76"), SanctionLevel.HdBerat, 4, 30));

        var table = await _compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest { ProvinceCode = "76", AsOf = PastDue });
        Assert.Equal(new[] { (b, 3, 0, 3), (c, 1, 1, 2) },
            table.Agencies.Select(a => (a.PpkInstansiCode, a.UnansweredOverdue, a.NonCompliant, a.Failing)));

        var notYetDue = await _compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest { ProvinceCode = "76", AsOf = BeforeDue });
        Assert.Equal(new[] { c }, notYetDue.Agencies.Select(a => a.PpkInstansiCode));

        var first = await _compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest
            { ProvinceCode = "76", ElectionId = "pemilu-2024", AsOf = PastDue, PageSize = 1 });
        var second = await _compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest
            { ProvinceCode = "76", ElectionId = "pemilu-2024", AsOf = PastDue, PageSize = 1, PageToken = first.NextPageToken });
        Assert.Equal(new[] { b, c }, first.Agencies.Concat(second.Agencies).Select(a => a.PpkInstansiCode));
        Assert.Equal("", second.NextPageToken);
        Assert.Empty((await _compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest
            { ProvinceCode = "76", ElectionId = "pilkada-2024", AsOf = PastDue })).Agencies);

        await RpcAssert.InvalidArgumentAsync(() => _compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest
            { ProvinceCode = "33", AsOf = PastDue, PageSize = 1, PageToken = first.NextPageToken }).ResponseAsync, "page_token");
        await RpcAssert.InvalidArgumentAsync(() => _compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest
            { ProvinceCode = "99", ElectionId = "pemilu-1999", PageSize = -1 }).ResponseAsync, "province_code", "election_id", "page_size");
    }

    [Fact]
    public async Task Escalation_outbox_and_watch_methods_name_every_bad_field_and_write_nothing()
    {
        var outbox = new OutboxService.OutboxServiceClient(host.Channel);
        var agency = $"V-{Guid.NewGuid():N}"[..20];
        var name = await RecommendAsync(agency);

        await RpcAssert.InvalidArgumentAsync(() => _compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest
            { Nip = "123", Kind = (EnforcementActionKind)99, Recommendation = "cases/x", PageSize = -1 }).ResponseAsync,
            "nip", "kind", "recommendation", "page_size");
        await RpcAssert.InvalidArgumentAsync(() => _compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest
            { PpkInstansiCode = "a\u0000b", PageToken = "not-a-token" }).ResponseAsync, "ppk_instansi_code");
        await RpcAssert.InvalidArgumentAsync(() => _compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest
            { PageToken = "not-a-token" }).ResponseAsync, "page_token");

        // A real run is today's: a date, a malformed date or a bad agency filter is refused before anything is written.
        await RpcAssert.InvalidArgumentAsync(() => _compliance.RunEscalationAsync(new RunEscalationRequest
            { AsOf = PastDue, PpkInstansiCode = agency }).ResponseAsync, "as_of");
        await RpcAssert.InvalidArgumentAsync(() => _compliance.RunEscalationAsync(new RunEscalationRequest
            { ValidateOnly = true, AsOf = new Date { Year = 2024, Month = 2, Day = 30 }, PpkInstansiCode = new string('x', 65) }).ResponseAsync,
            "as_of", "ppk_instansi_code");
        var preview = await _compliance.RunEscalationAsync(new RunEscalationRequest { ValidateOnly = true, AsOf = PastDue, PpkInstansiCode = agency });
        Assert.Equal([FollowUpEventKind.Overdue, FollowUpEventKind.Warned], preview.Steps.Select(s => s.Kind));
        Assert.Equal(EscalationStage.NotEscalated, (await _recommendations.GetRecommendationAsync(new GetRecommendationRequest { Name = name })).EscalationStage);
        Assert.Empty((await _compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest { Recommendation = name })).Actions);

        await RpcAssert.InvalidArgumentAsync(() => outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest
            { State = (OutboxMessageState)7, Kind = (OutboxMessageKind)7, Nip = "198602302010011001", Recommendation = "recommendations/1", PageSize = -5 }).ResponseAsync,
            "state", "kind", "nip", "recommendation", "page_size");
        await RpcAssert.InvalidArgumentAsync(() => outbox.GetOutboxMessageAsync(new GetOutboxMessageRequest { Name = "recommendations/" + Guid.NewGuid() }).ResponseAsync, "name");
        await RpcAssert.StatusAsync(Grpc.Core.StatusCode.NotFound,
            () => outbox.GetOutboxMessageAsync(new GetOutboxMessageRequest { Name = "outboxMessages/" + Guid.NewGuid() }).ResponseAsync);

        using var watch = _recommendations.WatchFollowUps(new WatchFollowUpsRequest { Nip = "1", Recommendation = "x", ResumeToken = "e-1" });
        await RpcAssert.InvalidArgumentAsync(() => watch.ResponseStream.MoveNext(CancellationToken.None), "nip", "recommendation", "resume_token");
    }
}

public sealed class ComplianceServiceOnSqlite(SqliteGateway gateway) : ComplianceServiceContract(gateway.Host), IClassFixture<SqliteGateway>;

public sealed class ComplianceServiceOnPostgres(PostgresGateway gateway) : ComplianceServiceContract(gateway.Host), IClassFixture<PostgresGateway>;
