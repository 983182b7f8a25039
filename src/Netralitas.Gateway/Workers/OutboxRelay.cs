using Microsoft.Extensions.Options;
using Netralitas.Adapters.Siasn;
using Netralitas.Domain;
using Netralitas.Domain.Escalation;
using Netralitas.Gateway.Health;
using Netralitas.Gateway.Telemetry;
using System.Diagnostics;

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
    GatewayMetrics metrics,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(5);

    /// <summary>Each delivery is a span in the trace of the call that committed the command (its stored traceparent).</summary>
    private static readonly ActivitySource Tracing = new(GatewayMetrics.MeterName);

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
        foreach (var chunk in due.Chunk(o.Concurrency))
        {
            if (await DeliverChunkAsync(o, chunk, stoppingToken) is { } pause)
            {
                return pause; // the circuit is open: the rest of the round waits too
            }
        }
        return null;
    }

    /// <summary>
    /// Claims up to <see cref="OutboxRelayOptions.Concurrency"/> commands in one transaction, sends them
    /// at once, and records the deliveries in one more: two turns at the database per chunk, not two
    /// per command. Answers the pause the circuit breaker asks for, if it held a call back.
    /// </summary>
    private async Task<TimeSpan?> DeliverChunkAsync(OutboxRelayOptions o, OutboxMessage[] chunk, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<IOutboxQueue>();
        var lease = Guid.NewGuid().ToString();
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await queue.ClaimAsync(chunk.Select(m => m.Id).ToArray(), lease, now, now + o.LeaseDuration, stoppingToken);
        var sends = chunk.Where(m => claimed.Contains(m.Id)) // another replica has the others
            .Select(async message => (Message: message, Outcome: await DeliverAsync(o, message, lease, stoppingToken)))
            .ToArray();
        await ((Task)Task.WhenAll(sends)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // SIASN has these: recorded even when shutting down (otherwise they would be sent again, harmlessly, after the lease).
        var delivered = sends.Where(s => s.IsCompletedSuccessfully && s.Result.Outcome.Receipt is not null).Select(s => s.Result).ToArray();
        await queue.CompleteAsync(delivered.Select(d => (d.Message.Id, d.Outcome.Receipt!)).ToArray(), lease, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        var completedAt = clock.GetUtcNow().UtcDateTime;
        foreach (var (message, _) in delivered)
        {
            metrics.RecordDelivery("delivered", KindName(message.Kind), completedAt - message.CreatedAt);
            LogDelivered(message.ResourceName, message.Kind.ToString(), message.Nip, message.Attempts + 1);
        }
        foreach (var send in sends.Where(s => !s.IsCompletedSuccessfully))
        {
            await send; // a shutdown, or a failure to record a failed delivery
        }
        var pauses = sends.Select(s => s.Result.Outcome.Pause).OfType<TimeSpan>().ToArray();
        return pauses.Length > 0 ? pauses.Max() : null;
    }

    /// <summary>What one send came to: SIASN's receipt, or the pause the circuit breaker asks for, or neither (a failure, recorded).</summary>
    private readonly record struct Outcome(string? Receipt, TimeSpan? Pause);

    /// <summary>One claimed command sent to SIASN; a failure is recorded here, a success by the chunk.</summary>
    private async Task<Outcome> DeliverAsync(OutboxRelayOptions o, OutboxMessage message, string lease, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<IOutboxQueue>();
        var attempt = message.Attempts + 1;
        using var span = StartDeliverySpan(message, attempt);
        try
        {
            return new Outcome(await scope.ServiceProvider.GetRequiredService<SiasnCommands>().SendAsync(message, stoppingToken), null);
        }
        catch (SiasnException e) when (!e.Sent)
        {
            metrics.RecordDelivery("held_back", KindName(message.Kind));
            var pause = e.RetryAfter is { } after && after > TimeSpan.Zero ? after : DefaultPause;
            await queue.RescheduleAsync(message.Id, lease, clock.GetUtcNow().UtcDateTime + pause, e.Message, attemptCounts: false, CancellationToken.None);
            LogHeldBack(message.ResourceName, pause, e.Message);
            return new Outcome(null, pause);
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
            span?.SetStatus(ActivityStatusCode.Error, error);
            metrics.RecordDelivery(attempt >= o.MaxAttempts ? "dead_lettered" : "failed", KindName(message.Kind));
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
            return new Outcome(null, null);
        }
    }

    private static Activity? StartDeliverySpan(OutboxMessage message, int attempt)
    {
        if (!Tracing.HasListeners())
        {
            return null;
        }
        ActivityContext.TryParse(message.TraceParent, null, isRemote: true, out var parent);
        var span = Tracing.StartActivity($"outbox deliver {KindName(message.Kind)}", ActivityKind.Consumer, parent);
        span?.SetTag("netralitas.outbox.message", message.ResourceName);
        span?.SetTag("netralitas.outbox.kind", KindName(message.Kind));
        span?.SetTag("netralitas.outbox.attempt", attempt);
        return span;
    }

    private static string KindName(OutboxKind kind) => kind switch
    {
        OutboxKind.Block => "block",
        OutboxKind.Release => "release",
        OutboxKind.SanctionWriteBack => "sanction_write_back",
        _ => "unspecified",
    };

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
