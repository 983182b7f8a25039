namespace Netralitas.Data;

/// <summary>One NIP of an audit entry that keeps its NIPs as rows (table <c>audit_entry_nips</c>).</summary>
internal sealed class AuditEntryNipRow
{
    public long EntrySequence { get; set; }

    /// <summary>Place in the order the call gave its NIPs, from 0.</summary>
    public int Position { get; set; }

    public string Nip { get; set; } = "";
}

/// <summary>The NIPs of a bulk audit entry (table <c>audit_bulk_nips</c>), packed by Audit.BulkNipSet.</summary>
internal sealed class AuditBulkNipsRow
{
    public long EntrySequence { get; set; }

    public byte[] Nips { get; set; } = [];
}

/// <summary>The audit chain's head (table <c>audit_chain_head</c>, the single row <see cref="SingleId"/>).</summary>
internal sealed class AuditChainHeadRow
{
    public const int SingleId = 1;

    public int Id { get; set; }

    public long Sequence { get; set; }

    public byte[] Hash { get; set; } = [];
}
