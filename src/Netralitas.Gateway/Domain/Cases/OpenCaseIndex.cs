using System.Collections.Concurrent;

namespace Netralitas.Gateway.Domain.Cases;

/// <summary>
/// How many open cases each NIP has, in memory, so that "does this ASN have an open case?" costs
/// no database round trip. It mirrors the database: built from it at start, then refreshed with a
/// fresh count for every NIP that a write touched — this process's writes as they commit, and other
/// replicas' writes as the change log reports them.
/// </summary>
public sealed class OpenCaseIndex
{
    private readonly ConcurrentDictionary<long, int> _openCounts = new();

    // Refreshes of one NIP are serialized, so that the last refresh to finish is also the last to
    // have read the database: a slower, older count can never overwrite a newer one.
    private readonly SemaphoreSlim[] _refreshGates = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public int NipCount => _openCounts.Count;

    /// <summary>The NIPs the index holds and their counts, as of the moment each is read.</summary>
    public IEnumerable<(Nip Nip, int OpenCount)> Entries() => _openCounts.Select(e => (new Nip(e.Key), e.Value));

    public int OpenCountOf(Nip nip) => _openCounts.GetValueOrDefault(nip.Value);

    /// <summary>Sets a NIP's count to <paramref name="countOpenCases"/>'s answer from the database.</summary>
    public async Task RefreshAsync(Nip nip, Func<CancellationToken, Task<int>> countOpenCases, CancellationToken cancellationToken)
    {
        var gate = _refreshGates[(int)(nip.Value % _refreshGates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            Set(nip, await countOpenCases(cancellationToken));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Loads one NIP's count while the index is built (before the gateway serves).</summary>
    public void Load(Nip nip, int openCount) => Set(nip, openCount);

    public void Clear() => _openCounts.Clear();

    private void Set(Nip nip, int openCount)
    {
        if (openCount > 0)
        {
            _openCounts[nip.Value] = openCount;
        }
        else
        {
            _openCounts.TryRemove(nip.Value, out _);
        }
    }
}
