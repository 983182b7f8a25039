using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Netralitas.Gateway.Telemetry;

/// <summary>
/// The Prometheus scrape endpoint on a Kestrel server of its own, at <see cref="TelemetryOptions.PrometheusUrl"/>:
/// plain HTTP, nothing else served there, none of the gateway's middleware, credentials or TLS, and
/// none of its ports touched. An operator binds it to an address only the monitoring reaches.
/// </summary>
internal sealed partial class PrometheusScrapeServer(
    MeterProvider meterProvider,
    IOptions<TelemetryOptions> options,
    ILogger<PrometheusScrapeServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _server;

    /// <summary>Where it listens once started (the port chosen when the URL says 0).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Empty: no configuration sources, so ASPNETCORE_URLS and the gateway's settings cannot move it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(settings.PrometheusUrl);
        builder.Services.AddRoutingCore();
        _server = builder.Build();
        _server.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, predicate: null, path: settings.PrometheusPath,
            configureBranchedPipeline: null, optionsName: null);
        await _server.StartAsync(cancellationToken);
        Address = new Uri(_server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        LogListening(new Uri(Address, settings.PrometheusPath));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus scrape endpoint at {Url} (metrics only, no credentials: keep it on an address only the monitoring reaches)")]
    private partial void LogListening(Uri url);
}
