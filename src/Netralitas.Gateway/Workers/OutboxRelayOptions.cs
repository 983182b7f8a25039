namespace Netralitas.Gateway.Workers;

/// <summary>Configuration section <c>Netralitas:Siasn:Relay</c>: how the outbox relay delivers commands to SIASN.</summary>
public sealed class OutboxRelayOptions
{
    public const string Section = "Netralitas:Siasn:Relay";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the relay looks for due commands when it found none (a new command waits at most this long).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Commands read per round; each NIP's commands go one at a time, in the order they were made.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Deliveries in flight at once (to different NIPs): the relay claims, sends and records them as one chunk.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// How long a claimed command is held by the replica delivering it. A replica that dies mid-delivery
    /// leaves it held this long; then any replica delivers it again, with the same idempotency key.
    /// Longer than the SIASN client's total timeout.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Deliveries tried (sent to SIASN) before a command is dead-lettered. Calls held back by the open circuit do not count.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; doubled per attempt (with jitter), up to MaxBackoff.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait after a failed attempt number <paramref name="attempt"/> (1-based), jittered by ±20%.</summary>
    public TimeSpan BackoffAfter(int attempt, double jitter)
    {
        var exponential = BaseBackoff.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)(capped * (0.8 + 0.4 * jitter)));
    }
}
