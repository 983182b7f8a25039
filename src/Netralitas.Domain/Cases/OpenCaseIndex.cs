using System.Collections.Concurrent;

namespace Netralitas.Domain.Cases;

/// <summary>What BKN and provincial systems check before a promotion or a transfer: open cases, and a block.</summary>
public readonly record struct NipStanding(int OpenCount, DateTime? BlockedSince)
{
    public static readonly NipStanding Clear = new(0, null);
}

/// <summary>
/// How many open cases each NIP has, and since when its personnel data is blocked, in memory, so
/// that "does this ASN have an open case?" costs no database round trip. It mirrors the database:
/// built from it at start, then refreshed with a fresh reading for every NIP that a write touched —
/// this process's writes as they commit, and other replicas' writes as the change log reports them.
/// </summary>
public sealed class OpenCaseIndex
{
    /// <summary>The most NIPs one batch of a check may carry (a CheckOpenCases message).</summary>
    public const int MaxNipsPerBatch = 10_000;

    private readonly ConcurrentDictionary<long, int> _openCounts = new();
    private readonly ConcurrentDictionary<long, DateTime> _blockedSince = new();

    // Refreshes of one NIP are serialized, so that the last refresh to finish is also the last to
    // have read the database: a slower, older reading can never overwrite a newer one. A batch holds
    // the gates of all its NIPs while it reads.
    private readonly SemaphoreSlim[] _refreshGates = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>NIPs with open cases.</summary>
    public int NipCount => _openCounts.Count;

    /// <summary>Every NIP the index holds something for, as of the moment each is read.</summary>
    public IEnumerable<(Nip Nip, NipStanding Standing)> Entries() =>
        _openCounts.Keys.Union(_blockedSince.Keys).Select(value => (new Nip(value), StandingOf(new Nip(value))));

    public NipStanding StandingOf(Nip nip) => new(
        _openCounts.GetValueOrDefault(nip.Value),
        _blockedSince.TryGetValue(nip.Value, out var since) ? since : null);

    /// <summary>
    /// Sets each NIP's standing to <paramref name="readStandings"/>'s answer from the database (a NIP
    /// it leaves out has neither open cases nor a block); returns how many standings that changed.
    /// </summary>
    public async Task<int> RefreshAsync(
        IReadOnlyCollection<Nip> nips,
        Func<CancellationToken, Task<IReadOnlyDictionary<Nip, NipStanding>>> readStandings,
        CancellationToken cancellationToken)
    {
        // In ascending order, so that two batches sharing gates cannot each hold one the other waits for.
        var gates = nips.Select(nip => (int)(nip.Value % _refreshGates.Length)).Distinct().Order().ToArray();
        var held = 0;
        try
        {
            for (; held < gates.Length; held++)
            {
                await _refreshGates[gates[held]].WaitAsync(cancellationToken);
            }
            var standings = await readStandings(cancellationToken);
            var changed = 0;
            foreach (var nip in nips)
            {
                var standing = standings.GetValueOrDefault(nip, NipStanding.Clear);
                if (standing != StandingOf(nip))
                {
                    changed++;
                }
                Set(nip, standing);
            }
            return changed;
        }
        finally
        {
            for (var i = 0; i < held; i++)
            {
                _refreshGates[gates[i]].Release();
            }
        }
    }

    /// <summary>Loads one NIP's standing while the index is built (before the gateway serves).</summary>
    public void Load(Nip nip, NipStanding standing) => Set(nip, standing);

    public void Clear()
    {
        _openCounts.Clear();
        _blockedSince.Clear();
    }

    private void Set(Nip nip, NipStanding standing)
    {
        if (standing.OpenCount > 0)
        {
            _openCounts[nip.Value] = standing.OpenCount;
        }
        else
        {
            _openCounts.TryRemove(nip.Value, out _);
        }
        if (standing.BlockedSince is { } since)
        {
            _blockedSince[nip.Value] = since;
        }
        else
        {
            _blockedSince.TryRemove(nip.Value, out _);
        }
    }
}
