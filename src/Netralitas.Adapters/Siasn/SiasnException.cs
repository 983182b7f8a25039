namespace Netralitas.Adapters.Siasn;

public enum SiasnFailure
{
    /// <summary>SIASN did not answer in time, answered 5xx/429, or the connection failed: worth trying again later.</summary>
    Unavailable,
    /// <summary>SIASN answered and said no (4xx, <c>success: false</c>, a non-200 <c>code</c>): its message says why.</summary>
    Rejected,
    /// <summary>SIASN has no such record.</summary>
    NotFound,
}

/// <summary>A SIASN call that did not succeed, with SIASN's own message kept.</summary>
public sealed class SiasnException(
    SiasnFailure failure, string message, int? statusCode = null, bool sent = true, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public SiasnFailure Failure { get; } = failure;

    /// <summary>The HTTP status or the envelope's code, when SIASN answered.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>False when the call never left the gateway (circuit open, concurrency limit reached).</summary>
    public bool Sent { get; } = sent;

    /// <summary>When the circuit breaker or SIASN says to come back.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
