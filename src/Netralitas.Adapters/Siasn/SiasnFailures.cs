using System.Threading.RateLimiting;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Netralitas.Adapters.Siasn;

/// <summary>Turns what the HTTP stack and the resilience pipeline throw into a <see cref="SiasnException"/>.</summary>
internal static class SiasnFailures
{
    /// <summary>Null for exceptions that are not SIASN's doing (the caller's own cancellation, bugs).</summary>
    public static SiasnException? Translate(Exception e, CancellationToken callerToken) => e switch
    {
        SiasnException => null,
        BrokenCircuitException broken => new SiasnException(SiasnFailure.Unavailable,
            "SIASN circuit open: calls are held back after repeated failures", sent: false, retryAfter: broken.RetryAfter, inner: e),
        RateLimiterRejectedException limited => new SiasnException(SiasnFailure.Unavailable,
            "SIASN concurrency limit reached", sent: false, retryAfter: limited.RetryAfter, inner: e),
        TimeoutRejectedException => new SiasnException(SiasnFailure.Unavailable, $"SIASN did not answer in time ({e.Message})", inner: e),
        HttpRequestException => new SiasnException(SiasnFailure.Unavailable, $"SIASN unreachable: {e.Message}", inner: e),
        OperationCanceledException when !callerToken.IsCancellationRequested =>
            new SiasnException(SiasnFailure.Unavailable, "SIASN did not answer in time", inner: e),
        _ => null,
    };

    public static SiasnFailure FromStatus(int status) => status switch
    {
        404 => SiasnFailure.NotFound,
        408 or 429 or >= 500 => SiasnFailure.Unavailable,
        _ => SiasnFailure.Rejected,
    };
}
