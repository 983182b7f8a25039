using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Netralitas.Gateway.Security;
using Netralitas.V1;
using Xunit.Abstractions;

namespace Netralitas.IntegrationTests;

/// <summary>A development gateway whose caller may call as often as a fuzz does.</summary>
public sealed class FuzzedGateway : GatewayFixture<SqliteTestDatabase>
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Netralitas:Security:Limits:CallsPerSecond"] = "1000000",
        ["Netralitas:Security:Limits:CallBurst"] = "1000000",
    };
}

/// <summary>
/// Requests that cannot be read — random and broken protobuf to every gRPC method, random and
/// broken JSON to every REST binding — are answered with a status of the client's fault, never
/// UNKNOWN, INTERNAL or a 5xx, and never leave an Error in the log.
/// </summary>
public sealed class MalformedRequestsFuzz(FuzzedGateway gateway, ITestOutputHelper output) : IClassFixture<FuzzedGateway>
{
    private const int MessagesPerMethod = 96;
    private const int BodiesPerBinding = 40;

    /// <summary>A stream that parsed its request is left open; this bounds the wait for its first answer.</summary>
    private static readonly TimeSpan StreamPatience = TimeSpan.FromMilliseconds(300);

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    /// <summary>Every method the gateway serves: the API, health and reflection.</summary>
    private static IEnumerable<MethodDescriptor> AllMethods =>
    [
        .. AccessMatrixContract.ApiMethods,
        .. Grpc.Health.V1.Health.Descriptor.Methods,
        .. Grpc.Reflection.V1Alpha.ServerReflection.Descriptor.Methods,
    ];

    [Fact]
    public async Task RandomAndBrokenProtobufToEveryMethodIsNeverUnknownOrInternal()
    {
        var seed = SeedFor("grpc");
        var invoker = gateway.Host.Channel.CreateCallInvoker();
        var methods = AllMethods.ToArray();
        var statuses = new ConcurrentDictionary<StatusCode, int>();
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(methods.SelectMany((m, i) => Enumerable.Range(0, MessagesPerMethod).Select(n => (m, n, Seed: seed + i * 10_000 + n))),
            new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (work, _) =>
            {
                var (method, n, callSeed) = work;
                var bytes = MalformedMessages.Next(method.InputType, new Random(callSeed), n % MalformedMessages.Kinds);
                var status = await CallAsync(invoker, method, bytes);
                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                if (status is StatusCode.Unknown or StatusCode.Internal)
                {
                    failures.Enqueue($"{method.FullName} kind {n % MalformedMessages.Kinds} (seed {callSeed}): {status} for {Convert.ToHexString(bytes)}");
                }
            });
        output.WriteLine($"{methods.Length} methods × {MessagesPerMethod} messages in {clock.Elapsed.TotalSeconds:F1} s: " +
            string.Join(", ", statuses.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}")));
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        Assert.Empty(gateway.Host.LoggedAt(LogLevel.Error));
        Assert.True(statuses.GetValueOrDefault(StatusCode.InvalidArgument) > methods.Length * MessagesPerMethod / 4, "most messages should not parse");
    }

    [Fact]
    public async Task RandomAndBrokenJsonToEveryRestBindingIsNeverAServerError()
    {
        var seed = SeedFor("rest");
        using var client = Rest.Cleartext(gateway.Host);
        var bindings = AccessMatrixContract.RestBindings.ToArray();
        var answers = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(bindings.SelectMany((b, i) => Enumerable.Range(0, BodiesPerBinding).Select(n => (b.Method, b.Rule, Seed: seed + i * 10_000 + n))),
            new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (work, _) =>
            {
                var (method, rule, callSeed) = work;
                var random = new Random(callSeed);
                var (verb, template) = AccessMatrixContract.Route(rule);
                var path = AccessMatrixContract.PathOf(rule.PatternCase, template, null);
                var json = BrokenJson(method, random);
                using var request = client.Request(verb, rule.Body.Length > 0 ? path : path + "?" + QueryOf(json, random));
                if (rule.Body.Length > 0)
                {
                    request.Content = Rest.Body(json);
                }
                var (status, body) = await SendAsync(client, request, method.IsServerStreaming);
                answers.AddOrUpdate(status, 1, (_, c) => c + 1);
                // A 400 names the field, whether the REST check or the method refused it (the transcoder's own refusals name nothing).
                if (status >= 500 || (status == 400 && !NamesAField(body)))
                {
                    failures.Enqueue($"{verb} {path} ({method.FullName}, seed {callSeed}): {status} {body} for {json}");
                }
            });
        output.WriteLine($"{bindings.Length} bindings × {BodiesPerBinding} requests: " +
            string.Join(", ", answers.OrderByDescending(a => a.Value).Select(a => $"{a.Key} {a.Value}")));
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        Assert.Empty(gateway.Host.LoggedAt(LogLevel.Error));
    }

    /// <summary>
    /// Bodies that are not a sequence of length-prefixed messages, sent as raw HTTP/2 requests: a
    /// truncated frame, a compression flag that is neither 0 nor 1, a compressed frame without
    /// grpc-encoding, a length beyond 2^31, two messages to a unary method.
    /// </summary>
    [Theory]
    [InlineData("CaseService/HasOpenCase", "truncated", StatusCode.InvalidArgument)]
    [InlineData("CaseService/HasOpenCase", "flag 5", StatusCode.InvalidArgument)]
    [InlineData("CaseService/HasOpenCase", "compressed, no encoding", StatusCode.InvalidArgument)]
    [InlineData("CaseService/HasOpenCase", "length 2^32-1", StatusCode.InvalidArgument)]
    [InlineData("CaseService/HasOpenCase", "two messages", StatusCode.InvalidArgument)]
    [InlineData("CaseService/CheckOpenCases", "truncated", StatusCode.InvalidArgument)]
    [InlineData("CaseService/CheckOpenCases", "flag 5", StatusCode.InvalidArgument)]
    [InlineData("CaseService/CheckOpenCases", "compressed, no encoding", StatusCode.InvalidArgument)]
    // grpc-dotnet reads a stream's length of 2^31 or more as an IOException, which cannot be told
    // apart from a client resetting its stream: CANCELLED, as for that (docs/design.md, Malformed requests).
    [InlineData("CaseService/CheckOpenCases", "length 2^32-1", StatusCode.Cancelled)]
    public async Task BrokenFramingIsTheClientsFault(string method, string fault, StatusCode expected)
    {
        byte[] message = [0x0A, 0x02, 0x31, 0x39]; // nip "19"
        byte[] body = fault switch
        {
            "truncated" => [0, 0, 0, 0, 10, .. message],
            "flag 5" => [5, 0, 0, 0, 4, .. message],
            "compressed, no encoding" => [1, 0, 0, 0, 4, .. message],
            "length 2^32-1" => [0, 0xFF, 0xFF, 0xFF, 0xFF, .. message],
            _ => [0, 0, 0, 0, 4, .. message, 0, 0, 0, 0, 4, .. message],
        };
        using var client = Rest.Cleartext(gateway.Host);
        using var request = client.Request(HttpMethod.Post, "/netralitas.v1." + method, Rest.Body(body, "application/grpc"));
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single()
            : response.Headers.TryGetValues("grpc-status", out var header) ? header.Single() : "(none)";
        Assert.Equal(((int)expected).ToString(), status);
        Assert.Empty(gateway.Host.LoggedAt(LogLevel.Error));
    }

    /// <summary>A fixed seed, printed, so that a failure can be replayed: NETRALITAS_FUZZ_SEED=n replays run n.</summary>
    private int SeedFor(string what)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("NETRALITAS_FUZZ_SEED"), out var given) ? given : 20241003;
        output.WriteLine($"{what} fuzz seed {seed} (set NETRALITAS_FUZZ_SEED to replay another)");
        return seed;
    }

    /// <summary>Sends the bytes as the request message (each message, for a request stream, after a plausible one); the status the call ends with.</summary>
    private static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor descriptor, byte[] bytes)
    {
        var type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        var method = new Method<byte[], byte[]>(type, descriptor.Service.FullName, descriptor.Name, Raw, Raw);
        using var patience = new CancellationTokenSource(StreamPatience);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30));
        var valid = MalformedMessages.Plausible(descriptor.InputType, new Random(bytes.Length), depth: 0);
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, bytes);
                    break;
                case MethodType.ClientStreaming:
                {
                    using var call = invoker.AsyncClientStreamingCall(method, null, options);
                    await call.RequestStream.SendAsync([valid, bytes]);
                    await call.ResponseAsync;
                    break;
                }
                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(method, null, options.WithCancellationToken(patience.Token), bytes);
                    await call.ResponseStream.MoveNext(patience.Token); // an answer: it parsed, and the stream runs
                    break;
                }
                default:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(method, null, options.WithCancellationToken(patience.Token));
                    await call.RequestStream.SendAsync([valid, bytes]);
                    while (await call.ResponseStream.MoveNext(patience.Token))
                    {
                    }
                    break;
                }
            }
            return StatusCode.OK;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && patience.IsCancellationRequested)
        {
            return StatusCode.OK; // a stream still running after its request was read
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    /// <summary>The HTTP status and, for an error, its body; 0 for a stream still open.</summary>
    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, HttpRequestMessage request, bool stream)
    {
        using var patience = new CancellationTokenSource(StreamPatience);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stream ? patience.Token : default);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(patience.Token));
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested)
        {
            return (0, "");
        }
    }

    private static bool NamesAField(string body)
    {
        try
        {
            return Rest.Parse<Google.Rpc.Status>(body).GetDetail<BadRequest>() is { FieldViolations.Count: > 0 };
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>JSON for the request that is broken or random: truncated, wrong types, unknown fields, garbage.</summary>
    private static string BrokenJson(MethodDescriptor method, Random random)
    {
        var fields = method.InputType.Fields.InFieldNumberOrder();
        var name = fields.Count > 0 ? fields[random.Next(fields.Count)].JsonName : "x";
        string[] values = ["1", "-1", "1e400", "\"\"", "\"x\"", "true", "null", "[]", "{}", "[1,", "{\"a\":", "\"\\ud800\"", "18446744073709551616", "\"2024-13-45T99:00:00Z\"", "\"AAA=\""];
        var value = values[random.Next(values.Length)];
        var whole = $"{{\"{name}\": {value}}}";
        return random.Next(6) switch
        {
            0 => whole,
            1 => whole[..random.Next(1, whole.Length)],
            2 => whole + "}}garbage",
            3 => $"{{\"{name}\": {{\"{name}\": {{\"{name}\": {value}}}}}}}",
            4 => Encoding.Latin1.GetString(Enumerable.Range(0, random.Next(1, 24)).Select(_ => (byte)random.Next(256)).ToArray()),
            _ => new string('[', random.Next(1, 200)),
        };
    }

    /// <summary>The same kind of garbage as query parameters.</summary>
    private static string QueryOf(string json, Random random)
    {
        string[] keys = ["pageSize", "filter.electionId", "nip", "bogus", "status", "asOf.year", "startTime", "asOf"];
        return $"{keys[random.Next(keys.Length)]}={Uri.EscapeDataString(json)}";
    }
}

/// <summary>
/// A request that cannot be read is refused INVALID_ARGUMENT (reason MALFORMED_REQUEST), recorded in
/// the audit trail as a refused call of its authenticated caller with its protocol and request id,
/// counted, and logged at most once a minute however many arrive.
/// </summary>
public sealed class MalformedRequestsContract(SecureGateway gateway) : IClassFixture<SecureGateway>
{
    private const string HasOpenCase = "/netralitas.v1.CaseService/HasOpenCase";
    private const string WarningText = "whose message could not be read";

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    private static readonly Method<byte[], byte[]> RawHasOpenCase = new(MethodType.Unary, "netralitas.v1.CaseService", "HasOpenCase", Raw, Raw);

    private static readonly Method<byte[], byte[]> RawCheckOpenCases = new(MethodType.DuplexStreaming, "netralitas.v1.CaseService", "CheckOpenCases", Raw, Raw);

    /// <summary>A NIP field (1) that claims 10 bytes and has 3: cut off.</summary>
    private static readonly byte[] Truncated = [0x0A, 0x0A, 0x31, 0x39, 0x38];

    private AuditService.AuditServiceClient Auditor => new(gateway.AsMember("inspektorat"));

    [Fact]
    public async Task AnUnparsableGrpcMessageIsInvalidArgumentAndAuditedAsARefusedCallOfItsCaller()
    {
        var requestId = "malformed-" + Guid.NewGuid().ToString("N");
        var error = await Assert.ThrowsAsync<RpcException>(() => gateway.AsMember("pemprov-33")
            .AsyncUnaryCall(RawHasOpenCase, null, new CallOptions(new Metadata { { "x-request-id", requestId } }), Truncated).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("The request message could not be parsed as netralitas.v1.HasOpenCaseRequest.", error.Status.Detail);
        Assert.Equal(MalformedRequests.Reason, error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        var entry = await EntryAsync(requestId);
        Assert.Equal(("pemprov-33", "ClientCertificate", HasOpenCase, "InvalidArgument", CallProtocol.Grpc),
            (entry.CallerId, entry.CallerProof, entry.Method, entry.Status, entry.Protocol));
    }

    [Fact]
    public async Task AnUnparsableMessageInARequestStreamEndsItTheSameWay()
    {
        var requestId = "malformed-" + Guid.NewGuid().ToString("N");
        using var call = gateway.AsMember("bkn-siasn").AsyncDuplexStreamingCall(RawCheckOpenCases, null,
            new CallOptions(new Metadata { { "x-request-id", requestId } }));
        await call.RequestStream.SendAsync([new CheckOpenCasesRequest { Nips = { Reports.NewNip() } }.ToByteArray(), Truncated]);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("The request message could not be parsed as netralitas.v1.CheckOpenCasesRequest.", error.Status.Detail);
        var entry = await EntryAsync(requestId);
        Assert.Equal(("bkn-siasn", "InvalidArgument", CallProtocol.Grpc), (entry.CallerId, entry.Status, entry.Protocol));
    }

    [Fact]
    public async Task AnUnparsableMessageWithoutCredentialsIsUnauthenticatedFirst()
    {
        var requestId = "malformed-" + Guid.NewGuid().ToString("N");
        var error = await Assert.ThrowsAsync<RpcException>(() => gateway.Anonymous
            .AsyncUnaryCall(RawHasOpenCase, null, new CallOptions(new Metadata { { "x-request-id", requestId } }), Truncated).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        var entry = await EntryAsync(requestId);
        Assert.Equal(("anonymous", "Unauthenticated", CallProtocol.Grpc), (entry.CallerId, entry.Status, entry.Protocol));
    }

    [Fact]
    public async Task AMalformedRestBodyKeepsItsPreciseAnswerAndIsAuditedAsARefusedCallOfItsCaller()
    {
        var requestId = "malformed-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/personnel:batchCheckOpenCases") { Content = Rest.Body("{\"nips\": 5}") };
        request.Headers.Add("x-request-id", requestId);
        using var response = await gateway.RestClient("bkn-siasn").SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(400, (int)response.StatusCode);
        var status = Rest.Parse<Google.Rpc.Status>(body);
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        Assert.Equal(["nips"], status.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(MalformedRequests.Reason, status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(requestId, response.Headers.GetValues("x-request-id").Single());
        var entry = await EntryAsync(requestId);
        Assert.Equal(("bkn-siasn", "/netralitas.v1.CaseService/BatchCheckOpenCases", "InvalidArgument", CallProtocol.Rest),
            (entry.CallerId, entry.Method, entry.Status, entry.Protocol));
    }

    [Fact]
    public async Task AMalformedRestBodyWithoutCredentialsIs401AndRecordedAsAnonymous()
    {
        var requestId = "malformed-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/personnel:batchCheckOpenCases") { Content = Rest.Body("{\"nips\": [") };
        request.Headers.Add("x-request-id", requestId);
        using var response = await gateway.RestClient(null).SendAsync(request);
        Assert.Equal(401, (int)response.StatusCode);
        var entry = await EntryAsync(requestId);
        Assert.Equal(("anonymous", "None", "Unauthenticated", CallProtocol.Rest), (entry.CallerId, entry.CallerProof, entry.Status, entry.Protocol));
    }

    [Fact]
    public async Task ABurstOfAThousandIsCountedAndLogsOneWarning()
    {
        var before = gateway.Host.LoggedAt(LogLevel.Warning, WarningText).Count;
        using var counted = new MalformedCounter(gateway.Host.Services.GetRequiredService<IMeterFactory>());
        var invoker = gateway.AsMember("pemprov-33");
        await Parallel.ForEachAsync(Enumerable.Range(0, 1_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(RawHasOpenCase, null, default, Truncated).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        });

        Assert.Equal(1_000, counted.Total(HasOpenCase, "grpc"));
        var lines = gateway.Host.LoggedAt(LogLevel.Warning, WarningText).Count - before;
        // The first of a burst is reported at once, unless a line went out less than a minute ago.
        Assert.InRange(lines, before == 0 ? 1 : 0, 1);
        Assert.Empty(gateway.Host.LoggedAt(LogLevel.Error));
    }

    /// <summary>The one entry of the last minute with this request id.</summary>
    private async Task<AuditEntry> EntryAsync(string requestId)
    {
        var since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(-1));
        AuditEntry[] found = [];
        await Poll.UntilAsync(async () =>
        {
            var request = new ListAuditEntriesRequest { PageSize = 1000, StartTime = since };
            var entries = new List<AuditEntry>();
            do
            {
                var page = await Auditor.ListAuditEntriesAsync(request);
                entries.AddRange(page.Entries.Where(e => e.RequestId == requestId));
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);
            found = [.. entries];
            return found.Length > 0;
        }, TimeSpan.FromSeconds(10));
        return Assert.Single(found);
    }

    /// <summary>Sums what the gateway's malformed-request counter records, by method and protocol (this gateway's meter only).</summary>
    private sealed class MalformedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<(string?, string?), long> _totals = new();

        public MalformedCounter(IMeterFactory gatewayMeters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == MalformedRequests.InstrumentName && instrument.Meter.Scope == gatewayMeters)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? method = null, protocol = null;
                foreach (var tag in tags)
                {
                    (method, protocol) = tag.Key switch
                    {
                        "method" => (tag.Value as string, protocol),
                        "protocol" => (method, tag.Value as string),
                        _ => (method, protocol),
                    };
                }
                _totals.AddOrUpdate((method, protocol), value, (_, total) => total + value);
            });
            _listener.Start();
        }

        public long Total(string method, string protocol) => _totals.GetValueOrDefault((method, protocol));

        public void Dispose() => _listener.Dispose();
    }
}
