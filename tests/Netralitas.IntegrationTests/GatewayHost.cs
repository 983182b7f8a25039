using System.Collections.Concurrent;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Netralitas.Gateway;

namespace Netralitas.IntegrationTests;

/// <summary>
/// The real gateway on Kestrel at 127.0.0.1:0 against a real database, called over HTTP/2 with
/// Grpc.Net.Client. Any error the gateway logs fails the test run when the host is disposed,
/// unless the test said it expected one.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ErrorLog _errors;

    private GatewayHost(WebApplication app, ErrorLog errors, Uri address, HttpMessageHandler? handler)
    {
        _app = app;
        _errors = errors;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024, HttpHandler = handler });
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a gateway with the given settings (Netralitas:Database:*, …); does not wait for readiness.
    /// The background escalation sweep is off unless the settings turn it on, so that tests dated in
    /// 2024 are not escalated by today's date; <paramref name="clock"/> replaces the system clock.
    /// By default in development mode over h2c (callers need no credentials); the security tests
    /// pass another <paramref name="environment"/>, an https <paramref name="url"/> and the
    /// <paramref name="handler"/> that trusts the gateway's certificate.
    /// </summary>
    public static async Task<GatewayHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, TimeProvider? clock = null,
        string environment = "Development", string url = "http://127.0.0.1:0", HttpMessageHandler? handler = null,
        IEnumerable<string>? arguments = null)
    {
        var errors = new ErrorLog();
        var app = GatewayApplication.Build(
            ["--environment", environment, "--urls", url, "--Netralitas:Logging:Json=false", "--Netralitas:Escalation:SweepEnabled=false",
                // Over TLS, ALPN lets one port speak HTTP/2 (gRPC, REST) and HTTP/1.1 (REST), as the secure settings have it.
                .. url.StartsWith("https:", StringComparison.Ordinal) ? ["--Kestrel:EndpointDefaults:Protocols=Http1AndHttp2"] : Array.Empty<string>(),
                .. arguments ?? []], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<ILoggerProvider>(errors);
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        return new GatewayHost(app, errors, new Uri(address), handler);
    }

    public async Task WaitUntilServingAsync(TimeSpan? timeout = null)
    {
        var health = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var status = (await health.CheckAsync(new HealthCheckRequest())).Status;
            if (status == HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The gateway did not become SERVING; last status {status}.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Whether the gateway logged (at Information or above) a message containing <paramref name="part"/>.</summary>
    public bool Logged(string part) => _errors.Logged(part);

    /// <summary>What the gateway logged at <paramref name="level"/> or above (Information at least) that contains <paramref name="part"/>.</summary>
    public IReadOnlyList<string> LoggedAt(LogLevel level, string part = "") => _errors.At(level, part);

    /// <summary>Errors containing <paramref name="part"/> are what the test provokes, not failures.</summary>
    public void ExpectErrors(string part) => _errors.Expect(part);

    /// <summary>Stops the gateway as a shutdown signal would, leaving the client channel open.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        var unexpected = _errors.Errors();
        if (unexpected.Count > 0)
        {
            throw new InvalidOperationException("The gateway logged unexpected errors:\n" + string.Join("\n", unexpected));
        }
    }

    /// <summary>The real clock moved to another moment, still ticking, so that timers and delays run as usual.</summary>
    public sealed class ShiftedClock(DateTimeOffset now) : TimeProvider
    {
        private TimeSpan _offset = now - System.GetUtcNow();

        /// <summary>Moves the clock to <paramref name="jakartaDate"/> at 09:00 WIB.</summary>
        public void MoveTo(DateOnly jakartaDate) =>
            _offset = new DateTimeOffset(jakartaDate.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(7)) - System.GetUtcNow();

        public static ShiftedClock At(DateOnly jakartaDate)
        {
            var clock = new ShiftedClock(DateTimeOffset.UtcNow);
            clock.MoveTo(jakartaDate);
            return clock;
        }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
    }

    /// <summary>Keeps what the gateway logs at Information and above; errors fail the test run.</summary>
    private sealed class ErrorLog : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Text)> _entries = new();
        private readonly ConcurrentBag<string> _expected = [];

        public void Expect(string part) => _expected.Add(part);

        public IReadOnlyList<string> Errors() =>
            _entries.Where(e => e.Level >= LogLevel.Error && !_expected.Any(x => e.Text.Contains(x, StringComparison.Ordinal)))
                .Select(e => e.Text).ToArray();

        public IReadOnlyList<string> At(LogLevel level, string part) =>
            _entries.Where(e => e.Level >= level && e.Text.Contains(part, StringComparison.Ordinal)).Select(e => e.Text).ToArray();

        public bool Logged(string part) => _entries.Any(e => e.Text.Contains(part, StringComparison.Ordinal));

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _entries.Enqueue((logLevel, $"{logLevel}: {formatter(state, exception)} {exception}"));
            }
        }

        public void Dispose() { }
    }
}
