using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace Netralitas.Adapters.Siasn;

/// <summary>
/// The meter <c>Netralitas.Siasn</c>: how long SIASN calls take and how they end, and the state of
/// each SIASN client's circuit breaker.
/// </summary>
public sealed class SiasnMetrics
{
    public const string MeterName = "Netralitas.Siasn";

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Histogram<double> _calls;
    private readonly ConcurrentDictionary<string, CircuitState> _breakers = new(StringComparer.Ordinal);

    public SiasnMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateHistogram("netralitas.siasn.call.duration", "s",
            "SIASN calls, retries and circuit waits included, by operation and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        meter.CreateObservableGauge("netralitas.siasn.breaker.state", ObserveBreakers, "{state}",
            "Circuit breaker of each SIASN client: 0 closed, 1 open, 2 half-open, 3 isolated (Polly's CircuitState).");
    }

    /// <summary>Times <paramref name="call"/> as one SIASN <paramref name="operation"/>.</summary>
    public async Task<T> MeasureAsync<T>(string operation, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await call();
        }
        catch (SiasnException e)
        {
            outcome = e.Failure switch
            {
                SiasnFailure.NotFound => "not_found",
                SiasnFailure.Rejected => "rejected",
                _ => "unavailable",
            };
            throw;
        }
        catch (Exception)
        {
            outcome = "error";
            throw;
        }
        finally
        {
            if (_calls.Enabled)
            {
                _calls.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("netralitas.siasn.operation", operation),
                    new KeyValuePair<string, object?>("netralitas.siasn.outcome", outcome));
            }
        }
    }

    /// <summary>Called by the resilience pipeline of the named client as its breaker changes state.</summary>
    public void BreakerChanged(string client, CircuitState state) => _breakers[client] = state;

    private IEnumerable<Measurement<int>> ObserveBreakers() =>
        _breakers.Select(b => new Measurement<int>((int)b.Value, new KeyValuePair<string, object?>("netralitas.siasn.client", b.Key)));
}
