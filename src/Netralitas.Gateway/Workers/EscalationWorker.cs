using Microsoft.Extensions.Options;
using Netralitas.Domain;
using Netralitas.Domain.Escalation;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Workers;

/// <summary>
/// Runs the escalation sweep every <see cref="EscalationOptions.SweepInterval"/> once the gateway is
/// ready. Every replica may run it: the sweep takes each step exactly once however many race.
/// </summary>
public sealed partial class EscalationWorker(
    IServiceScopeFactory scopes,
    GatewayReadiness readiness,
    BusinessClock clock,
    IOptions<EscalationOptions> options,
    ILogger<EscalationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.SweepEnabled)
        {
            LogDisabled();
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            if (readiness.IsReady)
            {
                await SweepOnceAsync(stoppingToken);
            }
            // Until ready, look again soon; then keep the configured pace.
            await Task.Delay(readiness.IsReady ? settings.SweepInterval : TimeSpan.FromSeconds(1), clock.Time, stoppingToken);
        }
    }

    private async Task SweepOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<EscalationSweep>().RunAsync(false, null, "", stoppingToken);
            if (run.Steps.Count > 0 || run.SkippedConcurrent > 0)
            {
                LogSwept(run.AsOf, run.Examined, run.Steps.Count, run.SkippedConcurrent);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogSweepFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation sweep is off on this replica (Netralitas:Escalation:SweepEnabled=false)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation sweep as of {AsOf}: {Examined} open recommendations examined, {Steps} steps taken, {Skipped} left to a concurrent sweep")]
    private partial void LogSwept(DateOnly asOf, int examined, int steps, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation sweep failed; it runs again at the next interval: {Reason}")]
    private partial void LogSweepFailed(string reason);
}
