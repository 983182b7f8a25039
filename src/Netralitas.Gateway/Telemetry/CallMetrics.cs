using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace Netralitas.Gateway.Telemetry;

/// <summary>
/// Per-call metrics, which grpc-dotnet does not emit: <c>rpc.server.call.duration</c> (OpenTelemetry's
/// RPC conventions) by service, method and gRPC status code, plus the protocol the call came by
/// (<c>grpc</c> or <c>rest</c>). Recorded by the call guard, which knows the final status.
/// </summary>
public sealed class CallMetrics
{
    private static readonly double[] SecondsBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    // Boxed once: a status code tag must not allocate on every call.
    private static readonly object[] StatusCodes = Enumerable.Range(0, 17).Select(code => (object)code).ToArray();

    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<string, (string Service, string Method)> _names = new(StringComparer.Ordinal);

    public CallMetrics(IMeterFactory meters)
    {
        _duration = meters.Create(GatewayMetrics.MeterName).CreateHistogram("rpc.server.call.duration", "s",
            "Calls from arrival at the call guard to the final status (a stream: its whole life), by method, status and protocol.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    }

    public void Record(string fullMethod, string protocol, StatusCode status, long startedTimestamp)
    {
        if (!_duration.Enabled)
        {
            return;
        }
        var (service, method) = _names.GetOrAdd(fullMethod, Split);
        var code = (int)status;
        var tags = new TagList
        {
            { "rpc.system", "grpc" },
            { "rpc.service", service },
            { "rpc.method", method },
            { "rpc.grpc.status_code", code >= 0 && code < StatusCodes.Length ? StatusCodes[code] : code },
            { "netralitas.call.protocol", protocol },
        };
        _duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, tags);
    }

    /// <summary>"/netralitas.v1.CaseService/HasOpenCase" → ("netralitas.v1.CaseService", "HasOpenCase").</summary>
    private static (string Service, string Method) Split(string fullMethod)
    {
        var slash = fullMethod.LastIndexOf('/');
        return slash > 0 ? (fullMethod[1..slash], fullMethod[(slash + 1)..]) : ("", fullMethod.TrimStart('/'));
    }
}
