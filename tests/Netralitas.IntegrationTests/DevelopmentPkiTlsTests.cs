using Netralitas.DevHost;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Netralitas.Gateway.Security;
using Netralitas.Gateway.Tools;

namespace Netralitas.IntegrationTests;

/// <summary>
/// The development PKI on a real TLS connection: Kestrel serves the issued server certificate and
/// requires a client certificate; the client trusts only the development CA and presents a
/// member's certificate. What the gateway's mutual TLS needs, without the gateway.
/// </summary>
public sealed class DevelopmentPkiTlsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("netralitas-pki-tls-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Kestrel_with_an_issued_server_certificate_sees_the_thumbprint_of_the_member_certificate_over_HTTP_2()
    {
        using var authority = DevelopmentCertificateAuthority.Create();
        using var server = authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback], TimeSpan.FromDays(1));
        using var member = authority.IssueClientCertificate("bkn-siasn", "BKN", TimeSpan.FromDays(1));
        await using var app = await StartServerAsync(authority.Certificate, https => https.ServerCertificate = server);

        using var client = Client(authority.Certificate, member);
        using var response = await client.GetAsync($"https://127.0.0.1:{PortOf(app)}/caller");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal($"{DevelopmentCertificates.Sha256Thumbprint(member)} CN=bkn-siasn, O=BKN", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_files_dev_credentials_writes_serve_through_Kestrel_configuration_and_identify_a_member_by_its_configured_thumbprint()
    {
        var directory = Path.Combine(_folder.FullName, "dev");
        Assert.Equal(0, await DevelopmentCredentialsCommand.RunAsync([directory], TextWriter.Null, TextWriter.Null));
        var caPath = Path.Combine(directory, DevelopmentCredentials.CaCertificateFile);
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath));
        await using var app = await StartServerAsync(ca, _ => { }, builder =>
        {
            // The settings as the gateway loads them, on a free port instead of 5443.
            builder.Configuration.AddJsonFile(Path.Combine(directory, DevelopmentCredentials.SettingsFile));
            builder.Configuration["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0";
        });
        var configuredThumbprint = app.Configuration
            .GetSection("Netralitas:Security:MutualTls:Members").GetChildren()
            .Single(m => m["Id"] == "ppk-3303")["Thumbprint"];
        using var member = X509Certificate2.CreateFromPemFile(
            DevelopmentCredentials.MemberCertificatePath(directory, "ppk-3303"), DevelopmentCredentials.MemberKeyPath(directory, "ppk-3303"));

        using var client = Client(ca, member);
        using var response = await client.GetAsync($"https://127.0.0.1:{PortOf(app)}/caller");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        var thumbprint = (await response.Content.ReadAsStringAsync()).Split(' ')[0];
        Assert.Equal(configuredThumbprint, thumbprint, ignoreCase: true);
    }

    [Fact]
    public async Task Kestrel_refuses_a_client_without_a_certificate_or_with_one_from_another_CA()
    {
        using var authority = DevelopmentCertificateAuthority.Create();
        using var elsewhere = DevelopmentCertificateAuthority.Create("Another CA");
        using var server = authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback], TimeSpan.FromDays(1));
        using var stranger = elsewhere.IssueClientCertificate("bkn-siasn", "BKN", TimeSpan.FromDays(1));
        await using var app = await StartServerAsync(authority.Certificate, https => https.ServerCertificate = server);
        var url = $"https://127.0.0.1:{PortOf(app)}/caller";

        using var anonymous = Client(authority.Certificate, clientCertificate: null);
        using var impostor = Client(authority.Certificate, stranger);

        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetStringAsync(url));
        await Assert.ThrowsAsync<HttpRequestException>(() => impostor.GetStringAsync(url));
    }

    [Fact]
    public async Task A_client_that_trusts_another_CA_refuses_the_server()
    {
        using var authority = DevelopmentCertificateAuthority.Create();
        using var elsewhere = DevelopmentCertificateAuthority.Create("Another CA");
        using var server = authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback], TimeSpan.FromDays(1));
        using var member = authority.IssueClientCertificate("bkn-siasn", "BKN", TimeSpan.FromDays(1));
        await using var app = await StartServerAsync(authority.Certificate, https => https.ServerCertificate = server);

        using var client = Client(elsewhere.Certificate, member);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync($"https://127.0.0.1:{PortOf(app)}/caller"));
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    /// <summary>
    /// A plain web application on 127.0.0.1 (port 0 unless configured) that requires a client
    /// certificate chaining to <paramref name="clientCa"/> and answers with its thumbprint and subject.
    /// </summary>
    private static async Task<WebApplication> StartServerAsync(
        X509Certificate2 clientCa, Action<HttpsConnectionAdapterOptions> https, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration(); // HTTPS endpoints from the Kestrel section, as the gateway reads them
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureHttpsDefaults(defaults =>
            {
                defaults.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                defaults.ClientCertificateValidation = (certificate, _, _) => ChainsTo(certificate, clientCa);
            });
            if (configure is null)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    listen.UseHttps(https);
                });
            }
        });
        var app = builder.Build();
        app.MapGet("/caller", (HttpContext context) => context.Connection.ClientCertificate is { } certificate
            ? $"{DevelopmentCertificates.Sha256Thumbprint(certificate)} {certificate.Subject}"
            : "no certificate");
        await app.StartAsync();
        return app;
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            CustomTrustStore = { root },
            RevocationMode = X509RevocationMode.NoCheck,
            ApplicationPolicy = { new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2") },
        };
        return chain.Build(certificate);
    }

    private static int PortOf(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;

    /// <summary>An HTTP/2 client that trusts only <paramref name="trustedRoot"/> and presents <paramref name="clientCertificate"/>.</summary>
    private static HttpClient Client(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate) =>
        new(SecureGateway.TrustingHandler(trustedRoot, clientCertificate))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
