using System.Buffers.Binary;
using System.Text;

namespace Netralitas.Domain.Audit;

/// <summary>
/// The NIPs of a bulk entry (a call about more than <see cref="AuditDraft.MaxIndexedNips"/> NIPs),
/// kept as one blob: the distinct NIPs, sorted, so that "did this call ask about NIP X" is a binary
/// search. The order given and the repeats are not kept here; the entry's nip_digest and nip_count
/// still describe them. Format, version 1:
///
/// <code>
/// u8      1 (the format version)
/// u32     N, the number of distinct values that are 18 ASCII digits (every well-formed NIP)
/// N × i64 those values as numbers, ascending (18 digits fit: at most 999,999,999,999,999,999)
/// u32     M, the number of distinct other values (malformed NIPs as the caller sent them)
/// M ×     u32(byte length) || UTF-8 bytes, in ascending order of their UTF-8 bytes
/// </code>
///
/// All integers big-endian. A number is written back as its 18 digits with leading zeros, so every
/// 18-digit value survives the round trip exactly.
/// </summary>
public static class BulkNipSet
{
    private const byte FormatVersion = 1;
    private const int NumbersStart = 1 + 4;

    public static byte[] Pack(IEnumerable<string> nips) => Pack(nips as PackedNips ?? PackedNips.From(nips));

    internal static byte[] Pack(PackedNips nips)
    {
        var numbers = new long[nips.Count - nips.Others.Count];
        var found = 0;
        for (var i = 0; i < nips.Count; i++)
        {
            if (nips.TryGetNumber(i, out var number))
            {
                numbers[found++] = number;
            }
        }
        var distinct = DistinctSorted(numbers);
        var otherBytes = nips.Others.Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes).ToArray();
        Array.Sort(otherBytes, (a, b) => a.AsSpan().SequenceCompareTo(b));

        var blob = new byte[NumbersStart + 8 * distinct.Length + 4 + otherBytes.Sum(b => 4 + b.Length)];
        blob[0] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(1), (uint)distinct.Length);
        var at = NumbersStart;
        foreach (var number in distinct)
        {
            BinaryPrimitives.WriteInt64BigEndian(blob.AsSpan(at), number);
            at += 8;
        }
        BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(at), (uint)otherBytes.Length);
        at += 4;
        foreach (var bytes in otherBytes)
        {
            BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(at), (uint)bytes.Length);
            bytes.CopyTo(blob.AsSpan(at + 4));
            at += 4 + bytes.Length;
        }
        return blob;
    }

    /// <summary>Whether the blob holds <paramref name="nip"/>; false for a blob not in this format.</summary>
    public static bool Contains(ReadOnlySpan<byte> blob, string nip)
    {
        if (PackedNips.TryParse(nip, out var number))
        {
            return TryNumbers(blob, out var numbers) && BinarySearch(numbers, number);
        }
        return TryOthers(blob, out var others) && others.Contains(nip);
    }

    /// <summary>Every value the blob holds, as text; for tests and tools (a million NIPs is 8 MB here, 19 MB as strings).</summary>
    public static IReadOnlyList<string> Unpack(ReadOnlySpan<byte> blob)
    {
        if (!TryNumbers(blob, out var numbers) || !TryOthers(blob, out var others))
        {
            throw new FormatException("Not a bulk NIP blob of version 1.");
        }
        var values = new List<string>(numbers.Length / 8 + others.Count);
        for (var at = 0; at < numbers.Length; at += 8)
        {
            values.Add(BinaryPrimitives.ReadInt64BigEndian(numbers[at..]).ToString("D18", System.Globalization.CultureInfo.InvariantCulture));
        }
        values.AddRange(others);
        return values;
    }

    /// <summary>Sorts <paramref name="sorted"/> in place and returns its distinct values.</summary>
    private static long[] DistinctSorted(long[] sorted)
    {
        SortNonNegative(sorted);
        var kept = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (kept == 0 || sorted[i] != sorted[kept - 1])
            {
                sorted[kept++] = sorted[i];
            }
        }
        return sorted[..kept];
    }

    /// <summary>
    /// Sorts values below 10^18 (under 2^60): an LSD radix sort, six passes of 10 bits, which on a
    /// million NIPs takes a fraction of Array.Sort's time — it is on the path of a bulk check's
    /// answer, which waits for its entry.
    /// </summary>
    internal static void SortNonNegative(long[] values)
    {
        const int bits = 10, passes = 6, buckets = 1 << bits;
        if (values.Length < 4096)
        {
            Array.Sort(values);
            return;
        }
        var source = values;
        var target = new long[values.Length];
        Span<int> starts = stackalloc int[buckets];
        for (var pass = 0; pass < passes; pass++)
        {
            var shift = pass * bits;
            starts.Clear();
            foreach (var value in source)
            {
                starts[(int)((ulong)value >> shift) & (buckets - 1)]++;
            }
            var total = 0;
            for (var b = 0; b < buckets; b++)
            {
                (starts[b], total) = (total, total + starts[b]);
            }
            foreach (var value in source)
            {
                target[starts[(int)((ulong)value >> shift) & (buckets - 1)]++] = value;
            }
            (source, target) = (target, source);
        }
        // An even number of passes leaves the result in values itself.
    }

    private static bool TryNumbers(ReadOnlySpan<byte> blob, out ReadOnlySpan<byte> numbers)
    {
        numbers = default;
        if (blob.Length < NumbersStart || blob[0] != FormatVersion)
        {
            return false;
        }
        var count = BinaryPrimitives.ReadUInt32BigEndian(blob[1..]);
        if ((ulong)count * 8 > (ulong)(blob.Length - NumbersStart))
        {
            return false;
        }
        numbers = blob.Slice(NumbersStart, (int)count * 8);
        return true;
    }

    private static bool TryOthers(ReadOnlySpan<byte> blob, out List<string> others)
    {
        others = [];
        if (!TryNumbers(blob, out var numbers))
        {
            return false;
        }
        var rest = blob[(NumbersStart + numbers.Length)..];
        if (rest.Length < 4)
        {
            return false;
        }
        var count = BinaryPrimitives.ReadUInt32BigEndian(rest);
        rest = rest[4..];
        for (var i = 0u; i < count; i++)
        {
            if (rest.Length < 4 || BinaryPrimitives.ReadUInt32BigEndian(rest) > (uint)(rest.Length - 4))
            {
                return false;
            }
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(rest);
            others.Add(Encoding.UTF8.GetString(rest.Slice(4, length)));
            rest = rest[(4 + length)..];
        }
        return true;
    }

    private static bool BinarySearch(ReadOnlySpan<byte> numbers, long wanted)
    {
        int low = 0, high = numbers.Length / 8 - 1;
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var value = BinaryPrimitives.ReadInt64BigEndian(numbers[(middle * 8)..]);
            if (value == wanted)
            {
                return true;
            }
            if (value < wanted)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return false;
    }
}
