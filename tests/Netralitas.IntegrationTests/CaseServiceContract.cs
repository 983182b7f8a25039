using Google.Rpc;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>CaseService and CatalogService over real gRPC, run once per database provider.</summary>
public abstract class CaseServiceContract(GatewayHost host)
{
    private readonly CaseService.CaseServiceClient _cases = new(host.Channel);
    private readonly CatalogService.CatalogServiceClient _catalog = new(host.Channel);

    private async Task<Case> FileAsync(Case report, string requestId = "") =>
        await _cases.FileCaseAsync(new FileCaseRequest { Case = report, RequestId = requestId });

    private async Task<int> CountCasesAsync(string nip) =>
        (await _cases.ListCasesAsync(new ListCasesRequest { Nip = nip, PageSize = 1000 })).Cases.Count;

    [Fact]
    public async Task A_filed_case_opens_the_nip_and_a_not_proven_decision_closes_it()
    {
        var nip = Reports.NewNip();
        Assert.False((await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip })).HasOpenCase);

        var filed = await FileAsync(Reports.NewCase(nip));
        Assert.Matches("^cases/[0-9a-f-]{36}$", filed.Name);
        Assert.Equal(CaseStatus.UnderExamination, filed.Status);
        Assert.Equal(Period.DuringCampaign, filed.Period);
        Assert.Equal(Track.Discipline, filed.Track);
        Assert.Equal(SanctionLevel.HdBerat, filed.CatalogSanction);
        Assert.True(filed.Open);

        var open = await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip });
        Assert.True(open.HasOpenCase);
        Assert.Equal(1, open.OpenCaseCount);

        var decided = await _cases.DecideCaseAsync(Reports.Decision(filed.Name, Outcome.NotProven));
        Assert.Equal(CaseStatus.NotProven, decided.Status);
        Assert.Equal("BA/KASN/2024/117", decided.Decision.Reference);
        Assert.NotEqual(filed.Etag, decided.Etag);
        Assert.False((await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip })).HasOpenCase);
        Assert.Equal(decided, await _cases.GetCaseAsync(new GetCaseRequest { Name = filed.Name }));
    }

    [Fact]
    public async Task A_proven_case_stays_open_and_counts_add_up()
    {
        var nip = Reports.NewNip();
        var first = await FileAsync(Reports.NewCase(nip));
        await FileAsync(Reports.NewCase(nip));
        await _cases.DecideCaseAsync(Reports.Decision(first.Name, Outcome.Proven));
        var answer = await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip });
        Assert.Equal(2, answer.OpenCaseCount);
    }

    [Fact]
    public async Task Repeating_FileCase_with_one_request_id_yields_one_case()
    {
        var nip = Reports.NewNip();
        var requestId = Guid.NewGuid().ToString();
        var first = await FileAsync(Reports.NewCase(nip), requestId);
        var again = await FileAsync(Reports.NewCase(nip), requestId);
        Assert.Equal(first, again);
        Assert.Equal(1, await CountCasesAsync(nip));
        Assert.Equal(1, (await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip })).OpenCaseCount);

        var other = Reports.NewCase(nip);
        other.ViolationCode = "APK";
        await RpcAssert.InvalidArgumentAsync(() => FileAsync(other, requestId), "request_id");
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_request_id_yield_one_case()
    {
        var nip = Reports.NewNip();
        var requestId = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => FileAsync(Reports.NewCase(nip), requestId)));
        Assert.Single(results.Select(r => r.Name).Distinct());
        Assert.Equal(1, await CountCasesAsync(nip));
        Assert.Equal(1, (await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip })).OpenCaseCount);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("198602302010011001")]
    [InlineData("")]
    public async Task HasOpenCase_refuses_a_malformed_nip(string nip)
    {
        var violations = await RpcAssert.InvalidArgumentAsync(() => _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip }).ResponseAsync, "nip");
        Assert.NotEmpty(violations[0].Description);
    }

    [Fact]
    public async Task A_bad_report_names_every_bad_field_and_writes_nothing()
    {
        var nip = Reports.NewNip();
        var report = Reports.NewCase(nip);
        report.ReportedName = "";
        report.ElectionId = "pilkada-2099";
        report.ViolationCode = "NOT_IN_CATALOG";
        report.ActDate = new Google.Type.Date { Year = DateTime.UtcNow.Year + 1, Month = 1, Day = 1 };
        report.Place.ProvinceCode = "";
        report.Source = ReportSource.Unspecified;
        await RpcAssert.InvalidArgumentAsync(() => FileAsync(report, Guid.NewGuid().ToString()),
            "case.reported_name", "case.election_id", "case.violation_code", "case.place.province_code", "case.act_date", "case.source");
        Assert.Equal(0, await CountCasesAsync(nip));
        Assert.False((await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip })).HasOpenCase);

        await RpcAssert.InvalidArgumentAsync(() => _cases.FileCaseAsync(new FileCaseRequest()).ResponseAsync,
            "case.nip", "case.reported_name", "case.instansi_code", "case.instansi_name", "case.election_id",
            "case.violation_code", "case.place.province_code", "case.act_date", "case.source");
    }

    [Fact]
    public async Task Unknown_and_malformed_names_are_told_apart()
    {
        var missing = $"cases/{Guid.NewGuid()}";
        var notFound = await RpcAssert.StatusAsync(StatusCode.NotFound, () => _cases.GetCaseAsync(new GetCaseRequest { Name = missing }).ResponseAsync);
        Assert.Equal(missing, notFound.GetRpcStatus()!.GetDetail<ResourceInfo>()!.ResourceName);
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => _cases.DecideCaseAsync(Reports.Decision(missing, Outcome.Proven)).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync(() => _cases.GetCaseAsync(new GetCaseRequest { Name = "cases/42" }).ResponseAsync, "name");
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => _catalog.GetElectionAsync(new GetElectionRequest { Name = "elections/pemilu-1955" }).ResponseAsync);
    }

    [Fact]
    public async Task A_case_is_decided_once_and_a_stale_etag_is_refused()
    {
        var filed = await FileAsync(Reports.NewCase(Reports.NewNip()));
        var stale = await RpcAssert.StatusAsync(StatusCode.Aborted,
            () => _cases.DecideCaseAsync(Reports.Decision(filed.Name, Outcome.Proven, etag: "\"999\"")).ResponseAsync);
        Assert.Equal("CONCURRENT_MODIFICATION", stale.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);

        await _cases.DecideCaseAsync(Reports.Decision(filed.Name, Outcome.Proven, etag: filed.Etag));
        var twice = await RpcAssert.StatusAsync(StatusCode.FailedPrecondition,
            () => _cases.DecideCaseAsync(Reports.Decision(filed.Name, Outcome.NotProven)).ResponseAsync);
        Assert.Equal("CASE_ALREADY_DECIDED", twice.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal(CaseStatus.Proven, (await _cases.GetCaseAsync(new GetCaseRequest { Name = filed.Name })).Status);
    }

    [Fact]
    public async Task Two_concurrent_deciders_do_not_overwrite_each_other()
    {
        for (var round = 0; round < 5; round++)
        {
            var nip = Reports.NewNip();
            var filed = await FileAsync(Reports.NewCase(nip));
            var attempts = new[] { Outcome.Proven, Outcome.NotProven }.Select(async outcome =>
            {
                try
                {
                    return (Outcome: outcome, Case: (Case?)await _cases.DecideCaseAsync(Reports.Decision(filed.Name, outcome)));
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Aborted or StatusCode.FailedPrecondition)
                {
                    return (Outcome: outcome, Case: null);
                }
            });
            var results = await Task.WhenAll(attempts);
            var winner = Assert.Single(results, r => r.Case is not null);
            var stored = await _cases.GetCaseAsync(new GetCaseRequest { Name = filed.Name });
            Assert.Equal(winner.Outcome, stored.Decision.Outcome);
            Assert.Equal(winner.Outcome == Outcome.Proven, (await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip })).HasOpenCase);
        }
    }

    [Fact]
    public async Task A_decision_dated_before_the_act_is_refused()
    {
        var filed = await FileAsync(Reports.NewCase(Reports.NewNip()));
        var request = Reports.Decision(filed.Name, Outcome.Proven);
        request.DecidedOn = new Google.Type.Date { Year = 2024, Month = 10, Day = 1 };
        await RpcAssert.InvalidArgumentAsync(() => _cases.DecideCaseAsync(request).ResponseAsync, "decided_on");
        await RpcAssert.InvalidArgumentAsync(() => _cases.DecideCaseAsync(new DecideCaseRequest { Name = filed.Name }).ResponseAsync,
            "outcome", "decision_reference", "decided_on");
        Assert.True((await _cases.GetCaseAsync(new GetCaseRequest { Name = filed.Name })).Open);
    }

    [Fact]
    public async Task ListCases_pages_through_every_match_once_in_filing_order()
    {
        var instansi = $"T-{Guid.NewGuid():N}"[..20];
        var filed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            filed.Add((await FileAsync(Reports.NewCase(Reports.NewNip(), instansi))).Name);
        }
        var seen = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await _cases.ListCasesAsync(new ListCasesRequest { InstansiCode = instansi, PageSize = 2, PageToken = token });
            seen.AddRange(page.Cases.Select(c => c.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token != "");
        Assert.Equal(filed, seen);
        Assert.Equal(3, pages);

        var first = await _cases.ListCasesAsync(new ListCasesRequest { InstansiCode = instansi, PageSize = 2 });
        await RpcAssert.InvalidArgumentAsync(() => _cases.ListCasesAsync(new ListCasesRequest
            { InstansiCode = "another", PageSize = 2, PageToken = first.NextPageToken }).ResponseAsync, "page_token");
        await RpcAssert.InvalidArgumentAsync(() => _cases.ListCasesAsync(new ListCasesRequest { PageSize = -1 }).ResponseAsync, "page_size");

        var provinceAndStatus = await _cases.ListCasesAsync(new ListCasesRequest
            { InstansiCode = instansi, ProvinceCode = "33", Status = CaseStatus.UnderExamination, ElectionId = "pilkada-2024" });
        Assert.Equal(5, provinceAndStatus.Cases.Count);
        Assert.Empty((await _cases.ListCasesAsync(new ListCasesRequest { InstansiCode = instansi, Status = CaseStatus.Proven })).Cases);
    }

    [Fact]
    public async Task CheckOpenCases_refuses_a_message_of_more_than_10000_nips_and_answers_an_empty_one_with_no_answers()
    {
        using var call = _cases.CheckOpenCases();
        await call.RequestStream.WriteAsync(new CheckOpenCasesRequest());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Empty(call.ResponseStream.Current.Answers);

        await call.RequestStream.WriteAsync(new CheckOpenCasesRequest { Nips = { Enumerable.Range(0, 10_001).Select(_ => Reports.NewNip()) } });
        var violations = await RpcAssert.InvalidArgumentAsync(() => call.ResponseStream.MoveNext(CancellationToken.None), "nips");
        Assert.Contains("at most 10000", violations[0].Description);
    }

    [Fact]
    public async Task BatchCheckOpenCases_answers_in_order_gives_a_bad_nip_its_own_error_and_refuses_none_or_more_than_10000()
    {
        var open = Reports.NewNip();
        await FileAsync(Reports.NewCase(open));
        var answers = (await _cases.BatchCheckOpenCasesAsync(new BatchCheckOpenCasesRequest { Nips = { Reports.NewNip(), open, "1986022", open } })).Answers;
        Assert.Equal([false, true, false, true], answers.Select(a => a.HasOpenCase));
        Assert.Null(answers[0].Error);
        Assert.Equal((int)Code.InvalidArgument, answers[2].Error.Code);
        Assert.Equal("nips[2]", answers[2].Error.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field);

        var none = await RpcAssert.InvalidArgumentAsync(() => _cases.BatchCheckOpenCasesAsync(new BatchCheckOpenCasesRequest()).ResponseAsync, "nips");
        Assert.Contains("got 0", none[0].Description);
        var tooMany = new BatchCheckOpenCasesRequest { Nips = { Enumerable.Range(0, 10_001).Select(_ => Reports.NewNip()) } };
        var over = await RpcAssert.InvalidArgumentAsync(() => _cases.BatchCheckOpenCasesAsync(tooMany).ResponseAsync, "nips");
        Assert.Contains("got 10001", over[0].Description);
    }

    [Fact]
    public async Task CheckOpenCases_answers_100000_nips_in_order_each_matched_to_its_nip()
    {
        const int total = 100_000;
        const int batch = 1_000;
        // 100,000 distinct valid NIPs: 10,000 birth dates x 10 sequence numbers.
        var nips = Enumerable.Range(0, total).Select(i =>
        {
            var birth = new DateOnly(1961, 1, 1).AddDays(i % 10_000);
            return $"{birth:yyyyMMdd}{birth.AddYears(24):yyyyMM}{1 + i % 2}{900 + i / 10_000:D3}";
        }).ToArray();
        Assert.Equal(total, nips.Distinct().Count());

        // Open cases for 20 NIPs spread over the stream (two for one of them); two malformed NIPs.
        var expected = new Dictionary<int, int>();
        foreach (var position in Enumerable.Range(0, 20).Select(k => k * 4_999 + 7))
        {
            await FileAsync(Reports.NewCase(nips[position]));
            expected[position] = 1;
        }
        await FileAsync(Reports.NewCase(nips[7]));
        expected[7] = 2;
        nips[12_345] = "123";
        nips[99_999] = "198602302010011001";

        using var call = _cases.CheckOpenCases();
        var reading = Task.Run(async () =>
        {
            var answers = new List<OpenCaseAnswer>(total);
            var messages = 0;
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                Assert.Equal(batch, response.Answers.Count);
                answers.AddRange(response.Answers);
                messages++;
            }
            return (answers, messages);
        });
        for (var offset = 0; offset < total; offset += batch)
        {
            await call.RequestStream.WriteAsync(new CheckOpenCasesRequest { Nips = { nips.Skip(offset).Take(batch) } });
        }
        await call.RequestStream.CompleteAsync();
        var (all, messageCount) = await reading;

        Assert.Equal(total / batch, messageCount);
        Assert.Equal(nips, all.Select(a => a.Nip));
        Assert.Equal(3, all[12_345].Error.Code);
        Assert.Equal("nips[345]", all[12_345].Error.Details[0].Unpack<BadRequest>().FieldViolations[0].Field);
        Assert.Equal(3, all[99_999].Error.Code);
        for (var i = 0; i < total; i++)
        {
            if (i is 12_345 or 99_999)
            {
                continue;
            }
            var count = expected.GetValueOrDefault(i);
            Assert.True(all[i].Error is null && all[i].OpenCaseCount == count && all[i].HasOpenCase == count > 0,
                $"answer {i} for {nips[i]}: {all[i]}; expected {count} open");
        }
    }

    [Fact]
    public async Task Malformed_values_in_every_method_are_INVALID_ARGUMENT_naming_the_field()
    {
        var report = Reports.NewCase(Reports.NewNip());
        report.Source = (ReportSource)99;
        report.ReportedPosition.Kind = (PositionKind)42;
        report.ReportedName = new string('x', 201);
        report.InstansiName = "Kabupaten\0Purbalingga";
        report.EvidenceReferences.Add("https://example.invalid/\u202e");
        await RpcAssert.InvalidArgumentAsync(() => FileAsync(report),
            "case.reported_name", "case.instansi_name", "case.reported_position.kind", "case.source", "case.evidence_references[1]");

        await RpcAssert.InvalidArgumentAsync(() => _cases.ListCasesAsync(new ListCasesRequest
        {
            InstansiCode = "33\003", ElectionId = new string('e', 65), ProvinceCode = "333", Status = (CaseStatus)7, Nip = "1",
        }).ResponseAsync, "nip", "status", "instansi_code", "election_id", "province_code");

        var filed = await FileAsync(Reports.NewCase(Reports.NewNip()));
        await RpcAssert.InvalidArgumentAsync(() => _cases.DecideCaseAsync(Reports.Decision(filed.Name, (Outcome)9, etag: "garbage")).ResponseAsync,
            "outcome", "etag");
        await RpcAssert.InvalidArgumentAsync(() => _catalog.GetElectionAsync(new GetElectionRequest { Name = "pilkada-2024" }).ResponseAsync, "name");
        Assert.True((await _cases.GetCaseAsync(new GetCaseRequest { Name = filed.Name })).Open);
    }

    [Fact]
    public async Task The_catalog_and_calendars_can_be_read()
    {
        var violations = await _catalog.ListViolationsAsync(new ListViolationsRequest());
        Assert.Equal("SKB-5KL-2022", violations.CatalogVersion);
        Assert.Equal(15, violations.Violations.Count);
        var elections = await _catalog.ListElectionsAsync(new ListElectionsRequest());
        Assert.Contains(elections.Elections, e => e.ElectionId == "pemilu-2024");
        var pilkada = await _catalog.GetElectionAsync(new GetElectionRequest { Name = "elections/pilkada-2024" });
        Assert.Equal(new Google.Type.Date { Year = 2024, Month = 11, Day = 27 }, pilkada.VotingDate);
        Assert.Equal(38, (await _catalog.ListProvincesAsync(new ListProvincesRequest())).Provinces.Count);
    }

    [Fact]
    public async Task Reflection_lists_the_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(host.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("netralitas.v1.CaseService", services);
        Assert.Contains("netralitas.v1.CatalogService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}

public sealed class CaseServiceOnSqlite(SqliteGateway gateway) : CaseServiceContract(gateway.Host), IClassFixture<SqliteGateway>;

public sealed class CaseServiceOnPostgres(PostgresGateway gateway) : CaseServiceContract(gateway.Host), IClassFixture<PostgresGateway>;
