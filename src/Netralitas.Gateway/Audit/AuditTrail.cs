using Netralitas.Domain.Audit;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Audit;

/// <summary>
/// The trail as callers see it. <see cref="RecordAsync"/> prepares the entry on the caller's thread
/// (values bounded, NIPs digested and, for a bulk call, packed), queues it, and completes once the
/// <see cref="AuditWriter"/> has committed it with the rest of its batch (group commit). A full queue
/// makes the caller wait for room: nothing is dropped. Until the database is migrated (the gateway
/// not ready), records are refused at once, as the calls they record are.
/// </summary>
public sealed class AuditTrail : IAuditTrail
{
    private readonly Channel<PendingAudit> _queue;
    private readonly GatewayReadiness _readiness;

    public AuditTrail(IOptions<AuditOptions> options, GatewayReadiness readiness)
    {
        _readiness = readiness;
        _queue = Channel.CreateBounded<PendingAudit>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>
    /// Completes once the entry is committed. Throws <see cref="AuditTrailUnavailableException"/> when
    /// the database failed to commit it, or the gateway is starting or stopping. Cancelling stops the
    /// wait, not the write: an entry already queued is still written.
    /// </summary>
    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_readiness.IsReady)
        {
            throw new AuditTrailUnavailableException("The gateway is starting: the audit trail cannot record yet.");
        }
        var pending = new PendingAudit(AuditDraft.From(record));
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new AuditTrailUnavailableException("The gateway is stopping: the audit trail takes no more records.");
        }
        await pending.Committed.WaitAsync(cancellationToken);
    }

    internal ChannelReader<PendingAudit> Queue => _queue.Reader;

    /// <summary>Takes no more records; those queued are still written.</summary>
    internal void Close() => _queue.Writer.TryComplete();
}

/// <summary>A queued entry and the caller waiting for its commit.</summary>
internal sealed class PendingAudit(AuditDraft draft)
{
    // Completed by the writer; the callers' continuations must not run on its thread.
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AuditDraft Draft => draft;

    public Task Committed => _committed.Task;

    public void Complete() => _committed.TrySetResult();

    public void Fail(Exception error) => _committed.TrySetException(error);
}
