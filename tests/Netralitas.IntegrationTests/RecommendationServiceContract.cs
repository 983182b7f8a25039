using Google.Rpc;
using Grpc.Core;
using Netralitas.V1;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>RecommendationService over real gRPC, once per database provider.</summary>
public abstract class RecommendationServiceContract(GatewayHost host)
{
    private readonly CaseService.CaseServiceClient _cases = new(host.Channel);
    private readonly RecommendationService.RecommendationServiceClient _recommendations = new(host.Channel);

    private Task<(Case Case, string Instansi)> ProvenCaseAsync(Outcome outcome = Outcome.Proven) =>
        RecommendationSteps.ProvenCaseAsync(_cases, outcome);

    private static IssueRecommendationRequest Issue(Case proven, string instansi, SanctionLevel level = SanctionLevel.HdBerat, string requestId = "") =>
        RecommendationSteps.Issue(proven, instansi, level, requestId);

    private static RecordFollowUpRequest FollowUp(string name, SanctionLevel level, int month, int day, string requestId = "") =>
        RecommendationSteps.FollowUp(name, level, month, day, requestId);

    [Fact]
    public async Task A_recommendation_runs_from_letter_to_a_late_compliant_decree_that_closes_the_case()
    {
        var (proven, instansi) = await ProvenCaseAsync();
        var issued = await _recommendations.IssueRecommendationAsync(Issue(proven, instansi));
        // Letter Fri 5 Apr 2024, across Idul Fitri: due Mon 6 May 2024 (counted by hand in the calendar tests).
        Assert.Equal(new Date { Year = 2024, Month = 5, Day = 6 }, issued.DueOn);
        Assert.Equal(RecommendationStatus.AwaitingFollowUp, issued.Status);
        Assert.Equal(proven.Name, issued.Case);

        var before = await _recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest
            { Name = proven.Name, AsOf = new Date { Year = 2024, Month = 4, Day = 30 } });
        Assert.Equal(3, before.WorkingDaysLeft); // 2, 3 and 6 May (1 May is a holiday)
        Assert.False(before.Overdue);

        var lighter = await _recommendations.RecordFollowUpAsync(FollowUp(issued.Name, SanctionLevel.HdSedang, 4, 30));
        Assert.Equal(RecommendationStatus.NonCompliant, lighter.Status);
        Assert.False(lighter.FollowUps[0].Compliant);
        Assert.True((await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = proven.Nip })).HasOpenCase);

        var overdue = await _recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest
            { Name = issued.Name, AsOf = new Date { Year = 2024, Month = 5, Day = 8 } });
        Assert.True(overdue.Overdue);
        Assert.Equal(-2, overdue.WorkingDaysLeft); // 7 and 8 May past the due date

        var complied = await _recommendations.RecordFollowUpAsync(FollowUp(issued.Name, SanctionLevel.HdBerat, 5, 10));
        Assert.Equal(RecommendationStatus.Complied, complied.Status);
        Assert.True(complied.FollowUps[1].Compliant);
        Assert.True(complied.FollowUps[1].Late);
        Assert.Equal(CaseStatus.Sanctioned, (await _cases.GetCaseAsync(new GetCaseRequest { Name = proven.Name })).Status);
        Assert.False((await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = proven.Nip })).HasOpenCase);

        var status = await _recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = proven.Name });
        Assert.Equal(RecommendationStatus.Complied, status.Status);
        Assert.False(status.Overdue);
        Assert.Equal([FollowUpEventKind.Issued, FollowUpEventKind.FollowedUpLighter, FollowUpEventKind.FollowedUpCompliant],
            status.History.Select(h => h.Kind));

        var again = await RpcAssert.StatusAsync(StatusCode.FailedPrecondition,
            () => _recommendations.RecordFollowUpAsync(FollowUp(issued.Name, SanctionLevel.Ptdh, 5, 13)).ResponseAsync);
        Assert.Equal("RECOMMENDATION_COMPLIED", again.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        var reissue = await RpcAssert.StatusAsync(StatusCode.FailedPrecondition,
            () => _recommendations.IssueRecommendationAsync(Issue(proven, instansi)).ResponseAsync);
        Assert.Equal("CASE_SANCTIONED", reissue.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }

    [Fact]
    public async Task Only_a_proven_case_gets_a_recommendation_and_only_one_at_a_time()
    {
        var (notProven, instansi) = await ProvenCaseAsync(Outcome.NotProven);
        var refused = await RpcAssert.StatusAsync(StatusCode.FailedPrecondition,
            () => _recommendations.IssueRecommendationAsync(Issue(notProven, instansi)).ResponseAsync);
        Assert.Equal("CASE_NOT_PROVEN", refused.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Empty((await _recommendations.ListRecommendationsAsync(new ListRecommendationsRequest { PpkInstansiCode = instansi })).Recommendations);

        var (proven, other) = await ProvenCaseAsync();
        await _recommendations.IssueRecommendationAsync(Issue(proven, other));
        var second = await RpcAssert.StatusAsync(StatusCode.FailedPrecondition,
            () => _recommendations.IssueRecommendationAsync(Issue(proven, other)).ResponseAsync);
        Assert.Equal("RECOMMENDATION_EXISTS", second.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);

        var noneYet = await ProvenCaseAsync();
        var none = await RpcAssert.StatusAsync(StatusCode.FailedPrecondition,
            () => _recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = noneYet.Case.Name }).ResponseAsync);
        Assert.Equal("NO_RECOMMENDATION", none.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        await RpcAssert.StatusAsync(StatusCode.NotFound,
            () => _recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = $"cases/{Guid.NewGuid()}" }).ResponseAsync);
    }

    [Fact]
    public async Task Concurrent_issuances_for_one_case_land_once()
    {
        var (proven, instansi) = await ProvenCaseAsync();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                return (await _recommendations.IssueRecommendationAsync(Issue(proven, instansi, requestId: Guid.NewGuid().ToString()))).Name;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Aborted or StatusCode.FailedPrecondition)
            {
                return null;
            }
        }));
        var landed = Assert.Single(attempts.OfType<string>());
        var listed = await _recommendations.ListRecommendationsAsync(new ListRecommendationsRequest { PpkInstansiCode = instansi });
        Assert.Equal(landed, Assert.Single(listed.Recommendations).Name);
    }

    [Fact]
    public async Task Issue_and_follow_up_are_idempotent_by_request_id()
    {
        var (proven, instansi) = await ProvenCaseAsync();
        var requestId = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            _recommendations.IssueRecommendationAsync(Issue(proven, instansi, requestId: requestId)).ResponseAsync));
        Assert.Single(results.Select(r => r.Name).Distinct());
        await RpcAssert.InvalidArgumentAsync(
            () => _recommendations.IssueRecommendationAsync(Issue(proven, instansi, SanctionLevel.Ptdh, requestId)).ResponseAsync, "request_id");

        var followUpId = Guid.NewGuid().ToString();
        var recorded = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            _recommendations.RecordFollowUpAsync(FollowUp(results[0].Name, SanctionLevel.HdRingan, 4, 25, followUpId)).ResponseAsync));
        Assert.All(recorded, r => Assert.Single(r.FollowUps));
        Assert.Single(recorded.Select(r => r.FollowUps[0]).Distinct());
        Assert.Single((await _recommendations.GetRecommendationAsync(new GetRecommendationRequest { Name = results[0].Name })).FollowUps);
        Assert.Single((await _recommendations.ListRecommendationsAsync(new ListRecommendationsRequest { PpkInstansiCode = instansi })).Recommendations);
    }

    [Fact]
    public async Task Bad_requests_name_every_bad_field_and_write_nothing()
    {
        var (proven, instansi) = await ProvenCaseAsync();
        await RpcAssert.InvalidArgumentAsync(
            () => _recommendations.IssueRecommendationAsync(new IssueRecommendationRequest { Case = proven.Name }).ResponseAsync,
            "recommendation.authority_code", "recommendation.letter_number", "recommendation.issued_on",
            "recommendation.ppk_instansi_code", "recommendation.ppk_instansi_name", "recommendation.sanction.level");

        var unknownAuthority = Issue(proven, instansi);
        unknownAuthority.Recommendation.AuthorityCode = "KPK";
        unknownAuthority.Recommendation.Sanction.Level = (SanctionLevel)77;
        await RpcAssert.InvalidArgumentAsync(() => _recommendations.IssueRecommendationAsync(unknownAuthority).ResponseAsync,
            "recommendation.authority_code", "recommendation.sanction.level");

        var beforeDecision = Issue(proven, instansi);
        beforeDecision.Recommendation.IssuedOn = new Date { Year = 2024, Month = 3, Day = 19 };
        await RpcAssert.InvalidArgumentAsync(() => _recommendations.IssueRecommendationAsync(beforeDecision).ResponseAsync, "recommendation.issued_on");
        Assert.Empty((await _recommendations.ListRecommendationsAsync(new ListRecommendationsRequest { PpkInstansiCode = instansi })).Recommendations);

        var issued = await _recommendations.IssueRecommendationAsync(Issue(proven, instansi));
        await RpcAssert.InvalidArgumentAsync(() => _recommendations.RecordFollowUpAsync(new RecordFollowUpRequest { Name = issued.Name }).ResponseAsync,
            "decree_number", "decree_date", "imposed.level");
        await RpcAssert.InvalidArgumentAsync(() => _recommendations.RecordFollowUpAsync(FollowUp(issued.Name, SanctionLevel.HdBerat, 4, 1)).ResponseAsync,
            "decree_date");
        await RpcAssert.StatusAsync(StatusCode.NotFound,
            () => _recommendations.RecordFollowUpAsync(FollowUp($"recommendations/{Guid.NewGuid()}", SanctionLevel.HdBerat, 4, 20)).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync(() => _recommendations.GetRecommendationAsync(new GetRecommendationRequest { Name = "cases/1" }).ResponseAsync, "name");
        var neither = await RpcAssert.InvalidArgumentAsync(
            () => _recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = "cases/123" }).ResponseAsync, "name");
        Assert.Contains("cases/{case_id} or recommendations/{recommendation_id}", neither[0].Description);
        await RpcAssert.InvalidArgumentAsync(() => _recommendations.ListRecommendationsAsync(new ListRecommendationsRequest
            { Status = (RecommendationStatus)9, OverdueAsOf = new Date { Year = 2024, Month = 2, Day = 30 } }).ResponseAsync, "status", "overdue_as_of");
        Assert.Empty((await _recommendations.GetRecommendationAsync(new GetRecommendationRequest { Name = issued.Name })).FollowUps);
    }

    [Fact]
    public async Task ListRecommendations_filters_by_agency_status_authority_and_overdue_date()
    {
        var instansi = "";
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (proven, own) = await ProvenCaseAsync();
            instansi = i == 0 ? own : instansi;
            var request = Issue(proven, instansi);
            request.Recommendation.AuthorityCode = i == 2 ? "BKN" : "KASN";
            names.Add((await _recommendations.IssueRecommendationAsync(request)).Name);
        }
        await _recommendations.RecordFollowUpAsync(FollowUp(names[0], SanctionLevel.HdBerat, 4, 30));

        async Task<IEnumerable<string>> List(ListRecommendationsRequest request)
        {
            request.PpkInstansiCode = instansi;
            return (await _recommendations.ListRecommendationsAsync(request)).Recommendations.Select(r => r.Name);
        }
        Assert.Equal(names, await List(new ListRecommendationsRequest()));
        Assert.Equal(names.Skip(1), await List(new ListRecommendationsRequest { Status = RecommendationStatus.AwaitingFollowUp }));
        Assert.Equal(names.Take(1), await List(new ListRecommendationsRequest { Status = RecommendationStatus.Complied }));
        Assert.Equal(names.Skip(2), await List(new ListRecommendationsRequest { AuthorityCode = "BKN" }));
        Assert.Empty(await List(new ListRecommendationsRequest { OverdueAsOf = new Date { Year = 2024, Month = 5, Day = 6 } }));
        Assert.Equal(names.Skip(1), await List(new ListRecommendationsRequest { OverdueAsOf = new Date { Year = 2024, Month = 5, Day = 7 } }));

        var first = await _recommendations.ListRecommendationsAsync(new ListRecommendationsRequest { PpkInstansiCode = instansi, PageSize = 2 });
        var rest = await _recommendations.ListRecommendationsAsync(new ListRecommendationsRequest
            { PpkInstansiCode = instansi, PageSize = 2, PageToken = first.NextPageToken });
        Assert.Equal(names, first.Recommendations.Concat(rest.Recommendations).Select(r => r.Name));
        Assert.Equal("", rest.NextPageToken);
        await RpcAssert.InvalidArgumentAsync(() => _recommendations.ListRecommendationsAsync(new ListRecommendationsRequest
            { PpkInstansiCode = instansi, Status = RecommendationStatus.Complied, PageToken = first.NextPageToken }).ResponseAsync, "page_token");
    }

    [Fact]
    public async Task A_compliant_decree_with_the_longest_allowed_non_ascii_text_is_recorded_and_its_write_back_queued()
    {
        var (proven, instansi) = await ProvenCaseAsync();
        var issued = await _recommendations.IssueRecommendationAsync(Issue(proven, instansi));
        var decree = FollowUp(issued.Name, SanctionLevel.HdBerat, 5, 2);
        decree.DecreeNumber = new string('’', 200);
        decree.Imposed.Form = new string('é', 250) + new string('\'', 250);
        var complied = await _recommendations.RecordFollowUpAsync(decree);
        Assert.Equal(RecommendationStatus.Complied, complied.Status);
        var writeBack = (await new OutboxService.OutboxServiceClient(host.Channel).ListOutboxMessagesAsync(new ListOutboxMessagesRequest
            { Recommendation = issued.Name, Kind = OutboxMessageKind.SanctionWriteBack })).Messages.Single();
        Assert.Contains(decree.Imposed.Form, writeBack.PayloadJson);
    }
}

public sealed class RecommendationServiceOnSqlite(SqliteGateway gateway) : RecommendationServiceContract(gateway.Host), IClassFixture<SqliteGateway>;

public sealed class RecommendationServiceOnPostgres(PostgresGateway gateway) : RecommendationServiceContract(gateway.Host), IClassFixture<PostgresGateway>;
