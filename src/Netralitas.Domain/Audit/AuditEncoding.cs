using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Netralitas.Domain.Audit;

/// <summary>
/// The hashes of the audit trail, written so that an auditor can recompute them from the stored
/// rows (or from ListAuditEntries) without this code. Version 1:
///
/// <code>
/// hash(entry)   = SHA-256( previous_hash || body )
/// previous_hash = the hash of the entry before; 32 zero bytes for entry 1
/// body          = text("netralitas.audit.v1")
///                 u64(sequence)
///                 i64(time: microseconds since 1970-01-01T00:00:00Z, UTC)
///                 text(caller_id)  text(caller_proof)  text(method)  text(status)  text(request_id)
///                 optional(peer)
///                 u32(number of case ids)  then text(case_id) for each, in the order stored
///                 u64(nip_count)
///                 bytes(nip_digest)
///                 u8(bulk: 0 or 1)
///                 optional_bytes(nip_blob_digest)   absent unless bulk
///                 text(protocol)                    "grpc" or "rest"; entries written before the
///                                                   protocol was recorded (NULL) end before it
///
/// nip_digest      = SHA-256( text(nip) for each NIP, in the order the call gave them, repeats included )
/// nip_blob_digest = SHA-256( the bulk entry's stored NIP blob, byte for byte; see BulkNipSet )
///
/// u8, u32, u64, i64 = big-endian, two's complement for i64
/// text(s)           = u32(byte length of s in UTF-8) || the UTF-8 bytes of s
/// bytes(b)          = u32(length of b) || b
/// optional(s)       = u8(0) when there is no value (NULL); u8(1) || text(s) otherwise
/// optional_bytes(b) = u8(0) when there is no value (NULL); u8(1) || bytes(b) otherwise
/// </code>
///
/// Every variable-length value carries its length and the fields come in a fixed order, so two
/// different entries never encode alike: ("ab", "c") and ("a", "bc") differ in their length prefixes.
/// The values hashed are the values stored (see <see cref="AuditDraft"/> for how a record's values
/// are bounded and cleaned before they are stored). Status is the gRPC status code's name ("OK",
/// "PermissionDenied"). Time is stored to the microsecond, the finest every provider keeps.
/// </summary>
public static class AuditEncoding
{
    public const int HashLength = 32;

    public const string FormatTag = "netralitas.audit.v1";

    /// <summary>The previous hash of entry 1.</summary>
    public static ReadOnlySpan<byte> GenesisHash => new byte[HashLength];

    /// <summary>The entry's hash over <paramref name="previousHash"/> and its fields, as documented above.</summary>
    public static byte[] EntryHash(ReadOnlySpan<byte> previousHash, AuditEntry entry) =>
        EntryHash(previousHash, entry.Sequence, EncodeFields(entry));

    /// <summary>
    /// The hash from the fields after the sequence, encoded beforehand by <see cref="EncodeFields"/>:
    /// the writer encodes on the callers' threads and hashes only this while it holds the chain.
    /// </summary>
    public static byte[] EntryHash(ReadOnlySpan<byte> previousHash, long sequence, ReadOnlySpan<byte> encodedFields)
    {
        var writer = new CanonicalWriter();
        writer.Raw(previousHash);
        writer.Text(FormatTag);
        writer.UInt64((ulong)sequence);
        writer.Raw(encodedFields);
        return writer.Finish();
    }

    /// <summary>The body's fields from the time on, as documented above.</summary>
    public static byte[] EncodeFields(AuditEntry entry)
    {
        var caseIds = entry.CaseIdList ?? throw new FormatException($"Entry {entry.Sequence}: its case ids are not a JSON array of strings.");
        var writer = new CanonicalWriter();
        writer.Int64(MicrosecondsSinceEpoch(entry.Time));
        writer.Text(entry.CallerId);
        writer.Text(entry.CallerProof);
        writer.Text(entry.Method);
        writer.Text(entry.Status);
        writer.Text(entry.RequestId);
        writer.OptionalText(entry.Peer);
        writer.UInt32((uint)caseIds.Count);
        foreach (var caseId in caseIds)
        {
            writer.Text(caseId);
        }
        writer.UInt64((ulong)entry.NipCount);
        writer.Bytes(entry.NipDigest);
        writer.Byte(entry.Bulk ? (byte)1 : (byte)0);
        writer.OptionalBytes(entry.NipBlobDigest);
        if (entry.Protocol is not null)
        {
            // Appended, not optional(): the entries from before it keep their hashes. Unambiguous all
            // the same, since every field before it carries its own length.
            writer.Text(entry.Protocol);
        }
        return writer.ToArray();
    }

    /// <summary>The digest of a call's NIPs in the order given.</summary>
    public static byte[] NipDigest(IEnumerable<string> nips)
    {
        var writer = new CanonicalWriter(streamIntoHash: true);
        foreach (var nip in nips)
        {
            writer.Text(nip);
        }
        return writer.Finish();
    }

    /// <summary>The same digest, from the numbers: each NIP written as its 18 digits without making a string of it.</summary>
    internal static byte[] NipDigest(PackedNips nips)
    {
        var writer = new CanonicalWriter(streamIntoHash: true);
        for (var i = 0; i < nips.Count; i++)
        {
            if (nips.TryGetNumber(i, out var number))
            {
                writer.Digits18(number);
            }
            else
            {
                writer.Text(nips[i]);
            }
        }
        return writer.Finish();
    }

    public static long MicrosecondsSinceEpoch(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>
    /// Writes the encoding's primitives into a buffer, to be taken as bytes or hashed. A writer that
    /// may stream feeds a hash as it goes past <see cref="StreamingThreshold"/> bytes (a bulk entry's
    /// NIP digest covers a million NIPs, about 22 MB); below it, one call hashes the buffer, which is
    /// all nearly every entry needs.
    /// </summary>
    private sealed class CanonicalWriter(bool streamIntoHash = false)
    {
        private const int StreamingThreshold = 64 * 1024;

        private byte[] _buffer = new byte[256];
        private int _used;
        private IncrementalHash? _hash;

        public void Byte(byte value) => Reserve(1)[0] = value;

        public void UInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

        public void UInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);

        public void Int64(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

        public void Text(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            UInt32((uint)length);
            Encoding.UTF8.GetBytes(value, Reserve(length));
        }

        /// <summary>What <see cref="Text"/> writes for the number's 18-digit form (leading zeros kept).</summary>
        public void Digits18(long value)
        {
            UInt32(18);
            if (!value.TryFormat(Reserve(18), out var written, "D18", CultureInfo.InvariantCulture) || written != 18)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Not an 18-digit NIP.");
            }
        }

        public void OptionalText(string? value)
        {
            Byte(value is null ? (byte)0 : (byte)1);
            if (value is not null)
            {
                Text(value);
            }
        }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            UInt32((uint)value.Length);
            Raw(value);
        }

        public void OptionalBytes(byte[]? value)
        {
            Byte(value is null ? (byte)0 : (byte)1);
            if (value is not null)
            {
                Bytes(value);
            }
        }

        public void Raw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

        /// <summary>The bytes written; only for a writer that was never streamed into a hash.</summary>
        public byte[] ToArray() => _hash is null ? _buffer[.._used] : throw new InvalidOperationException("The encoding was streamed into a hash.");

        /// <summary>SHA-256 of everything written.</summary>
        public byte[] Finish()
        {
            if (_hash is null)
            {
                return SHA256.HashData(_buffer.AsSpan(0, _used));
            }
            using var hash = _hash;
            hash.AppendData(_buffer, 0, _used);
            return hash.GetHashAndReset();
        }

        private Span<byte> Reserve(int length)
        {
            if (length > _buffer.Length - _used)
            {
                MakeRoom(length);
            }
            var span = _buffer.AsSpan(_used, length);
            _used += length;
            return span;
        }

        private void MakeRoom(int length)
        {
            if (streamIntoHash && _hash is null && _used + length > StreamingThreshold)
            {
                _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            }
            if (_hash is not null)
            {
                _hash.AppendData(_buffer, 0, _used);
                _used = 0;
            }
            if (length > _buffer.Length - _used)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + length));
            }
        }
    }
}
