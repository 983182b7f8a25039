using Microsoft.Extensions.Options;
using Netralitas.Adapters.Siasn;
using Netralitas.Gateway.Domain;
using Netralitas.Gateway.Domain.Escalation;
using Netralitas.Gateway.Health;
using Netralitas.Gateway.Siasn;

namespace Netralitas.Gateway.Workers;

/// <summary>
/// Delivers the outbox to SIASN, at least once, each command with its idempotency key so that its
/// effect there is once. Safe on several replicas: a command is claimed under a lease before it is
/// sent. A NIP's commands go one at a time in the order they were made (a release never overtakes
/// its block). While SIASN's circuit is open the relay pauses, and those rounds do not count as
/// attempts; a command that keeps failing is dead-lettered after MaxAttempts.
/// </summary>
public sealed partial class OutboxRelay(
    IServiceScopeFactory scopes,
    IOptions<OutboxRelayOptions> options,
    IOptions<SiasnOptions> siasn,
    GatewayReadiness readiness,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || !siasn.Value.IsConfigured)
        {
            LogIdle(siasn.Value.Mode.ToString(), o.Enabled);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan? pause;
            try
            {
                pause = readiness.IsReady ? await RoundAsync(o, stoppingToken) : TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(e);
                pause = o.PollInterval;
            }
            if (pause is { } wait)
            {
                try
                {
                    await Task.Delay(wait, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Delivers what is due; answers how long to wait before the next round (null: go on at once).</summary>
    private async Task<TimeSpan?> RoundAsync(OutboxRelayOptions o, CancellationToken stoppingToken)
    {
        IReadOnlyList<OutboxMessage> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<IOutboxQueue>()
                .DueAsync(clock.GetUtcNow().UtcDateTime, o.BatchSize, stoppingToken);
        }
        if (due.Count == 0)
        {
            return o.PollInterval;
        }
        long heldTicks = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = stoppingToken },
            async (message, ct) =>
            {
                if (await DeliverAsync(o, message, ct) is { } pause)
                {
                    InterlockedMax(ref heldTicks, pause.Ticks);
                }
            });
        return heldTicks > 0 ? TimeSpan.FromTicks(heldTicks) : null;
    }

    /// <summary>One delivery; answers the pause the circuit breaker asks for, if it held the call back.</summary>
    private async Task<TimeSpan?> DeliverAsync(OutboxRelayOptions o, OutboxMessage message, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<IOutboxQueue>();
        var lease = Guid.NewGuid().ToString();
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await queue.TryClaimAsync(message.Id, lease, now, now + o.LeaseDuration, stoppingToken))
        {
            return null; // another replica has it
        }
        var attempt = message.Attempts + 1;
        try
        {
            var receipt = await scope.ServiceProvider.GetRequiredService<SiasnCommands>().SendAsync(message, stoppingToken);
            await queue.CompleteAsync(message.Id, lease, receipt, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
            LogDelivered(message.ResourceName, message.Kind.ToString(), message.Nip, attempt);
            return null;
        }
        catch (SiasnException e) when (!e.Sent)
        {
            var pause = e.RetryAfter is { } after && after > TimeSpan.Zero ? after : DefaultPause;
            await queue.RescheduleAsync(message.Id, lease, clock.GetUtcNow().UtcDateTime + pause, e.Message, attemptCounts: false, CancellationToken.None);
            LogHeldBack(message.ResourceName, pause, e.Message);
            return pause;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: give the command back now rather than at the end of its lease. Whether
            // SIASN received it is unknown, so the next delivery repeats it with the same key.
            await queue.RescheduleAsync(message.Id, lease, clock.GetUtcNow().UtcDateTime, "interrupted by shutdown", attemptCounts: true, CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            var error = e is SiasnException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (attempt >= o.MaxAttempts)
            {
                await queue.DeadLetterAsync(message.Id, lease, error, CancellationToken.None);
                LogDeadLettered(message.ResourceName, message.Kind.ToString(), message.Nip, attempt, error);
            }
            else
            {
                var retryAt = clock.GetUtcNow().UtcDateTime + o.BackoffAfter(attempt, Random.Shared.NextDouble());
                await queue.RescheduleAsync(message.Id, lease, retryAt, error, attemptCounts: true, CancellationToken.None);
                LogFailed(message.ResourceName, message.Kind.ToString(), attempt, retryAt, error);
            }
            return null;
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var current = Interlocked.Read(ref target); value > current;)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay idle: SIASN mode {Mode}, relay enabled {Enabled}; commands wait as PENDING")]
    private partial void LogIdle(string mode, bool enabled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Message} ({Kind}, NIP {Nip}) to SIASN on attempt {Attempt}")]
    private partial void LogDelivered(string message, string kind, string nip, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay pauses {Pause} ({Message} not sent, not counted as an attempt): {Reason}")]
    private partial void LogHeldBack(string message, TimeSpan pause, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery of {Message} ({Kind}) failed on attempt {Attempt}; next at {RetryAt:o}: {Error}")]
    private partial void LogFailed(string message, string kind, int attempt, DateTime retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-lettered {Message} ({Kind}, NIP {Nip}) after {Attempt} attempts: {Error}. Retry it with OutboxService/RetryOutboxMessage")]
    private partial void LogDeadLettered(string message, string kind, string nip, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox relay round failed; trying again shortly")]
    private partial void LogRoundFailed(Exception exception);
}
