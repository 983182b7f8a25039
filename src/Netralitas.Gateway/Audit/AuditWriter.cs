using Netralitas.Domain.Audit;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Audit;

/// <summary>
/// The trail's one writer: takes everything queued (up to a batch), seals it onto the chain and
/// commits it in one transaction, then releases the callers. A failed batch fails its callers and
/// nothing else: the next batch reads the chain head again inside its own transaction. On shutdown
/// the queue is closed and what it holds is written before the writer stops.
/// </summary>
internal sealed partial class AuditWriter(
    AuditTrail trail,
    IAuditAppender appender,
    GatewayReadiness readiness,
    IOptions<AuditOptions> options,
    Telemetry.GatewayMetrics metrics,
    ILogger<AuditWriter> logger) : BackgroundService
{
    private static readonly TimeSpan ReadinessPoll = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The trail takes records once the gateway is ready; one that slipped in as it became ready waits here.
        try
        {
            while (!readiness.IsReady)
            {
                await Task.Delay(ReadinessPoll, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            FailQueued("The gateway stopped before its database was ready; the audit entry was not written.");
            return;
        }

        // Not cancelled by the stop: the loop ends when the closed queue is empty.
        var queue = trail.Queue;
        var releasing = new List<Task>();
        while (await queue.WaitToReadAsync(CancellationToken.None))
        {
            releasing.RemoveAll(r => r.IsCompleted);
            releasing.Add(await WriteAsync(TakeBatch(queue)));
        }
        await Task.WhenAll(releasing);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        trail.Close();
        await base.StopAsync(cancellationToken);
    }

    private List<PendingAudit> TakeBatch(ChannelReader<PendingAudit> queue)
    {
        var limits = options.Value;
        var batch = new List<PendingAudit>();
        var nips = 0L;
        while (batch.Count < limits.MaxBatchEntries && queue.TryPeek(out var next))
        {
            if (batch.Count > 0 && nips + next.Draft.StoredNips > limits.MaxBatchNips)
            {
                break;
            }
            queue.TryRead(out _);
            batch.Add(next);
            nips += next.Draft.StoredNips;
        }
        return batch;
    }

    /// <summary>Commits the batch; returns the task that releases its callers once the commit is durable.</summary>
    private async Task<Task> WriteAsync(List<PendingAudit> batch)
    {
        var drafts = batch.Select(p => p.Draft).ToArray();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var durable = await appender.AppendAsync(head => AuditChain.Seal(head, drafts), CancellationToken.None);
            return ReleaseAsync(batch, durable, started);
        }
        catch (Exception e)
        {
            Fail(batch, e);
            return Task.CompletedTask;
        }
    }

    private async Task ReleaseAsync(List<PendingAudit> batch, Task durable, long started)
    {
        try
        {
            await durable;
        }
        catch (Exception e)
        {
            Fail(batch, e);
            return;
        }
        metrics.RecordAuditCommit(batch.Count, Stopwatch.GetElapsedTime(started));
        foreach (var pending in batch)
        {
            pending.Complete();
        }
    }

    private void Fail(List<PendingAudit> batch, Exception error)
    {
        LogAppendFailed(error, batch.Count);
        foreach (var pending in batch)
        {
            pending.Fail(new AuditTrailUnavailableException("The audit entry could not be written: the database failed.", error));
        }
    }

    private void FailQueued(string reason)
    {
        while (trail.Queue.TryRead(out var pending))
        {
            pending.Fail(new AuditTrailUnavailableException(reason));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit trail: a batch of {Count} entries could not be written; their calls fail")]
    private partial void LogAppendFailed(Exception exception, int count);
}
