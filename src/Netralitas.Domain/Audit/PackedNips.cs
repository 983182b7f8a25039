using System.Globalization;

namespace Netralitas.Domain.Audit;

/// <summary>
/// NIPs in the order given, the well-formed ones (18 digits) kept as 8-byte numbers: a bulk check
/// of a million NIPs would otherwise keep a million strings alive until the call ends, and its
/// entry's digest and blob are made from the numbers without a string per NIP. Anything else is
/// kept as the trail stores it (<see cref="AuditDraft.Bounded"/>).
/// </summary>
public sealed class PackedNips : IReadOnlyList<string>
{
    // A value ≥ 0 is a NIP; -k is the k-th other value.
    private readonly List<long> _values = [];
    private readonly List<string> _others = [];

    public static PackedNips From(IEnumerable<string> nips)
    {
        var packed = new PackedNips();
        foreach (var nip in nips)
        {
            packed.Add(nip);
        }
        return packed;
    }

    public int Count => _values.Count;

    public string this[int index] =>
        TryGetNumber(index, out var number) ? number.ToString("D18", CultureInfo.InvariantCulture) : _others[(int)(-_values[index] - 1)];

    /// <summary>The values that are not 18 digits, in the order given.</summary>
    public IReadOnlyList<string> Others => _others;

    public bool TryGetNumber(int index, out long number)
    {
        number = _values[index];
        return number >= 0;
    }

    public void Add(string nip)
    {
        if (TryParse(nip, out var number))
        {
            _values.Add(number);
        }
        else
        {
            _others.Add(AuditDraft.Bounded(nip, AuditEntry.MaxNipLength));
            _values.Add(-_others.Count);
        }
    }

    /// <summary>Exactly 18 ASCII digits (long.TryParse alone would also take trailing NULs).</summary>
    public static bool TryParse(string value, out long number)
    {
        number = 0;
        if (value.Length != 18 || value.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }
        foreach (var digit in value)
        {
            number = number * 10 + (digit - '0');
        }
        return true;
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < _values.Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
