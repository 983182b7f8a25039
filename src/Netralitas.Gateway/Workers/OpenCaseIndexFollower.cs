using Microsoft.Extensions.Options;
using Netralitas.Gateway.Domain;
using Netralitas.Gateway.Domain.Cases;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Workers;

/// <summary>Configuration section <c>Netralitas:OpenCaseIndex</c>.</summary>
public sealed class OpenCaseIndexOptions
{
    public const string Section = "Netralitas:OpenCaseIndex";

    /// <summary>How often to read the change log for other replicas' writes.</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a hole in the change-log ids may be a transaction still committing (ids are taken
    /// at insert, commits may land out of order) before it is taken for a rollback and passed over.
    /// </summary>
    public TimeSpan GapGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Change-log entries older than this are deleted; a replica restarted after that rebuilds from the cases.</summary>
    public TimeSpan ChangeLogRetention { get; set; } = TimeSpan.FromDays(2);
}

/// <summary>
/// Keeps this replica's open-case index coherent with writes made by other replicas on the same
/// database: reads the change log after the last position seen and refreshes the NIPs it names.
/// </summary>
public sealed partial class OpenCaseIndexFollower(
    IServiceScopeFactory scopes,
    OpenCaseIndex index,
    GatewayReadiness readiness,
    BusinessClock clock,
    IOptions<OpenCaseIndexOptions> options,
    ILogger<OpenCaseIndexFollower> logger) : BackgroundService
{
    private const int BatchSize = 2_000;
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private DateTime? _gapSeenAt;
    private DateTime _lastPrune = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.FollowInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, clock.Time, stoppingToken);
            if (!readiness.IsReady)
            {
                continue;
            }
            try
            {
                while (await FollowOnceAsync(stoppingToken))
                {
                    // A full batch: more may be waiting.
                }
                await PruneIfDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFollowFailed(e.Message);
            }
        }
    }

    /// <summary>Applies one batch of the change log; true when the batch was full.</summary>
    internal async Task<bool> FollowOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var repository = scope.ServiceProvider.GetRequiredService<ICaseRepository>();
        var position = index.ChangeLogPosition;
        var changes = await repository.ChangesAfterAsync(position, BatchSize, cancellationToken);
        if (changes.Count == 0)
        {
            return false;
        }

        foreach (var nip in changes.Select(c => c.Nip).Distinct())
        {
            await index.RefreshAsync(new Nip(long.Parse(nip)), token => repository.OpenCaseCountAsync(nip, token), cancellationToken);
        }
        index.ChangeLogPosition = Advance(position, changes);
        return changes.Count == BatchSize;
    }

    /// <summary>
    /// The new position: past every entry that follows without a hole. At a hole it waits for the
    /// missing entry for <see cref="OpenCaseIndexOptions.GapGrace"/>; entries after the hole are
    /// read again meanwhile, which only recounts their NIPs.
    /// </summary>
    private long Advance(long position, IReadOnlyList<CaseChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Id != position + 1)
            {
                _gapSeenAt ??= clock.UtcNow;
                if (clock.UtcNow - _gapSeenAt < options.Value.GapGrace)
                {
                    return position;
                }
            }
            _gapSeenAt = null;
            position = change.Id;
        }
        return position;
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        if (clock.UtcNow - _lastPrune < PruneEvery)
        {
            return;
        }
        _lastPrune = clock.UtcNow;
        await using var scope = scopes.CreateAsyncScope();
        var pruned = await scope.ServiceProvider.GetRequiredService<ICaseRepository>()
            .PruneChangesAsync(clock.UtcNow - options.Value.ChangeLogRetention, cancellationToken);
        if (pruned > 0)
        {
            LogPruned(pruned);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the case change log failed; retrying: {Reason}")]
    private partial void LogFollowFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} old case change-log entries")]
    private partial void LogPruned(int count);
}
