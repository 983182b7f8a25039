using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Netralitas.Gateway.Security;

/// <summary>
/// Development mode accepts calls without credentials, so it runs only where nobody else can
/// reach it: in the Development environment (checked before the gateway is built) and on
/// loopback addresses only (checked here, once Kestrel has bound them; the start fails otherwise).
/// Outside it, a gateway with no way to authenticate anyone says so.
/// </summary>
public sealed partial class SecurityStartupCheck(SecurityOptions options, IServer server, ILogger<SecurityStartupCheck> logger)
    : IHostedLifecycleService
{
    public static void EnsureAllowed(SecurityOptions options, IHostEnvironment environment)
    {
        if (options.DevelopmentMode && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"{SecurityOptions.Section}:DevelopmentMode is on in the '{environment.EnvironmentName}' environment. " +
                "It accepts calls without credentials and is allowed only in Development; configure mutual TLS or bearer tokens instead.");
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!options.DevelopmentMode)
        {
            if (string.IsNullOrWhiteSpace(options.MutualTls.ClientCaPath) && string.IsNullOrWhiteSpace(options.Bearer.Issuer))
            {
                LogNobodyCanCall();
            }
            if (options.TrustedProxies.Count > 0)
            {
                LogTrustedProxies(string.Join(", ", options.TrustedProxies), TrustedProxyHeaders.CertificateHeader);
            }
            return Task.CompletedTask;
        }
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(a => !IsLoopback(a)).ToArray();
        if (exposed.Length > 0)
        {
            throw new InvalidOperationException(
                $"{SecurityOptions.Section}:DevelopmentMode accepts calls without credentials, so the gateway listens on loopback only; " +
                $"it was bound to {string.Join(", ", exposed)}. Bind to 127.0.0.1 or [::1], or configure mutual TLS or bearer tokens.");
        }
        LogDevelopmentMode(string.Join(", ", addresses));
        return Task.CompletedTask;
    }

    private static bool IsLoopback(string address)
    {
        var host = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal)).Host;
        return host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "DEVELOPMENT MODE — NO CALLER AUTHENTICATION. Calls without credentials from loopback ({Addresses}) are accepted as " +
        "'developer' with every role. This mode is refused outside the Development environment; never expose this gateway.")]
    private partial void LogDevelopmentMode(string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No caller can authenticate: neither Netralitas:Security:MutualTls:ClientCaPath nor Netralitas:Security:Bearer:Issuer is set, " +
        "so every call is refused with UNAUTHENTICATED. See docs/security.md.")]
    private partial void LogNobodyCanCall();

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Client certificates in {Header}, X-Forwarded-Proto and X-Forwarded-For are taken from the proxies {Proxies} only " +
        "(Netralitas:Security:TrustedProxies); a forwarded certificate is checked like a direct one.")]
    private partial void LogTrustedProxies(string proxies, string header);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
