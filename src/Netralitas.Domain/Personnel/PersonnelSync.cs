using Microsoft.Extensions.Options;

namespace Netralitas.Domain.Personnel;

/// <summary>Configuration section <c>Netralitas:Siasn:PersonnelSync</c>.</summary>
public sealed class PersonnelSyncOptions
{
    public const string Section = "Netralitas:Siasn:PersonnelSync";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker looks for personnel to fetch or refresh (a filed case wakes it at once).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A record of someone with an open case is fetched again after this long.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The first wait after a failed lookup; doubled per further failure, up to RefreshInterval.</summary>
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>Lookups in flight at once (SIASN's own concurrency limit applies too).</summary>
    public int Concurrency { get; set; } = 4;
}

/// <summary>Fetches a NIP's record from SIASN and stores what it said; a failure is stored too, with its retry time.</summary>
public sealed class PersonnelSync(IPersonnelStore store, IPersonnelSource source, IOptions<PersonnelSyncOptions> options, TimeProvider clock)
{
    public bool IsConfigured => source.IsConfigured;

    public async Task<PersonnelRecord?> RefreshAsync(string nip, CancellationToken cancellationToken)
    {
        var o = options.Value;
        PersonnelFacts? facts;
        try
        {
            facts = await source.FetchAsync(nip, cancellationToken);
        }
        catch (UpstreamUnavailableException e)
        {
            var failedAt = clock.GetUtcNow().UtcDateTime;
            await store.SaveLookupFailureAsync(nip, e.Message, failedAt,
                failures => failedAt + Backoff(o, failures), CancellationToken.None);
            throw;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await store.SaveLookupAsync(nip, facts, now, now + o.RefreshInterval, CancellationToken.None);
        return await store.FindAsync(nip, cancellationToken);
    }

    public Task<PersonnelHistory> HistoryAsync(string nip, CancellationToken cancellationToken) =>
        source.FetchHistoryAsync(nip, cancellationToken);

    private static TimeSpan Backoff(PersonnelSyncOptions o, int failures) =>
        TimeSpan.FromTicks(Math.Min(o.RefreshInterval.Ticks, o.FailureBackoff.Ticks * (1L << Math.Min(failures - 1, 20))));
}

/// <summary>Wakes the personnel sync worker when a case for an unknown NIP is filed.</summary>
public sealed class PersonnelSyncSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // already signalled
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
