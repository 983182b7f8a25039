using Netralitas.Adapters.Siasn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Netralitas.Simulator;

/// <summary>
/// A stand-in for BKN's SIASN API for development and tests: its two token endpoints, the personnel
/// reads and the writes the gateway uses, with faults to order.
/// </summary>
public static class SiasnSimulator
{
    /// <summary>Maps the token endpoints, the API under <c>/apisiasn/1.0/</c> and the admin endpoints under <c>/_simulator/</c>.</summary>
    public static void MapSiasnSimulator(this IEndpointRouteBuilder endpoints, SiasnSimulatorState state)
    {
        SimulatorTokenEndpoints.Map(endpoints, state);
        SimulatorApiEndpoints.Map(endpoints, state);
        SimulatorAdminEndpoints.Map(endpoints, state);
    }

    /// <summary>
    /// Starts the simulator on its own Kestrel server at <paramref name="url"/> (port 0: a free port;
    /// give an IP address then, not <c>localhost</c>). No configuration files, no logging.
    /// </summary>
    public static async Task<RunningSiasnSimulator> StartAsync(
        SiasnSimulatorOptions options, string url = "http://127.0.0.1:0", TimeProvider? clock = null, CancellationToken ct = default)
    {
        var state = new SiasnSimulatorState(options, clock);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(url);
        builder.Services.AddRoutingCore();
        // A call still waiting out its simulated latency should not hold up a test's teardown.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.MapSiasnSimulator(state);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new RunningSiasnSimulator(app, new Uri(app.Urls.First().TrimEnd('/') + "/"), state, options);
    }
}

/// <summary>A simulator on its own server; disposing it stops the server.</summary>
public sealed class RunningSiasnSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SiasnSimulatorOptions _options;

    internal RunningSiasnSimulator(WebApplication app, Uri baseAddress, SiasnSimulatorState state, SiasnSimulatorOptions options)
    {
        _app = app;
        BaseAddress = baseAddress;
        State = state;
        _options = options;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>; the API lives under <c>apisiasn/1.0/</c>.</summary>
    public Uri BaseAddress { get; }

    public SiasnSimulatorState State { get; }

    /// <summary>The <c>Netralitas:Siasn</c> addresses and credentials that point a SIASN client at this simulator.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> ClientSettings() =>
    [
        new($"{SiasnOptions.Section}:BaseAddress", new Uri(BaseAddress, SimulatorApiEndpoints.Root.TrimStart('/') + "/").ToString()),
        new($"{SiasnOptions.Section}:GatewayTokenUrl", new Uri(BaseAddress, SimulatorTokenEndpoints.GatewayTokenPath.TrimStart('/')).ToString()),
        new($"{SiasnOptions.Section}:SsoTokenUrl", new Uri(BaseAddress, SimulatorTokenEndpoints.SsoTokenPath.TrimStart('/')).ToString()),
        new($"{SiasnOptions.Section}:ConsumerKey", _options.ConsumerKey),
        new($"{SiasnOptions.Section}:ConsumerSecret", _options.ConsumerSecret),
        new($"{SiasnOptions.Section}:SsoClientId", _options.SsoClientId),
        new($"{SiasnOptions.Section}:SsoUsername", _options.SsoUsername),
        new($"{SiasnOptions.Section}:SsoPassword", _options.SsoPassword),
    ];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
