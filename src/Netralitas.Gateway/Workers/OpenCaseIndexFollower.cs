using Microsoft.Extensions.Options;
using Netralitas.Domain;
using Netralitas.Domain.Cases;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Workers;

/// <summary>
/// Drives <see cref="OpenCaseIndexSync"/> once the gateway is ready: follows the change log every
/// <see cref="OpenCaseIndexOptions.FollowInterval"/>, reconciles every
/// <see cref="OpenCaseIndexOptions.ReconcileInterval"/>, prunes old change-log entries hourly.
/// </summary>
public sealed partial class OpenCaseIndexFollower(
    OpenCaseIndexSync sync,
    IServiceScopeFactory scopes,
    GatewayReadiness readiness,
    BusinessClock clock,
    IOptions<OpenCaseIndexOptions> options,
    Telemetry.GatewayMetrics metrics,
    ILogger<OpenCaseIndexFollower> logger) : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var lastReconcile = clock.UtcNow;
        var lastPrune = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(settings.FollowInterval, clock.Time, stoppingToken);
            if (!readiness.IsReady)
            {
                continue;
            }
            try
            {
                await sync.CatchUpAsync(stoppingToken);
                metrics.RecordCatchUp();
                if (clock.UtcNow - lastReconcile >= settings.ReconcileInterval)
                {
                    lastReconcile = clock.UtcNow;
                    var corrected = await sync.ReconcileAsync(stoppingToken);
                    metrics.RecordRepairs(corrected);
                    if (corrected > 0)
                    {
                        LogReconciled(corrected);
                    }
                }
                if (clock.UtcNow - lastPrune >= PruneEvery)
                {
                    lastPrune = clock.UtcNow;
                    await PruneAsync(settings.ChangeLogRetention, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFollowFailed(e.Message);
            }
        }
    }

    private async Task PruneAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pruned = await scope.ServiceProvider.GetRequiredService<ICaseRepository>()
            .PruneChangesAsync(clock.UtcNow - retention, cancellationToken);
        if (pruned > 0)
        {
            LogPruned(pruned);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the case change log failed; retrying: {Reason}")]
    private partial void LogFollowFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation corrected the open-case count of {Count} NIPs")]
    private partial void LogReconciled(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} old case change-log entries")]
    private partial void LogPruned(int count);
}
