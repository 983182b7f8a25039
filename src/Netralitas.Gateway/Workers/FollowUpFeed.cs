using Netralitas.Domain.Recommendations;
using Netralitas.Domain;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Netralitas.Domain.Cases;

namespace Netralitas.Gateway.Workers;

/// <summary>Configuration section <c>Netralitas:FollowUpFeed</c>.</summary>
public sealed class FollowUpFeedOptions
{
    public const string Section = "Netralitas:FollowUpFeed";

    /// <summary>How often a watch reads the event log when it has caught up.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a missing event id may belong to a transaction still committing (ids are taken at
    /// insert; commits can land out of order) before the watch takes it for a rollback and goes on.
    /// </summary>
    public TimeSpan GapGrace { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed record FollowUpWatchFilter(string PpkInstansiCode, string Nip, string Recommendation, string ResumeToken);

/// <summary>An opened watch: its filter, and the last event id before the first it will deliver.</summary>
public sealed record FollowUpWatch(FollowUpWatchFilter Filter, string? RecommendationId, long Cursor);

/// <summary>
/// WatchFollowUps: follows the follow-up event log, which every replica writes, and yields the
/// events in id order without ever skipping one that commits late: delivery waits at a missing id
/// until it commits or <see cref="FollowUpFeedOptions.GapGrace"/> passes. So a resume token (the last
/// id delivered) loses nothing.
/// </summary>
public sealed class FollowUpFeed(IServiceScopeFactory scopes, BusinessClock clock, IOptions<FollowUpFeedOptions> options)
{
    private const int BatchSize = 500;
    private const string TokenPrefix = "e";

    public static string ResumeTokenOf(FollowUpEvent e) => TokenPrefix + e.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Checks the filter; throws <see cref="InvalidRequestException"/> before the stream starts.</summary>
    public static (string? RecommendationId, long? ResumeAfter) Validate(FollowUpWatchFilter filter)
    {
        var errors = new ValidationErrors();
        Text.Filter(filter.PpkInstansiCode, "ppk_instansi_code", FieldLengths.Code, errors);
        if (filter.Nip.Length > 0 && !Nip.TryParse(filter.Nip, out _, out var nipError))
        {
            errors.Add("nip", nipError);
        }
        var recommendationId = filter.Recommendation.Length == 0 ? null
            : ResourceNames.TryParse(filter.Recommendation, Recommendation.CollectionName, "recommendation", errors);
        long? resumeAfter = null;
        if (filter.ResumeToken.Length > 0)
        {
            if (filter.ResumeToken.StartsWith(TokenPrefix, StringComparison.Ordinal)
                && long.TryParse(filter.ResumeToken.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                resumeAfter = id;
            }
            else
            {
                errors.Add("resume_token", "is not a token this service issued");
            }
        }
        errors.ThrowIfAny();
        return (recommendationId, resumeAfter);
    }

    /// <summary>
    /// Checks the filter and fixes where the watch starts: after its resume token, or without one a
    /// grace back from now, so that a change committing as it starts is not missed. Every change
    /// committed after this returns is delivered by <see cref="WatchAsync"/>.
    /// </summary>
    public async Task<FollowUpWatch> OpenAsync(FollowUpWatchFilter filter, CancellationToken cancellationToken)
    {
        var (recommendationId, resumeAfter) = Validate(filter);
        var cursor = resumeAfter ?? await ReadAsync(r => r.LatestEventBeforeAsync(clock.UtcNow - options.Value.GapGrace, cancellationToken));
        return new FollowUpWatch(filter, recommendationId, cursor);
    }

    public async IAsyncEnumerable<FollowUpEvent> WatchAsync(FollowUpWatch watch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (filter, recommendationId, cursor) = watch;
        var settings = options.Value;
        (long Id, DateTime Since)? gap = null;
        while (true)
        {
            var batch = await ReadAsync(r => r.EventsAfterAsync(cursor, BatchSize, cancellationToken));
            foreach (var e in batch)
            {
                // Ids are taken in time order: missing ids before an event older than the grace belong to
                // transactions that rolled back (or never will commit), so a catch-up does not wait at them.
                if (e.Id != cursor + 1 && clock.UtcNow - e.OccurredAt < settings.GapGrace)
                {
                    if (gap?.Id != cursor + 1)
                    {
                        gap = (cursor + 1, clock.UtcNow);
                    }
                    if (clock.UtcNow - gap.Value.Since < settings.GapGrace)
                    {
                        break; // wait for the missing ids to commit
                    }
                }
                gap = null;
                cursor = e.Id;
                if (Matches(e, filter, recommendationId))
                {
                    yield return e;
                }
            }
            if (batch.Count < BatchSize || gap is not null)
            {
                await Task.Delay(settings.PollInterval, clock.Time, cancellationToken);
            }
        }
    }

    private static bool Matches(FollowUpEvent e, FollowUpWatchFilter filter, string? recommendationId) =>
        (filter.PpkInstansiCode.Length == 0 || e.PpkInstansiCode == filter.PpkInstansiCode)
        && (filter.Nip.Length == 0 || e.Nip == filter.Nip)
        && (recommendationId is null || e.RecommendationId == recommendationId);

    private async Task<T> ReadAsync<T>(Func<IRecommendationRepository, Task<T>> read)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<IRecommendationRepository>());
    }
}
