using System.Collections.Concurrent;

namespace Netralitas.Gateway.Domain.Cases;

/// <summary>
/// How many open cases each NIP has, in memory, so that "does this ASN have an open case?" costs
/// no database round trip. Built from the database at start, then adjusted by every write this
/// process commits.
/// </summary>
public sealed class OpenCaseIndex
{
    private readonly ConcurrentDictionary<long, int> _openCounts = new();

    public int NipCount => _openCounts.Count;

    public int OpenCountOf(Nip nip) => _openCounts.GetValueOrDefault(nip.Value);

    /// <summary>Applies a committed change: +1 when a case opened, -1 when one closed.</summary>
    public void Adjust(Nip nip, int delta)
    {
        var count = _openCounts.AddOrUpdate(nip.Value, delta, (_, current) => current + delta);
        if (count <= 0)
        {
            _openCounts.TryRemove(new KeyValuePair<long, int>(nip.Value, count));
        }
    }

    public void Clear() => _openCounts.Clear();
}
