using Google.Protobuf;
using Grpc.Core;
using Netralitas.Gateway.Security;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>
/// What a caller sees within its mandate: a PPK only its own agency's cases and recommendations
/// (another agency's are PERMISSION_DENIED, exactly like ones that do not exist), a provincial
/// system only yes/no, the count and the block. By client certificate and by bearer token.
/// </summary>
public sealed class CallerScopeContract(SecureGateway gateway) : IClassFixture<SecureGateway>
{
    public static TheoryData<bool> Proofs => new() { false, true };

    private CaseService.CaseServiceClient Cases(string member, bool token, out CallOptions options) =>
        new(Invoker(member, token, out options));

    private RecommendationService.RecommendationServiceClient Recommendations(string member, bool token, out CallOptions options) =>
        new(Invoker(member, token, out options));

    private CallInvoker Invoker(string member, bool token, out CallOptions options)
    {
        options = token ? gateway.BearerFor(member) : default;
        return token ? gateway.Anonymous : gateway.AsMember(member);
    }

    /// <summary>A proven case with a recommendation addressed to the agency's PPK.</summary>
    private async Task<(Case Case, Recommendation Recommendation)> RecommendedCaseAsync(string instansi)
    {
        var kasn = new CaseService.CaseServiceClient(gateway.AsMember("kasn"));
        var (proven, _) = await RecommendationSteps.ProvenCaseAsync(kasn, instansi: instansi);
        var issued = await new RecommendationService.RecommendationServiceClient(gateway.AsMember("kasn"))
            .IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi));
        return (proven, issued);
    }

    [Theory, MemberData(nameof(Proofs))]
    public async Task APpkReadsItsOwnAgencysCasesAndNoOthers(bool token)
    {
        var (own, _) = await RecommendedCaseAsync("3303");
        var (other, _) = await RecommendedCaseAsync("3374");
        var cases = Cases("ppk-3303", token, out var options);

        Assert.Equal(own.Nip, (await cases.GetCaseAsync(new GetCaseRequest { Name = own.Name }, options)).Nip);

        var refused = await Assert.ThrowsAsync<RpcException>(() => cases.GetCaseAsync(new GetCaseRequest { Name = other.Name }, options).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            cases.GetCaseAsync(new GetCaseRequest { Name = "cases/0190a5e6-0000-7000-8000-000000000000" }, options).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        // Another agency's case and a case that does not exist get the same answer.
        Assert.Equal(StatusCode.PermissionDenied, missing.StatusCode);
        Assert.Equal(refused.Status.Detail.Replace(other.Name, "X"), missing.Status.Detail.Replace("cases/0190a5e6-0000-7000-8000-000000000000", "X"));

        var listed = await ListAllAsync(cases, new ListCasesRequest(), options);
        Assert.Contains(listed, c => c.Name == own.Name);
        Assert.All(listed, c => Assert.Equal("3303", c.InstansiCode));
        Assert.Empty(await ListAllAsync(cases, new ListCasesRequest { Nip = other.Nip }, options));
        var otherList = await Assert.ThrowsAsync<RpcException>(() =>
            cases.ListCasesAsync(new ListCasesRequest { InstansiCode = "3374" }, options).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, otherList.StatusCode);
    }

    [Theory, MemberData(nameof(Proofs))]
    public async Task APpkReadsAndFollowsUpOnlyItsOwnAgencysRecommendations(bool token)
    {
        var (ownCase, own) = await RecommendedCaseAsync("3303");
        var (otherCase, other) = await RecommendedCaseAsync("3374");
        var desk = Recommendations("ppk-3303", token, out var options);

        Assert.Equal(own.Name, (await desk.GetRecommendationAsync(new GetRecommendationRequest { Name = own.Name }, options)).Name);
        Assert.Equal(own.Name, (await desk.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = ownCase.Name }, options)).Recommendation);
        await AssertDenied(() => desk.GetRecommendationAsync(new GetRecommendationRequest { Name = other.Name }, options).ResponseAsync);
        await AssertDenied(() => desk.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = otherCase.Name }, options).ResponseAsync);
        await AssertDenied(() => desk.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = other.Name }, options).ResponseAsync);
        await AssertDenied(() => desk.ListRecommendationsAsync(new ListRecommendationsRequest { PpkInstansiCode = "3374" }, options).ResponseAsync);
        var listed = (await desk.ListRecommendationsAsync(new ListRecommendationsRequest { PageSize = 1000 }, options)).Recommendations;
        Assert.Contains(listed, r => r.Name == own.Name);
        Assert.All(listed, r => Assert.Equal("3303", r.PpkInstansiCode));

        // A follow-up on another agency's recommendation is refused and writes nothing.
        await AssertDenied(() => desk.RecordFollowUpAsync(
            RecommendationSteps.FollowUp(other.Name, SanctionLevel.HdBerat, 4, 20, Guid.NewGuid().ToString()), options).ResponseAsync);
        var untouched = await new RecommendationService.RecommendationServiceClient(gateway.AsMember("bkn-siasn"))
            .GetRecommendationAsync(new GetRecommendationRequest { Name = other.Name });
        Assert.Empty(untouched.FollowUps);
        Assert.Equal(other.Etag, untouched.Etag);

        // A request id the other agency already used is a reused id, and the refusal names nothing of that agency.
        var usedElsewhere = Guid.NewGuid().ToString();
        var otherDesk = Recommendations("ppk-3374", token, out var otherOptions);
        await otherDesk.RecordFollowUpAsync(RecommendationSteps.FollowUp(other.Name, SanctionLevel.HdBerat, 4, 20, usedElsewhere), otherOptions);
        var reused = await Assert.ThrowsAsync<RpcException>(() =>
            desk.RecordFollowUpAsync(RecommendationSteps.FollowUp(own.Name, SanctionLevel.HdBerat, 4, 20, usedElsewhere), options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, reused.StatusCode);
        Assert.Contains("request_id", reused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Name, reused.Status.Detail, StringComparison.Ordinal);

        var recorded = await desk.RecordFollowUpAsync(RecommendationSteps.FollowUp(own.Name, SanctionLevel.HdBerat, 4, 20), options);
        Assert.Single(recorded.FollowUps);
    }

    [Theory, MemberData(nameof(Proofs))]
    public async Task APpkWatchesOnlyItsOwnAgencysFollowUps(bool token)
    {
        var desk = Recommendations("ppk-3303", token, out var options);
        await AssertDenied(() => ReadOneAsync(desk.WatchFollowUps(new WatchFollowUpsRequest { PpkInstansiCode = "3374" }, options)));

        using var watch = desk.WatchFollowUps(new WatchFollowUpsRequest(), options.WithDeadline(DateTime.UtcNow.AddSeconds(30)));
        var (_, other) = await RecommendedCaseAsync("3374");
        var (_, own) = await RecommendedCaseAsync("3303");
        var seen = new List<FollowUpChange>();
        while (await watch.ResponseStream.MoveNext(CancellationToken.None))
        {
            seen.Add(watch.ResponseStream.Current);
            if (watch.ResponseStream.Current.Recommendation == own.Name)
            {
                break;
            }
        }
        Assert.Contains(seen, c => c.Recommendation == own.Name);
        Assert.DoesNotContain(seen, c => c.Recommendation == other.Name);
        Assert.All(seen, c => Assert.Equal("3303", c.PpkInstansiCode));
    }

    [Theory, MemberData(nameof(Proofs))]
    public async Task APpkSeesFiguresAndRecordsMonevOnlyForItsOwnAgency(bool token)
    {
        await RecommendedCaseAsync("3303");
        await RecommendedCaseAsync("3374");
        var statistics = new StatisticsService.StatisticsServiceClient(Invoker("ppk-3303", token, out var options));
        var monev = new MonevService.MonevServiceClient(Invoker("ppk-3303", token, out _));

        var own = await statistics.GetFunnelAsync(new GetFunnelRequest(), options);
        Assert.Equal("3303", own.Filter.InstansiCode);
        var national = await new StatisticsService.StatisticsServiceClient(gateway.AsMember("kasn")).GetFunnelAsync(new GetFunnelRequest());
        Assert.True(own.Stages[0].Count < national.Stages[0].Count);
        var agencies = await statistics.GetBreakdownAsync(new GetBreakdownRequest { Dimension = Dimension.Instansi }, options);
        Assert.Equal("3303", Assert.Single(agencies.Rows).Key);
        var refused = await Assert.ThrowsAsync<RpcException>(() => statistics.GetFunnelAsync(
            new GetFunnelRequest { Filter = new StatisticsFilter { InstansiCode = "3374" } }, options).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var pact = new IntegrityPact
        {
            InstansiCode = "3374", ElectionId = "pilkada-2024", SignedOn = new Google.Type.Date { Year = 2024, Month = 8, Day = 1 },
            DocumentReference = "800/77/2024", SignatoryCount = 5, AsnCount = 9,
        };
        var foreign = await Assert.ThrowsAsync<RpcException>(() => monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest { Pact = pact }, options).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, foreign.StatusCode);
        var team = new SupervisionTeam
        {
            InstansiCode = "3374", ElectionId = "pilkada-2024", DecreeNumber = "188/1/2024", DecreeDate = new Google.Type.Date { Year = 2024, Month = 8, Day = 1 },
            Members = { new TeamMember { Nip = Reports.NewNip(), Role = TeamRole.Chair } },
        };
        var foreignTeam = await Assert.ThrowsAsync<RpcException>(() => monev.RecordSupervisionTeamAsync(new RecordSupervisionTeamRequest { Team = team }, options).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, foreignTeam.StatusCode);
        var asKasn = new MonevService.MonevServiceClient(gateway.AsMember("kasn"));
        var untouched = await asKasn.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = "3374", ElectionId = "pilkada-2024" });
        Assert.Null(untouched.IntegrityPact);
        Assert.Null(untouched.SupervisionTeam);
        var otherMonev = await Assert.ThrowsAsync<RpcException>(() => monev.GetAgencyMonevAsync(
            new GetAgencyMonevRequest { InstansiCode = "3374", ElectionId = "pilkada-2024" }, options).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, otherMonev.StatusCode);

        pact.InstansiCode = "3303";
        var recorded = await monev.RecordIntegrityPactAsync(new RecordIntegrityPactRequest { Pact = pact }, options);
        Assert.Equal("ppk-3303", recorded.RecordedBy);
        var mine = await monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = "3303", ElectionId = "pilkada-2024" }, options);
        Assert.Equal(DutyStatus.NotMet, mine.Checklist.Single(c => c.Duty == PpkDuty.IntegrityPact).Status);
    }

    [Theory, MemberData(nameof(Proofs))]
    public async Task AProvincialAnswerCarriesNoCaseDetails(bool token)
    {
        var (proven, _) = await RecommendedCaseAsync("3303");
        var province = Cases("pemprov-33", token, out var options);

        var answer = await province.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = proven.Nip }, options);
        Assert.True(answer.HasOpenCase);
        Assert.Equal(1, answer.OpenCaseCount);
        AssertOnlyFields(answer, "nip", "has_open_case", "open_case_count", "blocked", "blocked_since");

        using var bulk = province.CheckOpenCases(options);
        await bulk.RequestStream.WriteAsync(new CheckOpenCasesRequest { Nips = { proven.Nip, Reports.NewNip() } });
        await bulk.RequestStream.CompleteAsync();
        Assert.True(await bulk.ResponseStream.MoveNext(CancellationToken.None));
        var answers = bulk.ResponseStream.Current;
        AssertOnlyFields(answers, "answers");
        Assert.Equal([true, false], answers.Answers.Select(a => a.HasOpenCase));
        Assert.All(answers.Answers, a => AssertOnlyFields(a, "nip", "has_open_case", "open_case_count", "blocked", "blocked_since"));

        // And nothing that would show the case.
        await AssertDenied(() => province.GetCaseAsync(new GetCaseRequest { Name = proven.Name }, options).ResponseAsync);
        await AssertDenied(() => province.ListCasesAsync(new ListCasesRequest { Nip = proven.Nip }, options).ResponseAsync);
    }

    private static void AssertOnlyFields(IMessage message, params string[] allowed)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            var set = value switch
            {
                null => false,
                string text => text.Length > 0,
                bool flag => flag,
                int number => number != 0,
                System.Collections.ICollection items => items.Count > 0,
                _ => true,
            };
            Assert.False(set && !allowed.Contains(field.Name), $"{message.Descriptor.Name}.{field.Name} is set");
        }
        Assert.Equal(allowed.Order(), message.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).Where(allowed.Contains).Order());
    }

    private static async Task<List<Case>> ListAllAsync(CaseService.CaseServiceClient cases, ListCasesRequest request, CallOptions options)
    {
        var all = new List<Case>();
        do
        {
            request.PageSize = 1000;
            var page = await cases.ListCasesAsync(request, options);
            all.AddRange(page.Cases);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return all;
    }

    private static async Task ReadOneAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            await call.ResponseStream.MoveNext(CancellationToken.None);
        }
    }

    private static async Task AssertDenied(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
