using System.Threading.RateLimiting;

namespace Netralitas.Gateway.Security;

/// <summary>
/// Streams each caller may have open at once: a watch polls the database every second for as long
/// as it runs and a bulk check holds its NIPs until it ends, so the call rate alone does not bound
/// what one caller holds.
/// </summary>
public sealed class CallerStreamLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public CallerStreamLimiter(CallLimitOptions options)
    {
        Limit = options.MaxStreamsPerCaller;
        _limiter = PartitionedRateLimiter.Create<string, string>(callerId => RateLimitPartition.GetConcurrencyLimiter(callerId,
            _ => new ConcurrencyLimiterOptions { PermitLimit = Limit, QueueLimit = 0 }));
    }

    public int Limit { get; }

    /// <summary>The stream's slot, to dispose when it ends; null when the caller has <see cref="Limit"/> open.</summary>
    public RateLimitLease? TryOpenStream(string callerId)
    {
        var lease = _limiter.AttemptAcquire(callerId);
        if (lease.IsAcquired)
        {
            return lease;
        }
        lease.Dispose();
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
