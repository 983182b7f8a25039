using System.Globalization;
using System.Text;

namespace Netralitas.Domain.Audit;

/// <summary>
/// A record made ready to be stored, before it has a place in the chain. The trail never refuses a
/// record, so its values are made storable on every provider first, and the hash covers them as stored:
/// <list type="bullet">
/// <item>time in UTC (a time of unspecified kind is taken as UTC), cut to the microsecond;</item>
/// <item>NUL and unpaired surrogates become U+FFFD (PostgreSQL refuses both in text);</item>
/// <item>a value longer than its column keeps its beginning and ends with "…[N chars]", N being the
/// original length, so an oversized request id or NIP cannot fail the batch it is written with.</item>
/// </list>
/// A call about at most <see cref="MaxIndexedNips"/> NIPs (any unary call, a full list page) keeps
/// them as indexed rows; a larger one (a CheckOpenCases stream) as one <see cref="BulkNipSet"/> blob.
/// </summary>
public sealed class AuditDraft
{
    /// <summary>The largest list page (Paging.MaxPageSize): every list page stays an index look-up.</summary>
    public const int MaxIndexedNips = 1000;

    private AuditDraft(AuditEntry fields, IReadOnlyList<string>? indexedNips, byte[]? nipBlob)
    {
        Fields = fields;
        EncodedFields = AuditEncoding.EncodeFields(fields);
        IndexedNips = indexedNips;
        NipBlob = nipBlob;
    }

    /// <summary>Every stored field but the sequence and the hashes.</summary>
    public AuditEntry Fields { get; }

    /// <summary>The fields as the entry's hash covers them, encoded before the writer takes the draft.</summary>
    public byte[] EncodedFields { get; }

    /// <summary>The NIPs in the order given, when kept as rows.</summary>
    public IReadOnlyList<string>? IndexedNips { get; }

    /// <summary>The packed NIPs of a bulk call.</summary>
    public byte[]? NipBlob { get; }

    /// <summary>The NIPs this draft stores: its rows, or the distinct NIPs in its blob (about 8 bytes each).</summary>
    public long StoredNips => IndexedNips?.Count ?? NipBlob!.Length / 8;

    public static AuditDraft From(AuditRecord record)
    {
        var caseIds = record.CaseIds.Select(c => Bounded(c, AuditEntry.MaxCaseIdLength)).ToArray();
        var nipCount = record.Nips.Count;
        var bulk = nipCount > MaxIndexedNips;
        string[]? indexedNips = null;
        byte[] nipDigest;
        byte[]? blob = null;
        if (bulk)
        {
            // A bulk stream's NIPs arrive packed (CallFacts): digested and packed without a string each.
            var packed = record.Nips as PackedNips ?? PackedNips.From(record.Nips);
            nipDigest = AuditEncoding.NipDigest(packed);
            blob = BulkNipSet.Pack(packed);
        }
        else
        {
            indexedNips = record.Nips.Select(n => Bounded(n, AuditEntry.MaxNipLength)).ToArray();
            nipDigest = AuditEncoding.NipDigest(indexedNips);
        }
        var fields = new AuditEntry
        {
            Time = ToStoredTime(record.Time),
            CallerId = Bounded(record.CallerId, AuditEntry.MaxCallerIdLength),
            CallerProof = Bounded(record.CallerProof, AuditEntry.MaxCallerProofLength),
            Method = Bounded(record.Method, AuditEntry.MaxMethodLength),
            Status = Bounded(record.Status, AuditEntry.MaxStatusLength),
            RequestId = Bounded(record.RequestId, AuditEntry.MaxRequestIdLength),
            Peer = record.Peer is null ? null : Bounded(record.Peer, AuditEntry.MaxPeerLength),
            Protocol = Bounded(record.Protocol, AuditEntry.MaxProtocolLength),
            CaseIds = AuditEntry.CaseIdsJson(caseIds),
            NipCount = nipCount,
            NipDigest = nipDigest,
            Bulk = bulk,
            NipBlobDigest = blob is null ? null : System.Security.Cryptography.SHA256.HashData(blob),
        }.WithCaseIdList(caseIds);
        return new AuditDraft(fields, indexedNips, blob);
    }

    /// <summary>The time as the providers keep it: UTC, whole microseconds.</summary>
    public static DateTime ToStoredTime(DateTime time)
    {
        var utc = time.Kind switch
        {
            DateTimeKind.Local => time.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(time, DateTimeKind.Utc),
            _ => time,
        };
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    /// <summary>The value as stored: cleaned, and cut to <paramref name="maxLength"/> characters with a note of its length.</summary>
    public static string Bounded(string? value, int maxLength)
    {
        var clean = Clean(value ?? "");
        if (clean.Length <= maxLength)
        {
            return clean;
        }
        var note = string.Create(CultureInfo.InvariantCulture, $"…[{clean.Length} chars]");
        var keep = maxLength - note.Length;
        if (char.IsHighSurrogate(clean[keep - 1]))
        {
            keep--;
        }
        return string.Concat(clean.AsSpan(0, keep), note);
    }

    private static string Clean(string value)
    {
        if (!NeedsCleaning(value))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return builder.ToString();
    }

    private static bool NeedsCleaning(string value)
    {
        foreach (var c in value)
        {
            if (c == '\0' || char.IsSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }
}
