using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Google.Rpc;
using Grpc.Core;
using Netralitas.V1;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>A development gateway whose JSON bodies and uploads are bounded small, to reach the limits quickly.</summary>
public abstract class RestGateway<TDatabase> : GatewayFixture<TDatabase> where TDatabase : ITestDatabase, new()
{
    public const int MaxReceiveMessageBytes = 16 * 1024;

    public const int MaxUploadBytes = 64 * 1024;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Netralitas:Security:Limits:MaxReceiveMessageBytes"] = $"{MaxReceiveMessageBytes}",
        ["Netralitas:Security:Limits:MaxUploadBytes"] = $"{MaxUploadBytes}",
    };
}

public sealed class RestSqliteGateway : RestGateway<SqliteTestDatabase>;

public sealed class RestPostgresGateway : RestGateway<PostgresTestDatabase>;

/// <summary>
/// The REST/JSON face of the services (JSON transcoding over h2c on a development gateway), run once
/// per database provider: each answer equals what gRPC gives for the same resource on the same
/// host; streams, downloads and uploads behave as their gRPC twins; bad input is a 400 naming the
/// field and writes nothing; the trail records the protocol.
/// </summary>
public abstract class RestContract(GatewayHost host) : IDisposable
{
    private readonly HttpClient _rest = Rest.Cleartext(host);
    private readonly CaseService.CaseServiceClient _cases = new(host.Channel);
    private readonly RecommendationService.RecommendationServiceClient _recommendations = new(host.Channel);
    private readonly PersonnelService.PersonnelServiceClient _personnel = new(host.Channel);
    private readonly StatisticsService.StatisticsServiceClient _statistics = new(host.Channel);
    private readonly AuditService.AuditServiceClient _audit = new(host.Channel);

    public void Dispose() => _rest.Dispose();

    private static string NewAgency() => $"W-{Guid.NewGuid():N}"[..20];

    private static string Id(string name) => name[(name.IndexOf('/') + 1)..];

    private async Task<int> CountCasesAsync(string nip) =>
        (await _cases.ListCasesAsync(new ListCasesRequest { Nip = nip, PageSize = 1000 })).Cases.Count;

    [Fact]
    public async Task A_case_filed_decided_recommended_and_followed_up_over_REST_reads_as_over_gRPC()
    {
        var nip = Reports.NewNip();
        var instansi = NewAgency();
        var report = Reports.NewCase(nip, instansi);
        var requestId = Guid.NewGuid().ToString();

        var filed = await _rest.PostAsync<Case>($"/v1/cases?requestId={requestId}", report);
        Assert.Matches("^cases/[0-9a-f-]{36}$", filed.Name);
        Assert.Equal((nip, CaseStatus.UnderExamination, true), (filed.Nip, filed.Status, filed.Open));
        Assert.Equal(filed, await _rest.PostAsync<Case>($"/v1/cases?requestId={requestId}", report));
        Assert.Equal(1, await CountCasesAsync(nip));
        Assert.Equal(filed, await _cases.GetCaseAsync(new GetCaseRequest { Name = filed.Name }));
        Assert.Equal(filed, await _rest.GetAsync<Case>($"/v1/{filed.Name}"));

        var open = await _rest.GetAsync<HasOpenCaseResponse>($"/v1/personnel/{nip}:hasOpenCase");
        Assert.Equal((true, 1), (open.HasOpenCase, open.OpenCaseCount));
        Assert.Equal(await _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip }), open);

        var batch = new BatchCheckOpenCasesRequest { Nips = { Reports.NewNip(), nip, "19860926201505100X", nip } };
        var answers = await _rest.PostAsync<BatchCheckOpenCasesResponse>("/v1/personnel:batchCheckOpenCases", batch);
        Assert.Equal(batch.Nips, answers.Answers.Select(a => a.Nip));
        Assert.Equal([false, true, false, true], answers.Answers.Select(a => a.HasOpenCase));
        Assert.Null(answers.Answers[0].Error);
        Assert.Equal((int)Code.InvalidArgument, answers.Answers[2].Error.Code);
        Assert.Equal("nips[2]", answers.Answers[2].Error.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field);
        Assert.Equal(await _cases.BatchCheckOpenCasesAsync(batch), answers);
        await (await _rest.PostAsync("/v1/personnel:batchCheckOpenCases", Rest.Body("{\"nips\": []}", "application/json"))).BadRequestAsync("nips");

        var decision = Reports.Decision(filed.Name, Outcome.Proven, etag: filed.Etag);
        decision.DecidedOn = new Date { Year = 2024, Month = 10, Day = 20 };
        decision.Name = ""; // in the path
        var decided = await _rest.PostAsync<Case>($"/v1/{filed.Name}:decide", decision);
        Assert.Equal(CaseStatus.Proven, decided.Status);
        Assert.Equal(await _cases.GetCaseAsync(new GetCaseRequest { Name = filed.Name }), decided);

        var issue = RecommendationSteps.Issue(decided, instansi);
        issue.Recommendation.IssuedOn = new Date { Year = 2024, Month = 10, Day = 25 };
        var issueId = Guid.NewGuid().ToString();
        var issued = await _rest.PostAsync<Recommendation>($"/v1/{filed.Name}/recommendations?requestId={issueId}", issue.Recommendation);
        Assert.Equal((filed.Name, RecommendationStatus.AwaitingFollowUp), (issued.Case, issued.Status));
        Assert.Equal(issued, await _recommendations.GetRecommendationAsync(new GetRecommendationRequest { Name = issued.Name }));
        Assert.Equal(issued, await _rest.GetAsync<Recommendation>($"/v1/{issued.Name}"));
        Assert.Equal(issued, await _rest.PostAsync<Recommendation>($"/v1/{filed.Name}/recommendations?requestId={issueId}", issue.Recommendation));

        var followUp = RecommendationSteps.FollowUp(issued.Name, SanctionLevel.HdBerat, 11, 4, requestId: Guid.NewGuid().ToString());
        followUp.Name = "";
        var followed = await _rest.PostAsync<Recommendation>($"/v1/{issued.Name}:recordFollowUp", followUp);
        Assert.Single(followed.FollowUps);
        Assert.Equal(await _recommendations.GetRecommendationAsync(new GetRecommendationRequest { Name = issued.Name }), followed);

        var asOf = new Date { Year = 2024, Month = 11, Day = 5 };
        var byCase = await _rest.GetAsync<FollowUpStatus>($"/v1/{filed.Name}:followUpStatus?asOf.year=2024&asOf.month=11&asOf.day=5");
        Assert.Equal(await _recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = filed.Name, AsOf = asOf }), byCase);
        var byRecommendation = await _rest.GetAsync<FollowUpStatus>($"/v1/{issued.Name}:followUpStatus?asOf.year=2024&asOf.month=11&asOf.day=5");
        Assert.Equal(byCase, byRecommendation);
        Assert.Equal((issued.Name, asOf), (byCase.Recommendation, byCase.AsOf));
        Assert.NotEmpty(byCase.History);
    }

    [Fact]
    public async Task A_REST_watch_streams_changes_made_after_it_started()
    {
        var (proven, instansi) = await RecommendationSteps.ProvenCaseAsync(_cases);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The watch answers at once, before any change: both changes are made after it started.
        using var response = await _rest.SendAsync(_rest.Request(HttpMethod.Get, $"/v1/recommendations:watch?ppkInstansiCode={instansi}"),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = await _recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        var first = await stream.NextAsync<FollowUpChange>(cancel.Token);
        Assert.NotNull(first);
        Assert.Equal((FollowUpEventKind.Issued, issued.Name, proven.Name, instansi), (first!.Kind, first.Recommendation, first.Case, first.PpkInstansiCode));
        Assert.NotEmpty(first.ResumeToken);

        var followed = await _recommendations.RecordFollowUpAsync(RecommendationSteps.FollowUp(issued.Name, SanctionLevel.HdBerat, 4, 20));
        var second = await stream.NextAsync<FollowUpChange>(cancel.Token);
        Assert.NotNull(second);
        Assert.Equal((FollowUpEventKind.FollowedUpCompliant, issued.Name, followed.Status), (second!.Kind, second.Recommendation, second.Status));
        Assert.NotEqual(first.ResumeToken, second.ResumeToken);
        await cancel.CancelAsync();
    }

    [Fact]
    public async Task A_REST_export_is_the_file_the_gRPC_export_streams()
    {
        var (proven, instansi) = await RecommendationSteps.ProvenCaseAsync(_cases);
        await RecommendationSteps.ProvenCaseAsync(_cases, Outcome.NotProven, instansi: instansi, position: PositionKind.Administrator);
        await _recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi));
        var filter = new StatisticsFilter { InstansiCode = instansi };

        foreach (var table in new[] { "funnel", "position_kind_proven", "time_series_month" })
        {
            var (grpc, grpcType) = await Downloads.ReadAsync(_statistics.ExportStatistics(new ExportStatisticsRequest { Filter = filter, Format = ExportFormat.Csv, Table = table }));
            using var response = await _rest.GetAsync($"/v1/statistics:export?format=EXPORT_FORMAT_CSV&table={table}&filter.instansiCode={instansi}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/csv", grpcType);
            Assert.Equal(grpcType, response.Content.Headers.ContentType?.ToString());
            var rest = await response.Content.ReadAsByteArrayAsync();
            Assert.True(grpc.AsSpan().SequenceEqual(rest), $"{table}: REST\n{Encoding.UTF8.GetString(rest)}\ngRPC\n{Encoding.UTF8.GetString(grpc)}");
        }

        // A workbook carries its creation time; its sheets are what must agree.
        var (xlsx, xlsxType) = await Downloads.ReadAsync(_statistics.ExportStatistics(new ExportStatisticsRequest { Filter = filter, Format = ExportFormat.Xlsx }));
        using var workbook = await _rest.GetAsync($"/v1/statistics:export?format=EXPORT_FORMAT_XLSX&filter.instansiCode={instansi}");
        Assert.Equal(HttpStatusCode.OK, workbook.StatusCode);
        Assert.Equal(xlsxType, workbook.Content.Headers.ContentType?.ToString());
        var (restSheets, grpcSheets) = (Workbooks.Read(await workbook.Content.ReadAsByteArrayAsync()), Workbooks.Read(xlsx));
        Assert.Equal(grpcSheets.Keys, restSheets.Keys);
        foreach (var (name, rows) in grpcSheets)
        {
            Assert.Equal(rows, restSheets[name]);
        }
    }

    /// <summary>SIASN's field names as an export's header, and rows: good ones, and each kind of rejection.</summary>
    private static readonly string[] ExportHeader = ["nipBaru", "nama", "tglLahir", "jenisKelamin", "instansiKerjaId", "instansiKerjaNama", "jabatanNama", "golRuangAkhir"];

    private static string[][] ExportRows(IReadOnlyList<string> nips)
    {
        string[] Good(string nip, string name = "Sintetis Ani") =>
            [nip, name, $"{nip[6..8]}-{nip[4..6]}-{nip[..4]}", nip[14] == '1' ? "Pria" : "Wanita", "3303", "Kabupaten Purbalingga", "Guru Ahli Muda", "III/c"];
        var badDate = Good(nips[2]);
        badDate[2] = "31-02-1990";
        var otherBirth = Good(nips[4]);
        otherBirth[2] = "01-01-1950";
        var noName = Good(nips[5], name: "");
        return [Good(nips[0]), Good(nips[1], "Sintetis, \"Budi\""), badDate, ["12345", "X", "", "", "", "", "", ""], otherBirth, noName, Good(nips[3])];
    }

    private static byte[] Csv(IEnumerable<string[]> rows)
    {
        static string Field(string value) => value.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
        var text = string.Join("\r\n", new[] { ExportHeader }.Concat(rows).Select(r => string.Join(",", r.Select(Field)))) + "\r\n";
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
    }

    private async Task<ImportPersonnelResponse> StreamAsync(IEnumerable<string[]> rows)
    {
        using var stream = _personnel.ImportPersonnel();
        foreach (var batch in rows.Chunk(3))
        {
            var request = new ImportPersonnelRequest();
            // The header's names are PersonnelRow's JSON names.
            request.Rows.AddRange(batch.Select(r => Rest.Parse<PersonnelRow>(
                "{" + string.Join(",", ExportHeader.Zip(r).Select(f => $"\"{f.First}\":\"{f.Second.Replace("\"", "\\\"")}\"")) + "}")));
            await stream.RequestStream.WriteAsync(request);
        }
        await stream.RequestStream.CompleteAsync();
        return await stream;
    }

    private async Task<ImportPersonnelResponse> UploadAsync(byte[] file) =>
        await (await _rest.PostAsync("/v1/personnel:import", Rest.Body(file, "text/csv"))).ReadAsync<ImportPersonnelResponse>();

    [Fact]
    public async Task An_uploaded_export_is_imported_as_the_same_rows_streamed_and_a_repeat_changes_nothing()
    {
        var streamed = Enumerable.Range(0, 6).Select(_ => Reports.NewNip()).ToArray();
        var uploaded = Enumerable.Range(0, 6).Select(_ => Reports.NewNip()).ToArray();

        var byStream = await StreamAsync(ExportRows(streamed));
        var byUpload = await UploadAsync(Csv(ExportRows(uploaded)));
        Assert.Equal((7L, 3L, 0L, 0L, 4L), (byStream.Received, byStream.Inserted, byStream.Updated, byStream.Unchanged, byStream.Rejected));
        AssertSameImport(byStream, streamed, byUpload, uploaded);
        Assert.Equal(["nama", "nipBaru", "tglLahir", "tglLahir"], byUpload.Rejections.Select(r => r.Field).Order());

        var streamedAgain = await StreamAsync(ExportRows(streamed));
        using var again = await _rest.PostAsync("/v1/personnel:import", Rest.Body(Csv(ExportRows(uploaded)), "text/csv; charset=utf-8"));
        var json = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("\"received\":\"7\"", json); // 64-bit integers as strings
        var uploadedAgain = Rest.Parse<ImportPersonnelResponse>(json);
        Assert.Equal((7L, 0L, 0L, 3L, 4L), (uploadedAgain.Received, uploadedAgain.Inserted, uploadedAgain.Updated, uploadedAgain.Unchanged, uploadedAgain.Rejected));
        Assert.Equal(byUpload.Rejections, uploadedAgain.Rejections);
        AssertSameImport(streamedAgain, streamed, uploadedAgain, uploaded);

        var record = await _personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{uploaded[1]}" });
        var twin = await _personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{streamed[1]}" });
        Assert.Equal(("Sintetis, \"Budi\"", PersonnelSource.Import, "III/c"), (record.FullName, record.Source, record.Rank));
        Assert.Equal((twin.FullName, twin.PositionTitle, twin.InstansiKerjaName, twin.SyncState), (record.FullName, record.PositionTitle, record.InstansiKerjaName, record.SyncState));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => _personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{uploaded[2]}" }).ResponseAsync);
    }

    /// <summary>The same counts and rejections; a streamed row's number is its position, an uploaded one's its line (after the header).</summary>
    private static void AssertSameImport(ImportPersonnelResponse byStream, string[] streamed, ImportPersonnelResponse byUpload, string[] uploaded)
    {
        Assert.Equal((byStream.Received, byStream.Inserted, byStream.Updated, byStream.Unchanged, byStream.Rejected),
            (byUpload.Received, byUpload.Inserted, byUpload.Updated, byUpload.Unchanged, byUpload.Rejected));
        // A NIP, and the birth date it holds, as its place in the set.
        string Neutral(string text, string[] nips) => nips.Select((nip, i) => (nip, i)).Aggregate(text, (t, n) =>
            t.Replace(n.nip, $"{{nip{n.i}}}").Replace($"{n.nip[..4]}-{n.nip[4..6]}-{n.nip[6..8]}", $"{{birth{n.i}}}"));
        Assert.Equal(
            byStream.Rejections.Select(r => (r.Row + 1, Neutral(r.Nip, streamed), r.Field, Neutral(r.Reason, streamed))),
            byUpload.Rejections.Select(r => (r.Row, Neutral(r.Nip, uploaded), r.Field, Neutral(r.Reason, uploaded))));
    }

    [Fact]
    public async Task A_broken_or_oversized_upload_is_refused_naming_the_line_and_imports_nothing()
    {
        var nips = Enumerable.Range(0, 4).Select(_ => Reports.NewNip()).ToArray();
        var good = Encoding.UTF8.GetBytes($"nipBaru,nama\n{nips[0]},Ani\n");

        var unclosed = Encoding.UTF8.GetBytes($"nipBaru,nama\n{nips[0]},Ani\n{nips[1]},\"Budi\n{nips[2]},Cici\n");
        var quoting = await (await _rest.PostAsync("/v1/personnel:import", Rest.Body(unclosed, "text/csv"))).BadRequestAsync("file");
        Assert.StartsWith("line 3:", quoting[0].Description);

        byte[] notUtf8 = [.. good, .. Encoding.UTF8.GetBytes($"{nips[1]},B"), 0xFF, .. Encoding.UTF8.GetBytes("udi\n")];
        var encoding = await (await _rest.PostAsync("/v1/personnel:import", Rest.Body(notUtf8, "text/csv"))).BadRequestAsync("file");
        Assert.StartsWith("line 3:", encoding[0].Description);
        Assert.Contains("0xFF", encoding[0].Description);

        var latin1 = await (await _rest.PostAsync("/v1/personnel:import", Rest.Body(good, "text/csv; charset=iso-8859-1"))).BadRequestAsync("file.content_type");
        Assert.Contains("UTF-8", latin1[0].Description);
        await (await _rest.PostAsync("/v1/personnel:import", Rest.Body(good, "text/plain"))).BadRequestAsync("file.content_type");
        await (await _rest.PostAsync("/v1/personnel:import", Rest.Body([], "text/csv"))).BadRequestAsync("file");

        var rows = string.Concat(Enumerable.Range(0, RestGateway<SqliteTestDatabase>.MaxUploadBytes / 30).Select(_ => $"{nips[3]},Sintetis Ani Budi\n"));
        var large = Encoding.UTF8.GetBytes($"nipBaru,nama\n{nips[0]},Ani\n{rows}");
        Assert.True(large.Length > RestGateway<SqliteTestDatabase>.MaxUploadBytes);
        await (await _rest.PostAsync("/v1/personnel:import", Rest.Body(large, "text/csv"))).BadRequestAsync("body");
        // Sent without Content-Length, it is cut off at the limit all the same.
        await (await _rest.PostAsync("/v1/personnel:import", Rest.Unsized(large, "text/csv"))).BadRequestAsync("body");

        foreach (var nip in nips)
        {
            await RpcAssert.StatusAsync(StatusCode.NotFound, () => _personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{nip}" }).ResponseAsync);
        }
    }

    [Fact]
    public async Task Bad_JSON_is_a_400_naming_the_field_and_files_nothing()
    {
        var nip = Reports.NewNip();
        var report = Rest.Json(Reports.NewCase(nip));
        string Changed(Action<JsonObject> change)
        {
            var json = JsonNode.Parse(report)!.AsObject();
            change(json);
            return json.ToJsonString();
        }
        Task<HttpResponseMessage> File(string body, string contentType = "application/json", string query = "") =>
            _rest.PostAsync("/v1/cases" + query, Rest.Body(body, contentType));

        var malformed = await (await File(report[..^20])).BadRequestAsync("body");
        Assert.Matches("malformed JSON at line 1, column [0-9]+", malformed[0].Description);
        await (await File(report + "}")).BadRequestAsync("body");
        await (await File("")).BadRequestAsync("body");
        await (await File("[1, 2]")).BadRequestAsync("case"); // the body is the request's `case`

        await (await File(Changed(c =>
        {
            c["nip"] = long.Parse(nip);
            c["actDate"]!["year"] = "next";
            c["place"] = new JsonArray();
            c["evidenceReferences"] = "https://example.invalid/post/1";
        }))).BadRequestAsync("case.nip", "case.actDate.year", "case.place", "case.evidenceReferences");
        await (await File(Changed(c =>
        {
            c["colour"] = "red";
            c["place"]!["regencyName"] = "Purbalingga";
        }))).BadRequestAsync("case.place.regencyName", "case.colour");
        await (await File(Changed(c =>
        {
            c["reportedPosition"]!["kind"] = "FUNGSIONAL";
            c["source"] = "REPORT_SOURCE_MARS";
        }))).BadRequestAsync("case.reportedPosition.kind", "case.source");
        await (await File(report, query: $"?requestId={Guid.NewGuid()}&priority=high")).BadRequestAsync("priority");

        var tooLarge = Changed(c => c["evidenceReferences"] = new JsonArray([.. Enumerable.Range(0, 600).Select(i => (JsonNode)$"https://example.invalid/post/{i}")]));
        Assert.True(Encoding.UTF8.GetByteCount(tooLarge) > RestGateway<SqliteTestDatabase>.MaxReceiveMessageBytes);
        await (await File(tooLarge)).BadRequestAsync("body");
        // Sent without Content-Length, it is cut off at the limit all the same.
        await (await _rest.PostAsync("/v1/cases", Rest.Unsized(Encoding.UTF8.GetBytes(tooLarge), "application/json"))).BadRequestAsync("body");

        var plain = await (await File(report, contentType: "text/plain")).BadRequestAsync("body");
        Assert.Contains("application/json", plain[0].Description);

        // What the service itself refuses is named as over gRPC.
        await (await File("{}")).BadRequestAsync("case.nip", "case.reported_name", "case.instansi_code", "case.instansi_name", "case.election_id",
            "case.violation_code", "case.place.province_code", "case.act_date", "case.source");
        Assert.Equal(0, await CountCasesAsync(nip));
    }

    [Fact]
    public async Task Bad_query_and_path_values_are_a_400_naming_the_field()
    {
        await (await _rest.GetAsync("/v1/cases?status=CASE_STATUS_CLOSED")).BadRequestAsync("status");
        await (await _rest.GetAsync("/v1/cases?pageSize=ten&colour=red")).BadRequestAsync("pageSize", "colour");
        await (await _rest.GetAsync("/v1/statistics:export?format=EXPORT_FORMAT_PDF")).BadRequestAsync("format");
        await (await _rest.GetAsync("/v1/statistics:export?format=EXPORT_FORMAT_CSV&table=salaries")).BadRequestAsync("table");
        await (await _rest.GetAsync("/v1/statistics:export?format=EXPORT_FORMAT_CSV&filter=x")).BadRequestAsync("filter");

        await (await _rest.GetAsync("/v1/cases/42")).BadRequestAsync("name");
        await (await _rest.GetAsync("/v1/recommendations/not-a-uuid")).BadRequestAsync("name");
        await (await _rest.GetAsync("/v1/personnel/12345:hasOpenCase")).BadRequestAsync("nip");
        await (await _rest.GetAsync("/v1/personnel/198602302010011001/blockStatus")).BadRequestAsync("nip");
        var decision = Reports.Decision("", Outcome.Proven);
        await (await _rest.PostAsync("/v1/cases/42:decide", Rest.Body(decision))).BadRequestAsync("name");

        var missing = await (await _rest.GetAsync($"/v1/cases/{Guid.NewGuid()}")).ErrorAsync(HttpStatusCode.NotFound, Code.NotFound);
        Assert.NotNull(missing.Details.SingleOrDefault(d => d.Is(ResourceInfo.Descriptor)));

        foreach (var (verb, path) in new[] { ("GET", "/v1/nothing"), ("GET", "/v1/cases/x/y/z"), ("POST", "/v1/personnel:explode") })
        {
            using var request = _rest.Request(new HttpMethod(verb), path, verb == "POST" ? Rest.Body("{}") : null);
            var status = await (await _rest.SendAsync(request)).ErrorAsync(HttpStatusCode.NotFound, Code.NotFound);
            Assert.Equal("NO_SUCH_PATH", status.Reason());
        }
    }

    [Fact]
    public async Task The_trail_records_a_REST_call_with_its_request_id_and_a_gRPC_call_as_gRPC()
    {
        var (restNip, grpcNip) = (Reports.NewNip(), Reports.NewNip());
        var requestId = $"rest-{Guid.NewGuid():N}";
        using var request = _rest.Request(HttpMethod.Get, $"/v1/personnel/{restNip}:hasOpenCase");
        request.Headers.Add("x-request-id", requestId);
        using var response = await _rest.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([requestId], response.Headers.GetValues("x-request-id"));
        using var call = _cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = grpcNip }, new Metadata { { "x-request-id", "grpc-" + requestId } });
        await call.ResponseAsync;

        var rest = Assert.Single((await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { Nip = restNip })).Entries);
        Assert.Equal((CallProtocol.Rest, requestId, "/netralitas.v1.CaseService/HasOpenCase", "OK"), (rest.Protocol, rest.RequestId, rest.Method, rest.Status));
        var grpc = Assert.Single((await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { Nip = grpcNip })).Entries);
        Assert.Equal((CallProtocol.Grpc, "grpc-" + requestId), (grpc.Protocol, grpc.RequestId));
        // The trail read over REST: the same entry, the protocol by its enum name; and, as a call
        // about the NIP too, the gRPC listing just made.
        var json = await _rest.GetStringAsync($"/v1/auditEntries?nip={restNip}");
        Assert.Contains("\"protocol\":\"CALL_PROTOCOL_REST\"", json);
        var listed = Rest.Parse<ListAuditEntriesResponse>(json).Entries;
        Assert.Equal(2, listed.Count);
        Assert.Equal(rest, listed[0]);
        Assert.Equal((CallProtocol.Grpc, "/netralitas.v1.AuditService/ListAuditEntries"), (listed[1].Protocol, listed[1].Method));

        // A case filed over REST: the request id of the message, its case, and the refusal of a bad one too.
        var nip = Reports.NewNip();
        var fileId = Guid.NewGuid().ToString();
        var filed = await _rest.PostAsync<Case>($"/v1/cases?requestId={fileId}", Reports.NewCase(nip));
        var entry = Assert.Single((await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { Nip = nip })).Entries);
        Assert.Equal((CallProtocol.Rest, fileId, "/netralitas.v1.CaseService/FileCase"), (entry.Protocol, entry.RequestId, entry.Method));
        Assert.Equal([filed.CaseId], entry.CaseIds);
        // A refusal's entry is not awaited before the answer: it follows.
        var since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(-1));
        using var refusal = _rest.Request(HttpMethod.Get, $"/v1/personnel/{nip[..17]}:hasOpenCase");
        refusal.Headers.Add("x-request-id", "refused-" + requestId);
        await (await _rest.SendAsync(refusal)).BadRequestAsync("nip");
        await Poll.UntilAsync(async () => (await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest
            { Method = "/netralitas.v1.CaseService/HasOpenCase", StartTime = since, PageSize = 1000 })).Entries
            .Any(e => (e.Protocol, e.RequestId, e.Status) == (CallProtocol.Rest, "refused-" + requestId, "InvalidArgument")), TimeSpan.FromSeconds(10));
    }
}

public sealed class RestOnSqlite(RestSqliteGateway gateway) : RestContract(gateway.Host), IClassFixture<RestSqliteGateway>;

public sealed class RestOnPostgres(RestPostgresGateway gateway) : RestContract(gateway.Host), IClassFixture<RestPostgresGateway>;
