using System.Diagnostics;
using Netralitas.Domain.Telemetry;
using Netralitas.Gateway.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// In the composition root's namespace, so that GatewayApplication calls it without another using.
namespace Netralitas.Gateway;

public static class TelemetryRegistration
{
    /// <summary>Every meter and activity source of ours starts with this, so one wildcard exports them all.</summary>
    public const string NamePattern = "Netralitas.*";

    public const string DefaultServiceName = "netralitas-gateway";

    /// <summary>
    /// The meters are always registered (SIASN's with its client) (with no listener a recording is a flag check); the OpenTelemetry
    /// pipeline only when OTLP or Prometheus is turned on, so that a gateway without telemetry pays
    /// nothing for it. OTLP carries traces and metrics; Prometheus only metrics.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => o.PrometheusUrl.Length == 0 || Uri.TryCreate(o.PrometheusUrl, UriKind.Absolute, out var url) && url.Scheme == "http",
                $"{TelemetryOptions.Section}:PrometheusUrl must be an http URL such as http://127.0.0.1:9464")
            .Validate(o => o.PrometheusPath.StartsWith('/'), $"{TelemetryOptions.Section}:PrometheusPath must start with '/'")
            .Validate(o => o.SampleInterval > TimeSpan.Zero, $"{TelemetryOptions.Section}:SampleInterval must be positive")
            .ValidateOnStart();
        services.AddSingleton<DomainMetrics>();
        services.AddSingleton<CallMetrics>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<BacklogReadings>();

        var configuration = builder.Configuration;
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = options.Otlp || !string.IsNullOrWhiteSpace(configuration[TelemetryOptions.OtlpEndpointVariable]);
        var prometheus = options.PrometheusUrl.Length > 0;
        if (!otlp && !prometheus)
        {
            return builder;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            // OTEL_SERVICE_NAME, when set, names the service (the SDK reads it); otherwise ours.
            if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
            {
                resource.AddService(DefaultServiceName, serviceVersion: typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString());
            }
        });
        telemetry.WithMetrics(metrics =>
        {
            // Not ASP.NET Core's nor Kestrel's metrics: each records per request (the request duration,
            // routing, Kestrel's queued requests, with their attributes built every time), which on
            // HasOpenCase cost more than the 3 % the issue allows (bench/README.md, Telemetry);
            // rpc.server.call.duration covers every call.
            metrics.AddMeter(NamePattern)
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation();
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(NamePattern)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation(o => o.Filter = (_, _) => InsideAnOperation(Activity.Current))
                .AddOtlpExporter());
        }
        if (prometheus)
        {
            services.AddSingleton<PrometheusScrapeServer>();
            services.AddHostedService(sp => sp.GetRequiredService<PrometheusScrapeServer>());
        }
        services.AddHostedService<BacklogSampler>();
        return builder;
    }

    /// <summary>
    /// Keeps a database statement's span only inside a traced operation (a call, an outbox delivery).
    /// The workers poll the database every second or so; each poll would otherwise be a trace of its own.
    /// </summary>
    private static bool InsideAnOperation(Activity? current) =>
        current is not null && (current.Source.Name != EntityFrameworkSource || current.ParentSpanId != default);

    private const string EntityFrameworkSource = "OpenTelemetry.Instrumentation.EntityFrameworkCore";
}
