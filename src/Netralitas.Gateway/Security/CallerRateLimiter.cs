using System.Threading.RateLimiting;

namespace Netralitas.Gateway.Security;

/// <summary>A token bucket per caller: CallsPerSecond on average, CallBurst at once.</summary>
public sealed class CallerRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public CallerRateLimiter(CallLimitOptions options)
    {
        // Refilled about ten times a second (once per call below ten a second), in whole tokens
        // whose period is chosen so that the average is exactly CallsPerSecond.
        var perPeriod = Math.Max(1, options.CallsPerSecond / 10);
        RetryAfter = TimeSpan.FromSeconds((double)perPeriod / options.CallsPerSecond);
        _limiter = PartitionedRateLimiter.Create<string, string>(callerId => RateLimitPartition.GetTokenBucketLimiter(callerId,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.CallBurst,
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = RetryAfter,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>How long until a caller that used its share may start one more call.</summary>
    public TimeSpan RetryAfter { get; }

    public bool TryStartCall(string callerId)
    {
        using var lease = _limiter.AttemptAcquire(callerId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
