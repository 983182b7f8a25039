using Microsoft.Extensions.Options;
using Netralitas.Adapters.Siasn;
using Netralitas.Domain;
using Netralitas.Domain.Personnel;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Workers;

/// <summary>
/// Fetches from SIASN the records of ASN with an open case that the gateway does not have yet (a
/// filed case wakes it), and refreshes them every RefreshInterval. Filing never waits for SIASN:
/// the case is stored first, enrichment follows. Several replicas may fetch the same NIP; the
/// write is an upsert, so the result is the same.
/// </summary>
public sealed partial class PersonnelSyncWorker(
    IServiceScopeFactory scopes,
    IOptions<PersonnelSyncOptions> options,
    IOptions<SiasnOptions> siasn,
    PersonnelSyncSignal signal,
    GatewayReadiness readiness,
    TimeProvider clock,
    ILogger<PersonnelSyncWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || !siasn.Value.IsConfigured)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var fullBatch = false;
            try
            {
                if (readiness.IsReady)
                {
                    fullBatch = await RoundAsync(o, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(e);
            }
            if (!fullBatch)
            {
                try
                {
                    await signal.WaitAsync(readiness.IsReady ? o.Interval : TimeSpan.FromMilliseconds(200), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One batch; true when it was full (more may be due at once).</summary>
    private async Task<bool> RoundAsync(PersonnelSyncOptions o, CancellationToken stoppingToken)
    {
        IReadOnlyList<string> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<IPersonnelStore>()
                .DueForSyncAsync(clock.GetUtcNow().UtcDateTime, o.BatchSize, stoppingToken);
        }
        int fetched = 0, failed = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = stoppingToken },
            async (nip, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                try
                {
                    await scope.ServiceProvider.GetRequiredService<PersonnelSync>().RefreshAsync(nip, ct);
                    Interlocked.Increment(ref fetched);
                }
                catch (UpstreamUnavailableException)
                {
                    Interlocked.Increment(ref failed); // stored with its retry time
                }
            });
        if (due.Count > 0)
        {
            LogRound(fetched, failed);
        }
        return due.Count == o.BatchSize && failed < due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Personnel sync: {Fetched} records fetched from SIASN, {Failed} lookups failed (retried later)")]
    private partial void LogRound(int fetched, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Personnel sync round failed; trying again at the next interval")]
    private partial void LogRoundFailed(Exception exception);
}
