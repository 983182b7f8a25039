using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Netralitas.Gateway.Telemetry;
using Netralitas.Simulator;
using Netralitas.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Netralitas.IntegrationTests;

/// <summary>
/// Alone, because meters and activity listeners are process-wide: another gateway in this test
/// process would add its calls and spans to the ones counted here.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>
/// The real gateway (SQLite) with Prometheus and OTLP turned on, against the SIASN simulator and an
/// OTLP receiver, after a load of real calls: filings, the escalation ladder up to blocks that the
/// outbox delivers to SIASN, open-case checks over gRPC, REST and a stream, a personnel lookup.
/// </summary>
public sealed class TelemetryScenario : IAsyncLifetime
{
    public const int Blocked = 3;
    public const int UnderExamination = 4;
    public const int HasOpenCaseGrpc = 25;
    public const int HasOpenCaseRest = 5;
    public const int BatchSize = 40;
    public const int Batches = 2;
    public const int StreamMessages = 3;
    public const int StreamMessageSize = 10;

    private static readonly DateOnly[] LadderDays = [new(2024, 4, 30), new(2024, 5, 7), new(2024, 5, 16), new(2024, 5, 27)];

    private readonly SqliteTestDatabase _database = new();
    private RunningSiasnSimulator? _simulator;

    public OtlpReceiver Receiver { get; private set; } = null!;
    public GatewayHost Host { get; private set; } = null!;
    public string EscalationRequestId { get; } = $"telemetry-escalation-{Guid.NewGuid():N}";
    public string PersonnelRequestId { get; } = $"telemetry-personnel-{Guid.NewGuid():N}";
    public int EscalationSteps { get; private set; }
    public Uri ScrapeUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SiasnSimulator.StartAsync(new SiasnSimulatorOptions());
        Receiver = await OtlpReceiver.StartAsync();
        var clock = GatewayHost.ShiftedClock.At(new DateOnly(2024, 3, 21));
        Host = await SiasnContract<SqliteTestDatabase>.StartGatewayAsync(_database, _simulator, clock,
            ("Netralitas:Telemetry:PrometheusUrl", "http://127.0.0.1:0"),
            ("Netralitas:Telemetry:SampleInterval", "00:00:00.200"),
            ("Netralitas:OpenCaseIndex:ReconcileInterval", "00:00:01"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", Receiver.Address.ToString().TrimEnd('/')),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "1000"));
        var scrape = Host.Services.GetRequiredService<PrometheusScrapeServer>();
        ScrapeUrl = new Uri(scrape.Address!, "/metrics");

        var cases = new CaseService.CaseServiceClient(Host.Channel);
        var recommendations = new RecommendationService.RecommendationServiceClient(Host.Channel);
        var compliance = new ComplianceService.ComplianceServiceClient(Host.Channel);
        var personnel = new PersonnelService.PersonnelServiceClient(Host.Channel);
        var instansi = $"T-{Guid.NewGuid():N}"[..20];

        // Up to blocks: 3 proven cases, recommended, unanswered; the last sweep blocks them.
        var blockedNips = new List<string>();
        for (var i = 0; i < Blocked; i++)
        {
            clock.MoveTo(new DateOnly(2024, 3, 21));
            var (proven, _) = await RecommendationSteps.ProvenCaseAsync(cases, instansi: instansi);
            clock.MoveTo(new DateOnly(2024, 4, 5));
            await recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi));
            blockedNips.Add(proven.Nip);
        }
        foreach (var day in LadderDays)
        {
            clock.MoveTo(day);
            var run = await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi },
                day == LadderDays[^1] ? new Metadata { { "x-request-id", EscalationRequestId } } : null);
            EscalationSteps += run.Steps.Count;
        }

        var open = new List<string>(blockedNips);
        for (var i = 0; i < UnderExamination; i++)
        {
            var report = Reports.NewCase(Reports.NewNip(), instansi);
            report.ElectionId = "pemilu-2024";
            report.ActDate = new Google.Type.Date { Year = 2024, Month = 1, Day = 10 };
            var filed = await cases.FileCaseAsync(new FileCaseRequest { Case = report });
            open.Add(filed.Nip);
        }

        for (var i = 0; i < HasOpenCaseGrpc; i++)
        {
            await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = i % 2 == 0 ? open[i % open.Count] : Reports.NewNip() });
        }
        await RpcAssert.StatusAsync(StatusCode.InvalidArgument,
            () => cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = "123" }).ResponseAsync);
        using (var rest = Rest.Cleartext(Host))
        {
            for (var i = 0; i < HasOpenCaseRest; i++)
            {
                await rest.GetAsync<HasOpenCaseResponse>($"/v1/personnel/{open[i % open.Count]}:hasOpenCase");
            }
            var malformed = await rest.SendAsync(rest.Request(HttpMethod.Post, "/v1/personnel:batchCheckOpenCases", Rest.Body("{\"nips\": [")));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, malformed.StatusCode);
        }
        for (var i = 0; i < Batches; i++)
        {
            var batch = new BatchCheckOpenCasesRequest();
            batch.Nips.AddRange(Enumerable.Range(0, BatchSize).Select(_ => Reports.NewNip()));
            await cases.BatchCheckOpenCasesAsync(batch);
        }
        using (var stream = cases.CheckOpenCases())
        {
            for (var i = 0; i < StreamMessages; i++)
            {
                var message = new CheckOpenCasesRequest();
                message.Nips.AddRange(Enumerable.Range(0, StreamMessageSize).Select(_ => Reports.NewNip()));
                await stream.RequestStream.WriteAsync(message);
                Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
            }
            await stream.RequestStream.CompleteAsync();
            Assert.False(await stream.ResponseStream.MoveNext(CancellationToken.None));
        }

        await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{Reports.NewNip()}" },
            new Metadata { { "x-request-id", PersonnelRequestId } });
        await Poll.UntilAsync(() => blockedNips.All(_simulator.State.IsBlocked), TimeSpan.FromSeconds(30));
    }

    public async Task<PrometheusText> ScrapeAsync()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(ScrapeUrl);
        response.EnsureSuccessStatusCode();
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Host.DisposeAsync();
        }
        finally
        {
            await Receiver.DisposeAsync();
            if (_simulator is not null)
            {
                await _simulator.DisposeAsync();
            }
            await _database.DisposeAsync();
        }
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryContract(TelemetryScenario scenario) : IClassFixture<TelemetryScenario>
{
    private const string CallCount = "rpc_server_call_duration_seconds_count";

    [Fact]
    public async Task A_Prometheus_scrape_shows_every_meter_with_the_calls_made()
    {
        // The backlogs are sampled (200 ms here) and the audit commits after some answers leave: wait until both settle.
        PrometheusText scrape = null!;
        await Poll.UntilAsync(async () =>
        {
            scrape = await ScrapeAsync();
            return scrape.Sum("netralitas_outbox_messages", "netralitas_outbox_state=pending") == 0
                && scrape.Sum("netralitas_audit_batch_size_sum") == scrape.Sum(CallCount)
                && scrape.Sum("netralitas_open_case_reconciliation_repairs_total") is not null;
        }, TimeSpan.FromSeconds(15));

        // Per call: method, status code and protocol.
        Assert.Equal(TelemetryScenario.HasOpenCaseGrpc, scrape.Value(CallCount,
            "rpc_system=grpc", "rpc_service=netralitas.v1.CaseService", "rpc_method=HasOpenCase", "rpc_grpc_status_code=0", "netralitas_call_protocol=grpc"));
        Assert.Equal(1, scrape.Value(CallCount, "rpc_method=HasOpenCase", "rpc_grpc_status_code=3", "netralitas_call_protocol=grpc"));
        Assert.Equal(TelemetryScenario.HasOpenCaseRest, scrape.Value(CallCount, "rpc_method=HasOpenCase", "rpc_grpc_status_code=0", "netralitas_call_protocol=rest"));
        Assert.Equal(TelemetryScenario.Batches, scrape.Value(CallCount, "rpc_method=BatchCheckOpenCases", "rpc_grpc_status_code=0"));
        Assert.Equal(1, scrape.Value(CallCount, "rpc_method=CheckOpenCases", "rpc_grpc_status_code=0"));
        Assert.Equal(TelemetryScenario.Blocked + TelemetryScenario.UnderExamination, scrape.Value(CallCount, "rpc_method=FileCase", "rpc_grpc_status_code=0"));
        Assert.Equal(4, scrape.Value(CallCount, "rpc_service=netralitas.v1.ComplianceService", "rpc_method=RunEscalation"));
        Assert.Equal(1, scrape.Value(CallCount, "rpc_method=GetPersonnel", "rpc_grpc_status_code=0"));
        Assert.Equal(1, scrape.Value(CallCount, "rpc_method=BatchCheckOpenCases", "rpc_grpc_status_code=3", "netralitas_call_protocol=rest"));
        Assert.Equal(1, scrape.Value("netralitas_requests_malformed_total"));

        // Open-case checks: one per unary call or stream message; the invalid NIP answered nothing.
        Assert.Equal(TelemetryScenario.HasOpenCaseGrpc + TelemetryScenario.HasOpenCaseRest + TelemetryScenario.Batches + TelemetryScenario.StreamMessages,
            scrape.Value("netralitas_open_case_checks_total"));
        Assert.Equal(TelemetryScenario.HasOpenCaseGrpc + TelemetryScenario.HasOpenCaseRest
            + TelemetryScenario.Batches * TelemetryScenario.BatchSize + TelemetryScenario.StreamMessages * TelemetryScenario.StreamMessageSize,
            scrape.Value("netralitas_open_case_nips_checked_total"));
        Assert.Equal(TelemetryScenario.Blocked + TelemetryScenario.UnderExamination, scrape.Value("netralitas_open_case_index_nips"));
        Assert.InRange(scrape.Value("netralitas_open_case_follower_lag_seconds"), 0, 5);
        Assert.Equal(0, scrape.Value("netralitas_open_case_reconciliation_repairs_total"));

        // Escalation and the outbox: three blocks, each delivered to SIASN once.
        Assert.Equal(scenario.EscalationSteps, scrape.Value("netralitas_escalation_steps_total"));
        Assert.Equal(TelemetryScenario.Blocked, scrape.Value("netralitas_escalation_steps_total", "netralitas_escalation_step=blocked"));
        Assert.Equal(TelemetryScenario.Blocked, scrape.Value("netralitas_outbox_delivery_attempts_total",
            "netralitas_outbox_outcome=delivered", "netralitas_outbox_kind=block"));
        Assert.Equal(TelemetryScenario.Blocked, scrape.Value("netralitas_outbox_delivery_latency_seconds_count", "netralitas_outbox_kind=block"));
        Assert.Equal(0, scrape.Value("netralitas_outbox_messages", "netralitas_outbox_state=dead_lettered"));
        Assert.InRange(scrape.Value("netralitas_personnel_sync_backlog"), 0, TelemetryScenario.Blocked + TelemetryScenario.UnderExamination);

        // SIASN: the blocks and at least the one lookup, timed; the breaker closed.
        Assert.Equal(TelemetryScenario.Blocked, scrape.Value("netralitas_siasn_call_duration_seconds_count",
            "netralitas_siasn_operation=block", "netralitas_siasn_outcome=ok"));
        Assert.True(scrape.Value("netralitas_siasn_call_duration_seconds_count", "netralitas_siasn_operation=data-utama") >= 1);
        Assert.Equal(0, scrape.Value("netralitas_siasn_breaker_state", "netralitas_siasn_client=siasn"));

        // The audit writer: every call's entry committed, none waiting.
        Assert.Equal(scrape.Value(CallCount), scrape.Value("netralitas_audit_batch_size_sum"));
        Assert.Equal(scrape.Value("netralitas_audit_batch_size_count"), scrape.Value("netralitas_audit_commit_duration_seconds_count"));
        Assert.Equal(0, scrape.Value("netralitas_audit_queue_depth"));

        // The calendar (2024-2027 shipped) counts officially until the end of 2027, from 27 May 2024.
        Assert.Equal(new DateOnly(2027, 12, 31).DayNumber - new DateOnly(2024, 5, 27).DayNumber, scrape.Value("netralitas_calendar_days_remaining_days"));

        // And the .NET runtime's alongside.
        Assert.NotNull(scrape.Sum("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task An_OTLP_receiver_gets_traces_from_the_call_through_the_database_to_SIASN()
    {
        // Synchronous: GetPersonnel reads the database, then asks SIASN, inside the call.
        var (lookup, lookupTrace) = await TraceOfAsync(scenario.PersonnelRequestId,
            trace => trace.Any(IsDatabase) && trace.Any(s => IsSiasnCall(s, "pns/data-utama")));
        Assert.Equal(Span.Types.SpanKind.Server, lookup.Kind);
        Assert.Contains(lookupTrace, s => IsDatabase(s) && s.DescendsFrom(lookup, lookupTrace));
        Assert.Contains(lookupTrace, s => IsSiasnCall(s, "pns/data-utama") && s.DescendsFrom(lookup, lookupTrace));

        // Through the outbox: the sweep commits the blocks (with the call's traceparent); the relay
        // delivers them later, each delivery a span of the same trace with SIASN's call inside.
        var (sweep, sweepTrace) = await TraceOfAsync(scenario.EscalationRequestId,
            trace => trace.Count(s => s.Name == "outbox deliver block") == TelemetryScenario.Blocked
                && trace.Count(s => IsSiasnCall(s, "pns/blokir")) >= TelemetryScenario.Blocked);
        Assert.Contains(sweepTrace, s => IsDatabase(s) && s.DescendsFrom(sweep, sweepTrace));
        foreach (var delivery in sweepTrace.Where(s => s.Name == "outbox deliver block"))
        {
            Assert.True(delivery.DescendsFrom(sweep, sweepTrace), "a delivery belongs under the call that committed it");
            Assert.Contains(sweepTrace, s => IsSiasnCall(s, "pns/blokir") && s.DescendsFrom(delivery, sweepTrace));
        }

        // The workers' polling of the database makes no traces of its own.
        Assert.DoesNotContain(scenario.Receiver.Spans, s => IsDatabase(s) && s.ParentSpanId.IsEmpty);
    }

    private async Task<(Span Call, IReadOnlyList<Span> Trace)> TraceOfAsync(string requestId, Func<IReadOnlyList<Span>, bool> complete)
    {
        Span? call = null;
        IReadOnlyList<Span> trace = [];
        try
        {
            await Poll.UntilAsync(() =>
            {
                var spans = scenario.Receiver.Spans;
                call = spans.FirstOrDefault(s => s.Attribute("netralitas.request_id") == requestId);
                trace = call is null ? [] : spans.Where(s => s.TraceId == call.TraceId).ToArray();
                return call is not null && complete(trace);
            }, TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            var names = trace.GroupBy(Describe).Select(g => $"{g.Count()} × {g.Key}");
            Assert.Fail($"request {requestId}: spans of its trace: {string.Join("; ", names)}; all received: {scenario.Receiver.Spans.Count}");
        }
        return (call!, trace);
    }

    private static bool IsDatabase(Span span) => span.Attribute("db.system") is not null || span.Attribute("db.system.name") is not null;

    private static bool IsSiasnCall(Span span, string path) =>
        span.Kind == Span.Types.SpanKind.Client && (span.Attribute("url.full") ?? "").Contains(path, StringComparison.Ordinal);

    private static string Describe(Span span) => $"{span.Name} ({span.Kind}{(span.Attribute("url.full") is { } url ? " " + url : "")})";

    [Fact]
    public async Task The_scrape_endpoint_is_only_on_its_own_port_not_on_the_gateways()
    {
        using var http = new HttpClient
        {
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var onGateway = await http.GetAsync(new Uri(scenario.Host.Address, "/metrics"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, onGateway.StatusCode);
        Assert.NotEqual(scenario.Host.Address.Port, scenario.ScrapeUrl.Port);
    }

    private Task<PrometheusText> ScrapeAsync() => scenario.ScrapeAsync();
}
