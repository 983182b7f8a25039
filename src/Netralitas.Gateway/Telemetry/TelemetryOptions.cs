namespace Netralitas.Gateway.Telemetry;

/// <summary>
/// Configuration section <c>Netralitas:Telemetry</c>. OTLP export is configured by the standard
/// <c>OTEL_*</c> variables and is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (or
/// <see cref="Otlp"/> is true, for the SDK's default endpoint); the Prometheus scrape endpoint is on
/// when <see cref="PrometheusUrl"/> is set. With neither, no telemetry pipeline is built.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Netralitas:Telemetry";

    /// <summary>The standard variable whose presence turns OTLP export on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Export traces and metrics over OTLP even without <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (to the SDK's default, localhost:4317).</summary>
    public bool Otlp { get; set; }

    /// <summary>
    /// Where the Prometheus scrape endpoint listens: a plain-HTTP URL of a port of its own, e.g.
    /// <c>http://127.0.0.1:9464</c>; it answers at <see cref="PrometheusPath"/>. Empty: no endpoint.
    /// </summary>
    public string PrometheusUrl { get; set; } = "";

    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>How often the outbox and personnel backlogs are counted in the database for their gauges.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}
