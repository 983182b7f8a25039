using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Netralitas.Gateway.Security;

/// <summary>
/// A TLS-terminating proxy (nginx, see deploy/nginx/netralitas.conf) verifies the caller's client
/// certificate and forwards it, URL-encoded PEM (nginx's <c>$ssl_client_escaped_cert</c>), in
/// <see cref="CertificateHeader"/>, with X-Forwarded-Proto and X-Forwarded-For. ASP.NET Core's
/// certificate-forwarding and forwarded-headers middleware read them, but only on connections from
/// <see cref="SecurityOptions.TrustedProxies"/>: from any other address the certificate header is
/// removed (and logged once per address), so a forwarded certificate is accepted only as the
/// proxy's word, and then still passes the same checks as one presented directly (chain to the
/// client CA, member mapping).
/// </summary>
public static partial class TrustedProxyHeaders
{
    public const string CertificateHeader = "X-Client-Cert";

    /// <summary>The configured proxies, or why an entry is not an address or CIDR range.</summary>
    public static (IReadOnlyList<IPNetwork> Proxies, IReadOnlyList<string> Problems) Parse(IEnumerable<string> entries)
    {
        var proxies = new List<IPNetwork>();
        var problems = new List<string>();
        foreach (var entry in entries.Select(e => e.Trim()))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                proxies.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                problems.Add($"{SecurityOptions.Section}:TrustedProxies: '{entry}' is neither an IP address nor a CIDR range (10.20.0.0/28)");
            }
        }
        return (proxies, problems);
    }

    public static void AddTrustedProxyHeaders(this IServiceCollection services, IReadOnlyList<IPNetwork> proxies)
    {
        services.AddSingleton(new TrustedProxies(proxies));
        services.AddCertificateForwarding(options =>
        {
            options.CertificateHeader = CertificateHeader;
            options.HeaderConverter = FromEscapedPem;
        });
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here only what is configured.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownIPNetworks.Add(proxy);
            }
        });
    }

    /// <summary>Before anything reads the caller: the gate (on the proxy's own address), then the framework's middleware.</summary>
    public static void UseTrustedProxyHeaders(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<TrustedProxies>().IsEmpty)
        {
            return; // nothing reads the headers, and no call pays for looking at them
        }
        app.UseMiddleware<ForwardedCertificateGate>();
        app.UseCertificateForwarding();
        app.UseForwardedHeaders();
    }

    /// <summary>nginx's $ssl_client_escaped_cert: the PEM certificate, URL-encoded.</summary>
    private static X509Certificate2 FromEscapedPem(string header)
    {
        try
        {
            return X509Certificate2.CreateFromPem(Uri.UnescapeDataString(header));
        }
        catch (CryptographicException e)
        {
            // The framework logs it and the call goes on without a certificate (UNAUTHENTICATED).
            throw new InvalidOperationException($"{CertificateHeader} does not hold a URL-encoded PEM certificate.", e);
        }
    }

    /// <summary>Removes the certificate header from connections that are not a trusted proxy's.</summary>
    private sealed partial class ForwardedCertificateGate(RequestDelegate next, TrustedProxies proxies, ILogger<ForwardedCertificateGate> logger)
    {
        private const int MaxRemembered = 10_000;
        private readonly ConcurrentDictionary<IPAddress, bool> _logged = new();

        public Task InvokeAsync(HttpContext http)
        {
            if (http.Request.Headers.ContainsKey(CertificateHeader) && !proxies.Contains(http.Connection.RemoteIpAddress))
            {
                http.Request.Headers.Remove(CertificateHeader);
                var peer = http.Connection.RemoteIpAddress ?? IPAddress.None;
                if (_logged.Count < MaxRemembered && _logged.TryAdd(peer, true))
                {
                    LogUntrusted(peer, CertificateHeader);
                }
            }
            return next(http);
        }

        [LoggerMessage(Level = LogLevel.Warning, Message =
            "{Header} from {Peer} ignored: it is not one of Netralitas:Security:TrustedProxies (logged once per address)")]
        private partial void LogUntrusted(IPAddress peer, string header);
    }
}

/// <summary>The addresses <see cref="SecurityOptions.TrustedProxies"/> names.</summary>
public sealed class TrustedProxies(IReadOnlyList<IPNetwork> networks)
{
    public bool IsEmpty => networks.Count == 0;

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return networks.Any(n => n.Contains(address));
    }
}
