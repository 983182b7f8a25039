using Microsoft.Extensions.Options;
using Netralitas.Domain;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Statistics;

namespace Netralitas.Gateway.Workers;

/// <summary>Configuration section <c>Netralitas:OpenCaseIndex</c>.</summary>
public sealed class OpenCaseIndexOptions
{
    public const string Section = "Netralitas:OpenCaseIndex";

    /// <summary>How often to read the change log for other replicas' writes.</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a missing change-log id may belong to a transaction still committing (ids are taken
    /// at insert; commits can land out of order) before it is taken for a rollback. A write slower
    /// than this is still caught, by the next reconciliation.
    /// </summary>
    public TimeSpan GapGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the whole index is compared with the database, to heal anything missed.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Change-log entries older than this are deleted; a replica restarted later rebuilds from the cases.</summary>
    public TimeSpan ChangeLogRetention { get; set; } = TimeSpan.FromDays(2);
}

/// <summary>
/// Keeps the in-memory <see cref="OpenCaseIndex"/> in step with the database: builds it at start,
/// follows the change log for other replicas' writes, and reconciles it with the cases now and then.
/// Every count it sets comes from <see cref="OpenCaseIndex.RefreshAsync"/>, so it never overwrites a
/// newer count with an older one. The <see cref="StatisticsIndex"/> rides on the same log: built at
/// the same time, and the facts of every NIP the log names are read again with it (in the order
/// of the reads, under the same lock, so an older read never lands after a newer one).
/// </summary>
public sealed class OpenCaseIndexSync(
    IServiceScopeFactory scopes,
    OpenCaseIndex index,
    StatisticsIndex statistics,
    BusinessClock clock,
    IOptions<OpenCaseIndexOptions> options) : IRegistryCatchUp
{
    private const int BatchSize = 2_000;
    private const int MaxPartialReads = 20;

    // A jump larger than this between two consecutive ids (a sequence cache lost on a restart) is
    // not tracked id by id; reconciliation covers it.
    private const long MaxTrackedGap = 10_000;

    private readonly SemaphoreSlim _exclusive = new(1, 1);
    private readonly Dictionary<long, DateTime> _holes = [];
    private long _readCursor;

    /// <summary>The highest change-log id read so far.</summary>
    public long ReadCursor => _readCursor;

    /// <summary>Missing ids below the cursor that may still commit.</summary>
    public int OpenHoles => _holes.Count;

    /// <summary>
    /// Builds the index from the cases. The change log is read from a point <see cref="OpenCaseIndexOptions.GapGrace"/>
    /// before now, so that a write committing while the index is built is applied again afterwards
    /// (which only recounts its NIP).
    /// </summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        await _exclusive.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var repository = scope.ServiceProvider.GetRequiredService<ICaseRepository>();
            _readCursor = await repository.LatestChangeBeforeAsync(clock.UtcNow - options.Value.GapGrace, cancellationToken);
            _holes.Clear();
            index.Clear();
            foreach (var (nip, standing) in await ReadAllStandingsAsync(repository, cancellationToken))
            {
                index.Load(new Nip(nip), standing);
            }
            await statistics.LoadAsync(scope.ServiceProvider.GetRequiredService<IStatisticsStore>(), cancellationToken);
        }
        finally
        {
            _exclusive.Release();
        }
    }

    /// <summary>
    /// Applies change-log entries until a read of the log finds nothing new: every entry committed
    /// before that read began is then applied. Under writes faster than one read's round trip the log
    /// is never found empty; the catch-up then ends after <see cref="MaxPartialReads"/> reads that found
    /// less than a full batch (each only what committed during the one before). Returns how many
    /// entries were applied.
    /// </summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        for (var partialReads = 0; partialReads < MaxPartialReads;)
        {
            var (entries, more) = await FollowOnceAsync(cancellationToken);
            applied += entries;
            if (entries == 0)
            {
                break;
            }
            partialReads += more ? 0 : 1;
        }
        return applied;
    }

    /// <summary>Before a statistics answer: every write committed so far is counted.</summary>
    async Task IRegistryCatchUp.CatchUpAsync(CancellationToken cancellationToken) => await CatchUpAsync(cancellationToken);

    /// <summary>
    /// Applies the change-log entries written since the last call, and those that filled a hole
    /// meanwhile: one read of the log, one read of the standings per batch of NIPs. Returns how many
    /// entries it applied, and whether a full batch was read (more may be waiting).
    /// </summary>
    private async Task<(int Applied, bool More)> FollowOnceAsync(CancellationToken cancellationToken)
    {
        await _exclusive.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var repository = scope.ServiceProvider.GetRequiredService<ICaseRepository>();

            var late = _holes.Count == 0 ? [] : await repository.ChangesWithIdsAsync(_holes.Keys.ToArray(), cancellationToken);
            var newer = await repository.ChangesAfterAsync(_readCursor, BatchSize, cancellationToken);

            // Refresh first, move the cursor after: a read cancelled (a statistics caller gone) or
            // failed here leaves the entries to be read again, not skipped.
            var changed = late.Concat(newer).Select(c => c.Nip).ToArray();
            await index.RefreshFromAsync(repository, changed.Select(Nip.FromValidated), cancellationToken);
            await statistics.RefreshFromAsync(scope.ServiceProvider.GetRequiredService<IStatisticsStore>(), changed, cancellationToken);

            foreach (var change in late)
            {
                _holes.Remove(change.Id);
            }
            RecordHoles(newer);
            ExpireHoles();
            return (late.Count + newer.Count, newer.Count == BatchSize);
        }
        finally
        {
            _exclusive.Release();
        }
    }

    /// <summary>
    /// Compares the whole index with the cases and refreshes every NIP that differs, and reloads the
    /// statistics index. Heals what the change log cannot show: a write slower than the grace, or
    /// entries pruned while a replica stalled.
    /// Returns how many NIPs the refresh changed (a NIP written during the scan differs from the scan
    /// but usually not from the index, which the write itself refreshed).
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var repository = scope.ServiceProvider.GetRequiredService<ICaseRepository>();
        var inDatabase = await ReadAllStandingsAsync(repository, cancellationToken);
        var differing = inDatabase.Where(e => index.StandingOf(new Nip(e.Key)) != e.Value).Select(e => new Nip(e.Key)).ToList();
        differing.AddRange(index.Entries().Where(e => !inDatabase.ContainsKey(e.Nip.Value)).Select(e => e.Nip));

        // A difference may only be a write that committed during the scan: the refresh recounts
        // under the NIP's lock, so whichever count it sets is current.
        var changed = await index.RefreshFromAsync(repository, differing, cancellationToken);
        await ReloadStatisticsAsync(scope.ServiceProvider, cancellationToken);
        return changed;
    }

    /// <summary>
    /// Loads the statistics index whole into a fresh copy, without holding up the follower, then puts
    /// it in place with the facts of every NIP the log names since shortly before the load began read
    /// again, so a write committed during the load is not lost. Heals what the log cannot show (a
    /// write slower than the grace, entries pruned while the replica stalled).
    /// </summary>
    private async Task ReloadStatisticsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var repository = services.GetRequiredService<ICaseRepository>();
        var store = services.GetRequiredService<IStatisticsStore>();
        var from = await repository.LatestChangeBeforeAsync(clock.UtcNow - options.Value.GapGrace, cancellationToken);
        var fresh = new StatisticsIndex();
        await fresh.LoadAsync(store, cancellationToken);
        await _exclusive.WaitAsync(cancellationToken);
        try
        {
            var since = new List<string>();
            for (var after = from; after < _readCursor;)
            {
                var changes = await repository.ChangesAfterAsync(after, BatchSize, cancellationToken);
                if (changes.Count == 0)
                {
                    break;
                }
                since.AddRange(changes.Where(c => c.Id <= _readCursor).Select(c => c.Nip));
                after = changes[^1].Id;
            }
            // Entries above the cursor are the follower's next read, into the index now in place.
            await fresh.RefreshFromAsync(store, since, cancellationToken);
            statistics.TakeFrom(fresh);
        }
        finally
        {
            _exclusive.Release();
        }
    }

    private static async Task<Dictionary<long, NipStanding>> ReadAllStandingsAsync(ICaseRepository repository, CancellationToken cancellationToken)
    {
        var standings = new Dictionary<long, NipStanding>();
        await foreach (var (nip, openCount) in repository.OpenCaseCountsAsync(cancellationToken))
        {
            standings[Nip.FromValidated(nip).Value] = new NipStanding(openCount, null);
        }
        await foreach (var (nip, since) in repository.ActiveBlocksAsync(cancellationToken))
        {
            var value = Nip.FromValidated(nip).Value;
            standings[value] = standings.GetValueOrDefault(value) with { BlockedSince = since };
        }
        return standings;
    }

    private void RecordHoles(IReadOnlyList<CaseChange> newer)
    {
        var now = clock.UtcNow;
        foreach (var change in newer)
        {
            if (change.Id - _readCursor - 1 is > 0 and <= MaxTrackedGap)
            {
                for (var missing = _readCursor + 1; missing < change.Id; missing++)
                {
                    _holes[missing] = now;
                }
            }
            _readCursor = Math.Max(_readCursor, change.Id);
        }
    }

    private void ExpireHoles()
    {
        var expired = _holes.Where(h => clock.UtcNow - h.Value >= options.Value.GapGrace).Select(h => h.Key).ToArray();
        foreach (var id in expired)
        {
            _holes.Remove(id);
        }
    }
}
