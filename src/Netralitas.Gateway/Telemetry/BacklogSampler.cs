using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Personnel;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Telemetry;

/// <summary>The backlogs as last counted in the database; what the gauges report, so a scrape never queries.</summary>
public sealed class BacklogReadings
{
    private volatile Reading? _last;

    public void Update(int outboxPending, int outboxDeadLettered, int personnelBacklog) =>
        _last = new Reading(outboxPending, outboxDeadLettered, personnelBacklog);

    internal IEnumerable<Measurement<int>> ObserveOutbox() => _last is { } last
        ? [new(last.OutboxPending, new KeyValuePair<string, object?>("netralitas.outbox.state", "pending")),
            new(last.OutboxDeadLettered, new KeyValuePair<string, object?>("netralitas.outbox.state", "dead_lettered"))]
        : [];

    internal IEnumerable<Measurement<int>> ObservePersonnelBacklog() =>
        _last is { } last ? [new(last.PersonnelBacklog)] : [];

    private sealed record Reading(int OutboxPending, int OutboxDeadLettered, int PersonnelBacklog);
}

/// <summary>
/// Counts the outbox and the personnel-sync backlog every <see cref="TelemetryOptions.SampleInterval"/>
/// once the gateway is ready. Runs only when metrics are exported.
/// </summary>
internal sealed partial class BacklogSampler(
    IServiceScopeFactory scopes,
    BacklogReadings readings,
    GatewayReadiness readiness,
    IOptions<TelemetryOptions> options,
    TimeProvider clock,
    ILogger<BacklogSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SampleInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady)
                {
                    await SampleAsync(stoppingToken);
                }
                await Task.Delay(readiness.IsReady ? interval : TimeSpan.FromMilliseconds(200), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSampleFailed(e.Message);
                await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (pending, deadLettered) = await scope.ServiceProvider.GetRequiredService<IOutboxQueue>().CountUndeliveredAsync(cancellationToken);
        var backlog = await scope.ServiceProvider.GetRequiredService<IPersonnelStore>()
            .CountDueForSyncAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
        readings.Update(pending, deadLettered, backlog);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry: counting the outbox and personnel backlogs failed; retrying: {Reason}")]
    private partial void LogSampleFailed(string reason);
}
