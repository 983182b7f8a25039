using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Netralitas.Gateway.Telemetry;

/// <summary>
/// The meter <c>Netralitas.Gateway</c> for what the gateway's workers know: the audit writer's queue,
/// commits and batches; the open-case follower's lag and repairs; the outbox relay's deliveries; and
/// the backlogs that <see cref="BacklogSampler"/> reads from the database now and then (never on a scrape).
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Netralitas.Gateway";

    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly double[] DeliveryBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];
    private static readonly int[] BatchBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

    private readonly Histogram<double> _auditCommit;
    private readonly Histogram<int> _auditBatch;
    private readonly Counter<long> _repairs;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _deliveryAttempts;
    private long _lastCatchUpTimestamp;

    public GatewayMetrics(IMeterFactory meters, Audit.AuditTrail trail, BacklogReadings backlog)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("netralitas.audit.queue.depth", () => trail.Queue.Count, "{entry}",
            "Audit entries waiting for the writer.");
        _auditCommit = meter.CreateHistogram("netralitas.audit.commit.duration", "s",
            "From taking a batch to its commit being durable (the wait every successful call's answer includes).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        _auditBatch = meter.CreateHistogram("netralitas.audit.batch.size", "{entry}",
            "Audit entries committed in one transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        meter.CreateObservableGauge("netralitas.open_case.follower.lag", ObserveFollowerLag, "s",
            "Seconds since this replica's open-case index last read the change log to its end (about the follow interval when healthy).");
        _repairs = meter.CreateCounter<long>("netralitas.open_case.reconciliation.repairs", "{nip}",
            "NIPs whose standing a reconciliation found wrong in the index and corrected.");
        _deliveryLatency = meter.CreateHistogram("netralitas.outbox.delivery.latency", "s",
            "From a SIASN command's commit to the outbox until SIASN accepted it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryBuckets });
        _deliveryAttempts = meter.CreateCounter<long>("netralitas.outbox.delivery.attempts", "{attempt}",
            "Deliveries tried by the relay, by outcome: delivered, failed (retried later), dead_lettered, held_back (circuit open; not counted against the command).");
        meter.CreateObservableGauge("netralitas.outbox.messages", backlog.ObserveOutbox, "{message}",
            "Outbox commands by state (pending, dead_lettered), as last sampled from the database.");
        meter.CreateObservableGauge("netralitas.personnel.sync.backlog", backlog.ObservePersonnelBacklog, "{nip}",
            "NIPs with open cases whose personnel record is missing or due for a refresh from SIASN, as last sampled.");
    }

    public void RecordAuditCommit(int entries, TimeSpan elapsed)
    {
        _auditCommit.Record(elapsed.TotalSeconds);
        _auditBatch.Record(entries);
    }

    public void RecordCatchUp() => Volatile.Write(ref _lastCatchUpTimestamp, Stopwatch.GetTimestamp());

    public void RecordRepairs(int nips) => _repairs.Add(nips);

    public void RecordDelivery(string outcome, string kind, TimeSpan? sinceCommitted = null)
    {
        var tags = new TagList { { "netralitas.outbox.outcome", outcome }, { "netralitas.outbox.kind", kind } };
        _deliveryAttempts.Add(1, tags);
        if (sinceCommitted is { } latency)
        {
            _deliveryLatency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("netralitas.outbox.kind", kind));
        }
    }

    private IEnumerable<Measurement<double>> ObserveFollowerLag()
    {
        var last = Volatile.Read(ref _lastCatchUpTimestamp);
        return last == 0 ? [] : [new Measurement<double>(Stopwatch.GetElapsedTime(last).TotalSeconds)];
    }
}
