namespace Netralitas.Domain.Audit;

/// <summary>
/// The chain's last entry as the writers recorded it (table <c>audit_chain_head</c>, one row, moved in
/// the transaction that appends). Sequence 0 and the genesis hash while the trail is empty.
/// </summary>
public sealed record ChainHead(long Sequence, byte[] Hash);

/// <summary>An entry with its place in the chain, and its NIPs as they are stored.</summary>
public sealed record SealedEntry(AuditEntry Entry, IReadOnlyList<string>? IndexedNips, byte[]? NipBlob);

public static class AuditChain
{
    /// <summary>Gives the drafts the places after <paramref name="head"/>, in order, each hash covering the one before.</summary>
    public static IReadOnlyList<SealedEntry> Seal(ChainHead head, IReadOnlyList<AuditDraft> drafts)
    {
        var sealedEntries = new SealedEntry[drafts.Count];
        var previous = head;
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var fields = draft.Fields;
            var placed = new AuditEntry
            {
                Sequence = previous.Sequence + 1,
                Time = fields.Time,
                CallerId = fields.CallerId,
                CallerProof = fields.CallerProof,
                Method = fields.Method,
                Status = fields.Status,
                RequestId = fields.RequestId,
                Peer = fields.Peer,
                Protocol = fields.Protocol,
                CaseIds = fields.CaseIds,
                NipCount = fields.NipCount,
                NipDigest = fields.NipDigest,
                Bulk = fields.Bulk,
                NipBlobDigest = fields.NipBlobDigest,
                PreviousHash = previous.Hash,
            }.WithCaseIdList(fields.CaseIdList!);
            var entry = placed.WithHash(AuditEncoding.EntryHash(previous.Hash, placed.Sequence, draft.EncodedFields));
            sealedEntries[i] = new SealedEntry(entry, draft.IndexedNips, draft.NipBlob);
            previous = new ChainHead(entry.Sequence, entry.Hash);
        }
        return sealedEntries;
    }
}
