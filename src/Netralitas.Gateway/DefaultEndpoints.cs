using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Netralitas.Gateway;

/// <summary>
/// Where the gateway listens when nothing says where (no <c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, <c>Urls</c> or <c>Kestrel:Endpoints</c>):
/// loopback only, <see cref="GrpcPort"/> for gRPC and REST/JSON over HTTP/2 (h2c) and
/// <see cref="RestPort"/> for REST/JSON over HTTP/1.1. Without TLS there is no ALPN, so one
/// cleartext port speaks one HTTP version (Kestrel's own rule); over TLS one port serves both.
/// </summary>
public static class DefaultEndpoints
{
    public const int GrpcPort = 5080;

    public const int RestPort = 5081;

    public static void ListenOnLoopbackUnlessConfigured(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = new[] { "urls", "http_ports", "https_ports" }.Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (configured)
        {
            return;
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, RestPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
    }
}
