namespace Netralitas.Domain.Audit;

/// <summary>Configuration section <c>Netralitas:Audit</c>: the audit trail's writer.</summary>
public sealed class AuditOptions
{
    public const string Section = "Netralitas:Audit";

    /// <summary>Records waiting to be written; when full, RecordAsync waits for room (nothing is dropped).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>At most this many entries go into one transaction.</summary>
    public int MaxBatchEntries { get; set; } = 1_000;

    /// <summary>
    /// At most about this many NIPs go into one transaction, counting a bulk entry's distinct NIPs
    /// (a batch still takes at least one entry), so that a run of full list pages or bulk streams does
    /// not hold the database's write lock for long.
    /// </summary>
    public int MaxBatchNips { get; set; } = 100_000;
}
