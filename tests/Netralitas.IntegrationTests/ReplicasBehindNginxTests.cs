using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Netralitas.DevHost;
using Netralitas.Gateway.Security;
using Netralitas.V1;
using Npgsql;
using Xunit.Abstractions;

namespace Netralitas.IntegrationTests;

/// <summary>
/// Three gateway processes in secure mode on one PostgreSQL behind Debian's nginx running
/// deploy/nginx/netralitas.conf: nginx ends TLS, verifies the members' client certificates and
/// forwards them to the replicas, which trust the header from nginx's address only. A mixed load
/// (filings over gRPC and REST, decisions, recommendations, follow-ups by bearer token, has-open-case
/// over gRPC and REST, batch checks, a watch) runs through nginx while one replica is killed with
/// SIGKILL and restarted, and the escalation sweep runs on all three. scripts/test.sh installs nginx.
/// </summary>
public sealed class ReplicasBehindNginxTests(ITestOutputHelper output)
{
    /// <summary>
    /// The freshness bound between replicas (README): a write acknowledged by one is seen by every
    /// other within the follow interval (1 s) and the time to read and apply it; the test allows
    /// 2.5 s on a loaded 2-core machine.
    /// </summary>
    private static readonly TimeSpan FreshnessBound = TimeSpan.FromSeconds(2.5);

    /// <summary>The issue's bound: has-open-case answers resume within a second of the kill.</summary>
    private static readonly TimeSpan ResumeBound = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait between two answers anywhere in the run, the restarted replica's first calls
    /// (JIT, on 2 cores shared by three replicas, PostgreSQL, nginx and the load) included: the
    /// freshness bound's allowance for a loaded machine.
    /// </summary>
    private static readonly TimeSpan AnswerGapBound = TimeSpan.FromSeconds(2.5);

    /// <summary>The address nginx connects to the replicas from (grpc_bind/proxy_bind): the one they trust.</summary>
    private const string ProxyAddress = "127.0.0.2";

    private const string Agency = "3303";
    private const int Writers = 3;
    private static readonly TimeSpan WriterPause = TimeSpan.FromMilliseconds(30);

    private static readonly TestMember[] Members =
    [
        new("bawaslu-ri", "bawaslu"),
        new("kasn", "authority"),
        new("ppk-3303", "ppk", Instansi: [Agency]),
        new("bkn-siasn", "bkn"),
        new("inspektorat", "auditor"),
    ];

    [Fact]
    public async Task Three_replicas_behind_nginx_lose_and_repeat_nothing_when_one_is_killed()
    {
        await using var database = new PostgresTestDatabase();
        using var pki = new Pki();
        var connectionString = database.Settings["Netralitas:Database:ConnectionString"]!;
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Netralitas:Logging:Json"] = "false",
            // All the load comes from a few members.
            ["Netralitas:Security:Limits:CallsPerSecond"] = "1000000",
            ["Netralitas:Security:Limits:CallBurst"] = "1000000",
            ["Netralitas:Security:TrustedProxies:0"] = ProxyAddress,
            ["Netralitas:Escalation:SweepEnabled"] = "true",
            ["Netralitas:Escalation:SweepInterval"] = "00:00:00.250",
            ["Netralitas:FollowUpFeed:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in pki.Settings)
        {
            settings[key] = value;
        }
        var clock = Stopwatch.StartNew();
        using var replicas = new ReplicaSet(settings, count: 3);
        foreach (var replica in replicas)
        {
            replica.Start(); // one after the other: the first migrates the database
            await replica.UntilReadyAsync(clock, TimeSpan.FromSeconds(60));
        }
        await using var nginx = await Nginx.StartAsync(pki.NginxTls, ProxyAddress,
            replicas.Select(r => r.GrpcPort).ToArray(), replicas.Select(r => r.RestPort).ToArray());
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: three replicas ready, nginx on {nginx.Port}");

        await CheckForwardedCertificatesAsync(pki, nginx, replicas[1]);

        var proxy = new Uri($"https://127.0.0.1:{nginx.Port}");
        using var clients = new Clients(pki, proxy);
        var load = new MixedLoad(clients, clock);
        using var stopLoad = new CancellationTokenSource();
        using var stopWatch = new CancellationTokenSource();
        // One watch per replica (nginx takes turns): the killed replica's is cut and must resume by its token.
        var watches = Enumerable.Range(0, 3).Select(_ => new Watch(clients)).ToArray();
        var watching = watches.Select(w => w.RunAsync(stopWatch.Token)).ToArray();
        var loadTasks = Enumerable.Range(0, Writers).Select(_ => load.WriteAsync(stopLoad.Token))
            .Append(load.ReadGrpcAsync(stopLoad.Token)).Append(load.ReadGrpcAsync(stopLoad.Token))
            .Append(load.ReadRestAsync(stopLoad.Token)).Append(load.BatchCheckAsync(stopLoad.Token)).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(5));
        var killed = replicas[0];
        killed.Kill();
        var killedAt = clock.Elapsed;
        output.WriteLine($"{killedAt.TotalSeconds:F1} s: replica 1 killed (SIGKILL), {load.Filed.Count} filings acknowledged");
        await Task.Delay(TimeSpan.FromSeconds(5));
        killed.Start();
        var restart = await killed.UntilReadyAsync(clock, TimeSpan.FromSeconds(60));
        var filedBeforeRestart = load.Readable.ToArray();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: replica 1 ready {restart.TotalMilliseconds:F0} ms after its start:");
        foreach (var step in killed.LogLines("Workers.", "Now listening"))
        {
            output.WriteLine("    " + step);
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stopLoad.CancelAsync();
        await Task.WhenAll(loadTasks);

        // The restarted replica answers from an index rebuilt from the database: every NIP filed (and
        // still open) before it became ready is open on it, asked directly.
        var missing = await NotOpenOnAsync(pki, killed, filedBeforeRestart);
        Assert.True(missing.Count == 0, $"the restarted replica lacks {missing.Count} of {filedBeforeRestart.Length} open cases: {string.Join(", ", missing.Take(5))}");

        // Every write acknowledged is stored exactly once, and nothing that was not acknowledged.
        var cases = await RequestIdsAsync(connectionString, "SELECT \"FileRequestId\" FROM cases");
        var recommendations = await RequestIdsAsync(connectionString, "SELECT \"IssueRequestId\" FROM recommendations");
        var followUps = await RequestIdsAsync(connectionString, "SELECT \"RequestId\" FROM recommendation_follow_ups");
        var duplicates = Duplicates(cases) + Duplicates(recommendations) + Duplicates(followUps);
        var lost = load.Filed.Except(cases).Count() + load.Issued.Except(recommendations).Count() + load.FollowedUp.Except(followUps).Count();
        var unacknowledged = cases.Except(load.Filed).Count() + recommendations.Except(load.Issued).Count() + followUps.Except(load.FollowedUp).Count();

        // Each escalation step once, though three sweeps race: every recommendation left unanswered is
        // warned, none twice, and no event is in the log twice.
        await Poll.UntilAsync(async () => await ScalarAsync(connectionString, UnansweredAndUnwarned) == 0, TimeSpan.FromSeconds(15));
        var warnings = await ScalarAsync(connectionString, "SELECT count(*) FROM enforcement_actions");
        var repeatedEvents = await ScalarAsync(connectionString,
            "SELECT count(*) FROM (SELECT 1 FROM follow_up_events GROUP BY \"RecommendationId\", \"Kind\" HAVING count(*) > 1) AS repeated");

        // The watch, resumed by its token after every cut, delivered every event once, in order.
        var lastEvent = await ScalarAsync(connectionString, "SELECT coalesce(max(\"Id\"), 0) FROM follow_up_events");
        await Poll.UntilAsync(() => watches.All(w => w.EventIds.LastOrDefault() >= lastEvent), TimeSpan.FromSeconds(15));
        await stopWatch.CancelAsync();
        await Task.WhenAll(watching);
        var events = await EventIdsAsync(connectionString);

        using var auditor = clients.Grpc("inspektorat");
        var audit = await new AuditService.AuditServiceClient(auditor).VerifyAuditTrailAsync(new VerifyAuditTrailRequest());

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {load.Describe()}");
        output.WriteLine($"    stored: {cases.Count} cases, {recommendations.Count} recommendations, {followUps.Count} follow-ups; " +
            $"duplicates {duplicates}, lost {lost}, stored but not acknowledged {unacknowledged}");
        output.WriteLine($"    has-open-case answers resumed after the kill within: gRPC {load.GapAcross(Protocol.Grpc, killedAt).TotalMilliseconds:F0} ms, " +
            $"REST {load.GapAcross(Protocol.Rest, killedAt).TotalMilliseconds:F0} ms; longest gap in the run: gRPC {Describe(load.LongestGap(Protocol.Grpc), killedAt)}, " +
            $"REST {Describe(load.LongestGap(Protocol.Rest), killedAt)}; slowest 'no' after an acknowledgement {load.LongestNo.TotalMilliseconds:F0} ms");
        output.WriteLine($"    watches: {string.Join(", ", watches.Select(w => $"{w.EventIds.Count} events over {w.Connections} connection(s)"))}; {events.Count} in the log");
        output.WriteLine($"    escalation: {warnings} warnings, {repeatedEvents} repeated events; audit: {audit.EntriesChecked} entries, intact {audit.Intact}");
        output.WriteLine($"    replica 1: killed at {killedAt.TotalSeconds:F1} s, ready {restart.TotalMilliseconds:F0} ms after its restart");

        Assert.Equal(0, duplicates);
        Assert.Equal(0, lost);
        Assert.Equal(0, unacknowledged);
        Assert.True(load.Filed.Count > 100 && load.Issued.Count > 10 && load.FollowedUp.Count > 5,
            $"too little load: {load.Filed.Count} filings, {load.Issued.Count} recommendations, {load.FollowedUp.Count} follow-ups");
        Assert.Empty(load.StaleAnswers);
        Assert.Empty(load.Unexpected);
        foreach (var protocol in new[] { Protocol.Grpc, Protocol.Rest })
        {
            Assert.True(load.GapAcross(protocol, killedAt) < ResumeBound, $"{protocol} has-open-case answers resumed {load.GapAcross(protocol, killedAt)} after the last one before the kill");
            Assert.True(load.LongestGap(protocol).Length < AnswerGapBound, $"{protocol} has-open-case answers stopped for {Describe(load.LongestGap(protocol), killedAt)}");
        }
        Assert.True(warnings > 0, "the sweep warned nobody");
        Assert.Equal(0, repeatedEvents);
        Assert.All(watches, w => Assert.Equal(events, w.EventIds.ToList()));
        Assert.Contains(watches, w => w.Connections > 1);
        Assert.All(watches, w => Assert.Empty(w.Unexpected));
        Assert.True(audit.Intact, $"audit trail: {audit.ProblemCount} problems, e.g. {audit.Problems.FirstOrDefault()}");
    }

    private static string Describe((TimeSpan Length, TimeSpan From) gap, TimeSpan killedAt) =>
        $"{gap.Length.TotalMilliseconds:F0} ms from {(gap.From - killedAt).TotalSeconds:+0.0;-0.0} s after the kill";

    private const string UnansweredAndUnwarned =
        "SELECT count(*) FROM recommendations r WHERE NOT EXISTS (SELECT 1 FROM recommendation_follow_ups f WHERE f.\"RecommendationId\" = r.\"Id\") " +
        "AND NOT EXISTS (SELECT 1 FROM enforcement_actions a WHERE a.\"RecommendationId\" = r.\"Id\")";

    /// <summary>
    /// The certificate header is believed from the proxy's address only, and a forwarded certificate
    /// still has to be one of the members' CA; through nginx a caller cannot forge it.
    /// </summary>
    private async Task CheckForwardedCertificatesAsync(Pki pki, Nginx nginx, Replica replica)
    {
        var member = pki.Certificate("bkn-siasn");
        var request = new HasOpenCaseRequest { Nip = Reports.NewNip() };
        StatusCode Ask(GrpcChannel channel, X509Certificate2 forwarded)
        {
            try
            {
                new CaseService.CaseServiceClient(channel).HasOpenCase(request, ForwardedCertificate(forwarded));
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }
        using (var fromProxy = DirectChannel(replica, ProxyAddress))
        using (var fromElsewhere = DirectChannel(replica, "127.0.0.1"))
        {
            Assert.Equal(StatusCode.OK, Ask(fromProxy, member));
            Assert.Equal(StatusCode.Unauthenticated, Ask(fromElsewhere, member));
            Assert.Equal(StatusCode.Unauthenticated, Ask(fromElsewhere, member));
            using var foreign = pki.ForeignCertificate("bkn-siasn");
            Assert.Equal(StatusCode.Unauthenticated, Ask(fromProxy, foreign));
        }
        using (var rest = new HttpClient(SourceBound("127.0.0.1")) { BaseAddress = new Uri($"http://127.0.0.1:{replica.RestPort}") })
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, $"/v1/personnel/{request.Nip}:hasOpenCase");
            message.Headers.Add(TrustedProxyHeaders.CertificateHeader, EscapedPem(member));
            Assert.Equal(HttpStatusCode.Unauthorized, (await rest.SendAsync(message)).StatusCode);
        }
        var ignored = replica.LogLines($"{TrustedProxyHeaders.CertificateHeader} from 127.0.0.1 ignored").Count();
        Assert.True(ignored == 1, $"the untrusted header was logged {ignored} times, not once");

        // A caller without a certificate sends the header itself: nginx replaces it (with nothing).
        using var anonymous = GrpcChannel.ForAddress($"https://127.0.0.1:{nginx.Port}",
            new GrpcChannelOptions { HttpHandler = SecureGateway.TrustingHandler(pki.Authority.Certificate, null) });
        Assert.Equal(StatusCode.Unauthenticated, Ask(anonymous, member));
        output.WriteLine("forwarded certificates: accepted from the proxy's address, ignored from another (logged once), " +
            "refused when not from the members' CA, and not forgeable through nginx");
    }

    private static CallOptions ForwardedCertificate(X509Certificate2 certificate) =>
        new(new Metadata { { TrustedProxyHeaders.CertificateHeader, EscapedPem(certificate) } });

    /// <summary>What nginx's $ssl_client_escaped_cert holds.</summary>
    private static string EscapedPem(X509Certificate2 certificate) => Uri.EscapeDataString(certificate.ExportCertificatePem());

    /// <summary>A channel straight to the replica's h2c port, connecting from <paramref name="source"/>.</summary>
    private static GrpcChannel DirectChannel(Replica replica, string source) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{replica.GrpcPort}", new GrpcChannelOptions { HttpHandler = SourceBound(source) });

    private static SocketsHttpHandler SourceBound(string source) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static async Task<List<string>> NotOpenOnAsync(Pki pki, Replica replica, IReadOnlyList<string> nips)
    {
        using var channel = DirectChannel(replica, ProxyAddress);
        var cases = new CaseService.CaseServiceClient(channel);
        var missing = new List<string>();
        foreach (var batch in nips.Chunk(10_000))
        {
            var answer = await cases.BatchCheckOpenCasesAsync(new BatchCheckOpenCasesRequest { Nips = { batch } },
                ForwardedCertificate(pki.Certificate("bkn-siasn")));
            missing.AddRange(answer.Answers.Where(a => !a.HasOpenCase).Select(a => a.Nip));
        }
        return missing;
    }

    private static int Duplicates(IReadOnlyList<string> ids) => ids.Count - ids.Distinct().Count();

    private static async Task<List<string>> RequestIdsAsync(string connectionString, string query)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(query, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static async Task<List<long>> EventIdsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Id\" FROM follow_up_events ORDER BY \"Id\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    private static async Task<long> ScalarAsync(string connectionString, string query)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(query, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>
    /// The development CA's members, nginx's server certificate, the bearer-token issuer, and the
    /// replicas' security settings for them; all files in a folder removed when disposed.
    /// </summary>
    private sealed class Pki : IDisposable
    {
        private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("netralitas-replicas-");
        private readonly Dictionary<string, X509Certificate2> _certificates;
        private readonly DevelopmentCertificateAuthority _otherAuthority = DevelopmentCertificateAuthority.Create("Not the members' CA");

        public Pki()
        {
            using var server = Authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback], TimeSpan.FromDays(1));
            var serverCrt = Path.Combine(_folder.FullName, "proxy.crt");
            var serverKey = Path.Combine(_folder.FullName, "proxy.key");
            DevelopmentCertificates.WritePem(server, serverCrt, serverKey);
            var caPath = Path.Combine(_folder.FullName, "clients-ca.crt");
            File.WriteAllText(caPath, Authority.Certificate.ExportCertificatePem());
            var jwks = Path.Combine(_folder.FullName, "jwks.json");
            File.WriteAllText(jwks, Tokens.JwksJson());
            if (!OperatingSystem.IsWindows())
            {
                // nginx's workers may run as another user and read the key as they start.
                File.SetUnixFileMode(_folder.FullName, (UnixFileMode)0b111_101_101);
                File.SetUnixFileMode(serverKey, (UnixFileMode)0b110_100_100);
            }
            NginxTls = new NginxTls(serverCrt, serverKey, caPath);
            Settings["Netralitas:Security:MutualTls:ClientCaPath"] = caPath;
            Settings["Netralitas:Security:Bearer:Issuer"] = SecureGateway.Issuer;
            Settings["Netralitas:Security:Bearer:Audience"] = DevelopmentTokenIssuer.DefaultAudience;
            Settings["Netralitas:Security:Bearer:SigningKeysPath"] = jwks;
            _certificates = TestMember.IssueAndConfigure(Members, Authority, Settings);
        }

        public DevelopmentCertificateAuthority Authority { get; } = DevelopmentCertificateAuthority.Create();

        public DevelopmentTokenIssuer Tokens { get; } = DevelopmentTokenIssuer.Create(SecureGateway.Issuer);

        public NginxTls NginxTls { get; }

        public Dictionary<string, string?> Settings { get; } = [];

        public X509Certificate2 Certificate(string memberId) => _certificates[memberId];

        /// <summary>A certificate for the member's name from another CA.</summary>
        public X509Certificate2 ForeignCertificate(string memberId) =>
            _otherAuthority.IssueClientCertificate(memberId, "Netralitas test members", TimeSpan.FromDays(1));

        public string TokenFor(string memberId)
        {
            var member = Members.Single(m => m.Id == memberId);
            return Tokens.Issue(new TokenClaims { Caller = member.Id, Roles = [member.Role], Instansi = member.Instansi ?? [] });
        }

        public void Dispose()
        {
            foreach (var certificate in _certificates.Values)
            {
                certificate.Dispose();
            }
            Authority.Dispose();
            _otherAuthority.Dispose();
            Tokens.Dispose();
            _folder.Delete(recursive: true);
        }
    }

    /// <summary>Channels and REST clients through nginx, one per member (a bearer-token client has no certificate).</summary>
    private sealed class Clients(Pki pki, Uri proxy) : IDisposable
    {
        private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new();
        private readonly ConcurrentDictionary<string, HttpClient> _rest = new();

        public GrpcChannel Grpc(string memberId) => _channels.GetOrAdd(memberId, id => GrpcChannel.ForAddress(proxy,
            new GrpcChannelOptions { HttpHandler = SecureGateway.TrustingHandler(pki.Authority.Certificate, pki.Certificate(id)) }));

        public GrpcChannel WithoutCertificate() => _channels.GetOrAdd("", _ => GrpcChannel.ForAddress(proxy,
            new GrpcChannelOptions { HttpHandler = SecureGateway.TrustingHandler(pki.Authority.Certificate, null) }));

        /// <summary>REST over HTTP/1.1 (what most REST callers speak), with the member's certificate.</summary>
        public HttpClient Rest(string memberId) => _rest.GetOrAdd(memberId, id =>
            new HttpClient(SecureGateway.TrustingHandler(pki.Authority.Certificate, pki.Certificate(id))) { BaseAddress = proxy });

        public CallOptions Bearer(string memberId) => SecureGateway.WithToken(pki.TokenFor(memberId));

        public void Dispose()
        {
            foreach (var channel in _channels.Values)
            {
                channel.Dispose();
            }
            foreach (var client in _rest.Values)
            {
                client.Dispose();
            }
        }
    }

    private enum Protocol { Grpc, Rest }

    /// <summary>The load through nginx, and what it saw.</summary>
    private sealed class MixedLoad(Clients clients, Stopwatch clock)
    {
        private readonly CaseService.CaseServiceClient _filer = new(clients.Grpc("bawaslu-ri"));
        private readonly CaseService.CaseServiceClient _authority = new(clients.Grpc("kasn"));
        private readonly RecommendationService.RecommendationServiceClient _recommender = new(clients.Grpc("kasn"));
        private readonly RecommendationService.RecommendationServiceClient _ppkByToken = new(clients.WithoutCertificate());
        private readonly CaseService.CaseServiceClient _checker = new(clients.Grpc("bkn-siasn"));
        private readonly List<(string Nip, TimeSpan At)> _readable = [];
        private readonly ConcurrentDictionary<Protocol, ConcurrentQueue<TimeSpan>> _answers = new();
        private readonly ConcurrentDictionary<string, int> _calls = new();
        private readonly ConcurrentDictionary<string, int> _retries = new();
        private long _longestNoTicks;
        private int _writes;

        public ConcurrentQueue<string> Filed { get; } = new();
        public ConcurrentQueue<string> Issued { get; } = new();
        public ConcurrentQueue<string> FollowedUp { get; } = new();
        public ConcurrentQueue<string> StaleAnswers { get; } = new();
        /// <summary>Failures that are not a replica going away (UNAVAILABLE and its kin).</summary>
        public ConcurrentQueue<string> Unexpected { get; } = new();
        public TimeSpan LongestNo => TimeSpan.FromTicks(Interlocked.Read(ref _longestNoTicks));

        /// <summary>Open cases' NIPs with when they were acknowledged.</summary>
        public IEnumerable<string> Readable
        {
            get
            {
                lock (_readable)
                {
                    return _readable.Select(r => r.Nip).ToArray();
                }
            }
        }

        public string Describe() =>
            "calls " + string.Join(", ", _calls.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")) +
            "; retried after UNAVAILABLE or a cut connection: " +
            (_retries.IsEmpty ? "none" : string.Join(", ", _retries.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));

        /// <summary>The longest time between two successful answers, from the first to the last, and when it began.</summary>
        public (TimeSpan Length, TimeSpan From) LongestGap(Protocol protocol)
        {
            var times = AnswerTimes(protocol);
            return times.Length < 2 ? (TimeSpan.MaxValue, TimeSpan.Zero)
                : times.Zip(times.Skip(1), (a, b) => (b - a, a)).MaxBy(gap => gap.Item1);
        }

        /// <summary>From the last successful answer before <paramref name="moment"/> to the first after it.</summary>
        public TimeSpan GapAcross(Protocol protocol, TimeSpan moment)
        {
            var times = AnswerTimes(protocol);
            var before = times.LastOrDefault(t => t <= moment, TimeSpan.MinValue);
            var after = times.FirstOrDefault(t => t > moment, TimeSpan.MaxValue);
            return before == TimeSpan.MinValue || after == TimeSpan.MaxValue ? TimeSpan.MaxValue : after - before;
        }

        private TimeSpan[] AnswerTimes(Protocol protocol) => _answers.GetValueOrDefault(protocol)?.Order().ToArray() ?? [];

        /// <summary>
        /// Files cases (every third over REST); every other gRPC filing is decided proven and gets a
        /// recommendation (KASN, its letter long past due, so the sweep warns it), and half of those a
        /// follow-up by the PPK with a bearer token. The rest stay open for the readers.
        /// </summary>
        public async Task WriteAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref _writes);
                var nip = Reports.NewNip();
                var report = Reports.NewCase(nip, Agency);
                // Pemilu 2024, decided in March and recommended in April (as RecommendationSteps does).
                report.ElectionId = "pemilu-2024";
                report.ActDate = new Google.Type.Date { Year = 2024, Month = 1, Day = 10 };
                var fileId = Guid.NewGuid().ToString();
                if (n % 3 == 0)
                {
                    await FileOverRestAsync(report, fileId);
                    Filed.Enqueue(fileId);
                    AddReadable(nip);
                }
                else
                {
                    var filed = await RetryAsync("FileCase", () => _filer.FileCaseAsync(new FileCaseRequest { Case = report, RequestId = fileId }).ResponseAsync);
                    Filed.Enqueue(fileId);
                    if (n % 2 == 0)
                    {
                        await DecideAndRecommendAsync(filed, followUp: n % 4 == 0);
                    }
                    else
                    {
                        AddReadable(nip);
                    }
                }
                await Task.Delay(WriterPause, CancellationToken.None);
            }
        }

        private async Task DecideAndRecommendAsync(Case filed, bool followUp)
        {
            var decision = Reports.Decision(filed.Name, Outcome.Proven);
            decision.DecidedOn = new Google.Type.Date { Year = 2024, Month = 3, Day = 20 };
            await RetryAsync("DecideCase", async () =>
            {
                try
                {
                    return await _authority.DecideCaseAsync(decision);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && _retries.ContainsKey("DecideCase"))
                {
                    // A decision has no request id: an earlier attempt whose answer was lost decided it.
                    return filed;
                }
            });
            var issueId = Guid.NewGuid().ToString();
            var recommendation = await RetryAsync("IssueRecommendation",
                () => _recommender.IssueRecommendationAsync(RecommendationSteps.Issue(filed, Agency, requestId: issueId)).ResponseAsync);
            Issued.Enqueue(issueId);
            if (followUp)
            {
                var followUpId = Guid.NewGuid().ToString();
                await RetryAsync("RecordFollowUp", () => _ppkByToken.RecordFollowUpAsync(
                    RecommendationSteps.FollowUp(recommendation.Name, SanctionLevel.HdBerat, 5, 2, followUpId), clients.Bearer("ppk-3303")).ResponseAsync);
                FollowedUp.Enqueue(followUpId);
            }
        }

        private async Task FileOverRestAsync(Case report, string requestId)
        {
            var body = JsonFormatter.Default.Format(report);
            await RetryAsync("FileCase (REST)", async () =>
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var answer = await clients.Rest("bawaslu-ri").PostAsync($"/v1/cases?requestId={requestId}", content);
                if (answer.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, $"HTTP {(int)answer.StatusCode}"));
                }
                Assert.True(answer.IsSuccessStatusCode, $"REST FileCase: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
                return true;
            });
        }

        private void AddReadable(string nip)
        {
            lock (_readable)
            {
                _readable.Add((nip, clock.Elapsed));
            }
        }

        private (string Nip, TimeSpan At)? RecentReadable()
        {
            lock (_readable)
            {
                // Mostly recent writes, where staleness would show.
                return _readable.Count == 0 ? null : _readable[_readable.Count - 1 - Random.Shared.Next(Math.Min(_readable.Count, 200))];
            }
        }

        public Task ReadGrpcAsync(CancellationToken stop) => ReadAsync(Protocol.Grpc, stop, async nip =>
            (await _checker.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip }, deadline: DateTime.UtcNow.AddSeconds(5))).HasOpenCase);

        public Task ReadRestAsync(CancellationToken stop) => ReadAsync(Protocol.Rest, stop, async nip =>
        {
            using var answer = await clients.Rest("bkn-siasn").GetAsync($"/v1/personnel/{nip}:hasOpenCase");
            if (!answer.IsSuccessStatusCode)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"HTTP {(int)answer.StatusCode}"));
            }
            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            return json.RootElement.TryGetProperty("hasOpenCase", out var open) && open.GetBoolean();
        });

        private async Task ReadAsync(Protocol protocol, CancellationToken stop, Func<string, Task<bool>> hasOpenCase)
        {
            var name = $"HasOpenCase ({protocol})";
            while (!stop.IsCancellationRequested)
            {
                if (RecentReadable() is not { } written)
                {
                    await Task.Delay(10, CancellationToken.None);
                    continue;
                }
                var askedAt = clock.Elapsed;
                try
                {
                    var open = await hasOpenCase(written.Nip);
                    Count(name);
                    _answers.GetOrAdd(protocol, _ => new ConcurrentQueue<TimeSpan>()).Enqueue(clock.Elapsed);
                    if (!open)
                    {
                        Answered(written, askedAt);
                    }
                }
                catch (Exception e) when (IsReplicaGone(e))
                {
                    _retries.AddOrUpdate(name, 1, (_, c) => c + 1);
                }
            }
        }

        public async Task BatchCheckAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var nips = Readable.TakeLast(100).ToArray();
                if (nips.Length == 0)
                {
                    await Task.Delay(10, CancellationToken.None);
                    continue;
                }
                try
                {
                    var answer = await _checker.BatchCheckOpenCasesAsync(new BatchCheckOpenCasesRequest { Nips = { nips } }, deadline: DateTime.UtcNow.AddSeconds(5));
                    Count("BatchCheckOpenCases");
                    Assert.Equal(nips, answer.Answers.Select(a => a.Nip));
                }
                catch (Exception e) when (IsReplicaGone(e))
                {
                    _retries.AddOrUpdate("BatchCheckOpenCases", 1, (_, c) => c + 1);
                }
                await Task.Delay(50, CancellationToken.None);
            }
        }

        private void Answered((string Nip, TimeSpan At) written, TimeSpan askedAt)
        {
            var age = askedAt - written.At;
            if (age.Ticks > Interlocked.Read(ref _longestNoTicks))
            {
                Interlocked.Exchange(ref _longestNoTicks, age.Ticks);
            }
            if (age > FreshnessBound)
            {
                StaleAnswers.Enqueue($"{written.Nip}: 'no' {age.TotalMilliseconds:F0} ms after it was acknowledged, asked at {askedAt.TotalSeconds:F1} s");
            }
        }

        /// <summary>Retried with the same request until acknowledged: the test counts rows afterwards.</summary>
        private async Task<T> RetryAsync<T>(string name, Func<Task<T>> call)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var result = await call();
                    Count(name);
                    return result;
                }
                catch (Exception e) when (attempt < 100 && IsReplicaGone(e))
                {
                    _retries.AddOrUpdate(name, 1, (_, c) => c + 1);
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }

        private void Count(string name) => _calls.AddOrUpdate(name, 1, (_, c) => c + 1);

        /// <summary><see cref="ReplicaGone"/>; anything else is recorded as unexpected and ends the worker.</summary>
        private bool IsReplicaGone(Exception e)
        {
            var gone = ReplicaGone(e);
            if (!gone)
            {
                Unexpected.Enqueue($"{clock.Elapsed.TotalSeconds:F1} s: {e.GetType().Name}: {e.Message}");
            }
            return gone;
        }
    }

    /// <summary>UNAVAILABLE (nginx's 502 for a call cut by the kill) and what a cut connection shows as.</summary>
    private static bool ReplicaGone(Exception e) => e switch
    {
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded,
        HttpRequestException or IOException or TaskCanceledException => true,
        _ => false,
    };

    /// <summary>The PPK's watch of its agency's follow-up changes through nginx, resumed by the last token after a cut.</summary>
    private sealed class Watch(Clients clients)
    {
        private readonly RecommendationService.RecommendationServiceClient _ppk = new(clients.Grpc("ppk-3303"));

        public ConcurrentQueue<long> EventIds { get; } = new();
        public int Connections { get; private set; }
        public ConcurrentQueue<string> Unexpected { get; } = new();

        public async Task RunAsync(CancellationToken stop)
        {
            var token = "";
            while (!stop.IsCancellationRequested)
            {
                Connections++;
                try
                {
                    using var call = _ppk.WatchFollowUps(new WatchFollowUpsRequest { PpkInstansiCode = Agency, ResumeToken = token }, cancellationToken: stop);
                    await foreach (var change in call.ResponseStream.ReadAllAsync(stop))
                    {
                        token = change.ResumeToken;
                        EventIds.Enqueue(long.Parse(token[1..], System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (ReplicaGone(e))
                {
                    await Task.Delay(100, CancellationToken.None);
                }
                catch (Exception e)
                {
                    Unexpected.Enqueue(e.Message);
                    return;
                }
            }
        }
    }

    /// <summary>The replicas, each on ports of its own kept across restarts (nginx knows them by those).</summary>
    private sealed class ReplicaSet(IReadOnlyDictionary<string, string?> settings, int count) : IDisposable, IEnumerable<Replica>
    {
        private readonly Replica[] _replicas = Enumerable.Range(1, count).Select(i => new Replica($"replica {i}", settings)).ToArray();

        public Replica this[int index] => _replicas[index];

        public IEnumerator<Replica> GetEnumerator() => ((IEnumerable<Replica>)_replicas).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public void Dispose()
        {
            foreach (var replica in _replicas)
            {
                replica.Dispose();
            }
        }
    }

    /// <summary>One gateway process in the Production environment, h2c for gRPC and HTTP/1.1 for REST, as behind nginx.</summary>
    private sealed class Replica : IDisposable
    {
        private readonly string _name;
        private readonly Dictionary<string, string?> _settings;
        private readonly ConcurrentQueue<string> _log = new();
        private Process? _process;
        private Stopwatch _sinceStart = new();

        public Replica(string name, IReadOnlyDictionary<string, string?> settings)
        {
            _name = name;
            _settings = new Dictionary<string, string?>(settings)
            {
                ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{GrpcPort}",
                ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
                ["Kestrel:Endpoints:Rest:Url"] = $"http://127.0.0.1:{RestPort}",
                ["Kestrel:Endpoints:Rest:Protocols"] = "Http1",
            };
        }

        public int GrpcPort { get; } = GatewayProcess.FreePortBelowEphemeralRange();

        public int RestPort { get; } = GatewayProcess.FreePortBelowEphemeralRange();

        public void Start()
        {
            _log.Clear();
            _sinceStart = Stopwatch.StartNew();
            _process = GatewayProcess.Start(_settings, log: line => _log.Enqueue($"{_sinceStart.ElapsedMilliseconds} ms: {line}"), environment: "Production");
        }

        public void Kill()
        {
            _process!.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        /// <summary>The log lines since the last start that contain any of <paramref name="containing"/>.</summary>
        public IEnumerable<string> LogLines(params string[] containing) =>
            _log.Where(l => containing.Any(c => l.Contains(c, StringComparison.Ordinal)));

        /// <summary>Asks GET /health/ready (what a load balancer's monitor asks) every 50 ms until 200; returns how long after the start.</summary>
        public async Task<TimeSpan> UntilReadyAsync(Stopwatch clock, TimeSpan timeout)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{RestPort}"), Timeout = TimeSpan.FromSeconds(2) };
            while (_sinceStart.Elapsed < timeout)
            {
                Assert.False(_process!.HasExited, $"{_name} exited: {string.Join(Environment.NewLine, _log.TakeLast(20))}");
                try
                {
                    using var answer = await http.GetAsync("/health/ready");
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        return _sinceStart.Elapsed;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
                await Task.Delay(50);
            }
            throw new TimeoutException($"{_name} was not ready within {timeout} ({clock.Elapsed}): {string.Join(Environment.NewLine, _log.TakeLast(20))}");
        }

        public void Dispose()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process?.Dispose();
        }
    }
}
