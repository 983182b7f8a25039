using Netralitas.DevHost;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Netralitas.Gateway.Security;

namespace Netralitas.IntegrationTests;

/// <summary>A configured member system: its certificate's id, roles and scope.</summary>
public sealed record TestMember(string Id, string Role, string[]? Instansi = null, string? Province = null)
{
    /// <summary>Issues each member a client certificate from <paramref name="authority"/> and names it, by thumbprint, in <paramref name="settings"/>.</summary>
    public static Dictionary<string, X509Certificate2> IssueAndConfigure(
        IReadOnlyList<TestMember> members, DevelopmentCertificateAuthority authority, IDictionary<string, string?> settings)
    {
        var certificates = new Dictionary<string, X509Certificate2>();
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var certificate = authority.IssueClientCertificate(member.Id, "Netralitas test members", TimeSpan.FromDays(1));
            certificates[member.Id] = certificate;
            var at = $"Netralitas:Security:MutualTls:Members:{i}:";
            settings[at + "Id"] = member.Id;
            settings[at + "Thumbprint"] = DevelopmentCertificates.Sha256Thumbprint(certificate);
            settings[at + "Roles:0"] = member.Role;
            for (var j = 0; j < (member.Instansi?.Length ?? 0); j++)
            {
                settings[at + $"Instansi:{j}"] = member.Instansi![j];
            }
            if (member.Province is not null)
            {
                settings[at + "Province"] = member.Province;
            }
        }
        return certificates;
    }
}

/// <summary>
/// The gateway outside Development, as deployed: TLS on loopback with a certificate from a
/// development CA, member systems authenticated by client certificates from that CA, and bearer
/// tokens from a development issuer; a fresh SQLite database.
/// </summary>
public class SecureGateway : IAsyncLifetime
{
    public const string Issuer = "https://idp.netralitas.test/realms/asn";

    public static readonly TestMember[] Members =
    [
        new("bawaslu-ri", "bawaslu"),
        new("kasn", "authority"),
        new("ppk-3303", "ppk", Instansi: ["3303"]),
        new("ppk-3374", "ppk", Instansi: ["3374"]),
        new("bkn-siasn", "bkn"),
        new("pemprov-33", "provincial", Province: "33"),
        new("inspektorat", "auditor"),
    ];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("netralitas-secure-");
    private readonly SqliteTestDatabase _database = new();
    private readonly Dictionary<string, X509Certificate2> _certificates = [];
    private readonly Dictionary<string, GrpcChannel> _channels = [];
    private readonly Dictionary<string, HttpClient> _restClients = [];
    private GatewayHost? _host;

    public DevelopmentCertificateAuthority Authority { get; } = DevelopmentCertificateAuthority.Create();

    public DevelopmentTokenIssuer Tokens { get; } = DevelopmentTokenIssuer.Create(Issuer);

    public GatewayHost Host => _host ?? throw new InvalidOperationException("The fixture did not start.");

    /// <summary>Settings a test class may add (smaller limits, …).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        using var server = Authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback], TimeSpan.FromDays(1));
        var serverCrt = Path.Combine(_folder.FullName, "server.crt");
        var serverKey = Path.Combine(_folder.FullName, "server.key");
        DevelopmentCertificates.WritePem(server, serverCrt, serverKey);
        var caPath = Path.Combine(_folder.FullName, "ca.crt");
        File.WriteAllText(caPath, Authority.Certificate.ExportCertificatePem());
        var jwks = Path.Combine(_folder.FullName, "jwks.json");
        File.WriteAllText(jwks, Tokens.JwksJson());

        var settings = new Dictionary<string, string?>(_database.Settings)
        {
            ["Kestrel:Certificates:Default:Path"] = serverCrt,
            ["Kestrel:Certificates:Default:KeyPath"] = serverKey,
            ["Netralitas:Security:MutualTls:ClientCaPath"] = caPath,
            ["Netralitas:Security:Bearer:Issuer"] = Issuer,
            ["Netralitas:Security:Bearer:Audience"] = DevelopmentTokenIssuer.DefaultAudience,
            ["Netralitas:Security:Bearer:SigningKeysPath"] = jwks,
        };
        foreach (var (id, certificate) in TestMember.IssueAndConfigure(Members, Authority, settings))
        {
            _certificates[id] = certificate;
        }
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }
        _host = await GatewayHost.StartAsync(settings, environment: "Production", url: "https://127.0.0.1:0", handler: Handler(null));
        await _host.WaitUntilServingAsync();
    }

    public TestMember Member(string id) => Members.Single(m => m.Id == id);

    /// <summary>A channel that presents the member's client certificate.</summary>
    public CallInvoker AsMember(string memberId) => Channel(memberId, _certificates[memberId]).CreateCallInvoker();

    /// <summary>A channel with a certificate the gateway has not configured (or from another CA).</summary>
    public CallInvoker WithCertificate(string name, X509Certificate2 certificate) => Channel(name, certificate).CreateCallInvoker();

    /// <summary>A TLS channel without a client certificate: for bearer tokens, or for nobody.</summary>
    public CallInvoker Anonymous => Channel("", null).CreateCallInvoker();

    /// <summary>Call options carrying a bearer token for the member (its roles and scope as claims).</summary>
    public CallOptions BearerFor(string memberId, Func<TokenClaims, TokenClaims>? change = null) => WithToken(TokenFor(memberId, change));

    /// <summary>A bearer token for the member (its roles and scope as claims).</summary>
    public string TokenFor(string memberId, Func<TokenClaims, TokenClaims>? change = null)
    {
        var member = Member(memberId);
        var claims = new TokenClaims
        {
            Caller = member.Id,
            Roles = [member.Role],
            Instansi = member.Instansi ?? [],
            Province = member.Province,
        };
        return Tokens.Issue(change is null ? claims : change(claims));
    }

    /// <summary>
    /// An HTTP client for REST/JSON over TLS, by default over HTTP/1.1 (ALPN offers both versions),
    /// presenting the member's client certificate; without one (null) for bearer tokens or for nobody.
    /// </summary>
    public HttpClient RestClient(string? memberId)
    {
        lock (_restClients)
        {
            var name = memberId ?? "";
            if (!_restClients.TryGetValue(name, out var client))
            {
                client = new HttpClient(Handler(memberId is null ? null : _certificates[memberId])) { BaseAddress = Host.Address };
                _restClients[name] = client;
            }
            return client;
        }
    }

    public static CallOptions WithToken(string token) => new(new Metadata { { "authorization", "Bearer " + token } });

    private GrpcChannel Channel(string name, X509Certificate2? certificate)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(name, out var channel))
            {
                channel = GrpcChannel.ForAddress(Host.Address, new GrpcChannelOptions { HttpHandler = Handler(certificate) });
                _channels[name] = channel;
            }
            return channel;
        }
    }

    private SocketsHttpHandler Handler(X509Certificate2? certificate) => TrustingHandler(Authority.Certificate, certificate);

    /// <summary>Trusts only <paramref name="ca"/> for the server's certificate (its name still checked); presents <paramref name="client"/>.</summary>
    public static SocketsHttpHandler TrustingHandler(X509Certificate2 ca, X509Certificate2? client) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { ca },
                RevocationMode = X509RevocationMode.NoCheck,
            },
            ClientCertificates = client is null ? null : [client],
        },
    };

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
        foreach (var client in _restClients.Values)
        {
            client.Dispose();
        }
        try
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
        finally
        {
            await _database.DisposeAsync();
            foreach (var certificate in _certificates.Values)
            {
                certificate.Dispose();
            }
            Authority.Dispose();
            Tokens.Dispose();
            _folder.Delete(recursive: true);
        }
    }
}

/// <summary>Calls any method of the API by its descriptor, with an empty request (or a given one).</summary>
public static class AnyMethod
{
    public static async Task<StatusCode> CallAsync(
        CallInvoker invoker, Google.Protobuf.Reflection.MethodDescriptor descriptor, CallOptions options, IMessage? request = null)
    {
        var type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        var method = new Method<IMessage, IMessage>(type, descriptor.Service.FullName, descriptor.Name,
            Marshal(descriptor.InputType.Parser), Marshal(descriptor.OutputType.Parser));
        request ??= descriptor.InputType.Parser.ParseFrom(ByteString.Empty);
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, request);
                    break;
                case MethodType.ClientStreaming:
                {
                    using var call = invoker.AsyncClientStreamingCall(method, null, options);
                    await call.RequestStream.SendAsync([]);
                    await call.ResponseAsync;
                    break;
                }
                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(method, null, options, request);
                    while (await call.ResponseStream.MoveNext(CancellationToken.None))
                    {
                    }
                    break;
                }
                default:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
                    await call.RequestStream.SendAsync([request]);
                    while (await call.ResponseStream.MoveNext(CancellationToken.None))
                    {
                    }
                    break;
                }
            }
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static Marshaller<IMessage> Marshal(MessageParser parser) =>
        Marshallers.Create<IMessage>(message => message.ToByteArray(), bytes => parser.ParseFrom(bytes));
}
