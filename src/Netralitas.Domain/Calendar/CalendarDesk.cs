using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Calendar;

/// <summary>A due date that a calendar year moved (or confirmed as official), or would have moved but <paramref name="Held"/>: it passed and was acted on.</summary>
public sealed record DueDateChange(Recommendation Recommendation, CountedDate Before, CountedDate After, bool Held = false);

/// <summary>What publishing a calendar year did, or in a dry run would do.</summary>
public sealed record CalendarPublication(CalendarYear Year, bool ValidateOnly, bool Unchanged, IReadOnlyList<DueDateChange> Changes);

/// <summary>
/// The working-day calendar as operators keep it: reads a year as it is counted, publishes an
/// official year (from a file at start-up or from BKN's admin call), and counts the due dates of
/// the open recommendations again on it, each in its own transaction with a DUE_DATE_RECOMPUTED
/// event. Escalation steps are never stored ahead: the sweep counts the next one on the calendar in
/// force, so steps already taken keep their dates and the next ones follow the new year at once.
/// </summary>
public sealed class CalendarDesk(
    ICalendarStore store,
    IRecommendationRepository recommendations,
    CalendarBook calendars,
    BusinessClock clock)
{
    private const int BatchSize = 200;
    private const int MaxWriteAttempts = 3;

    /// <summary>The year named <c>calendarYears/{year}</c> as it is counted: official, or provisional.</summary>
    public CalendarYear Get(string name)
    {
        const string prefix = CalendarYear.CollectionName + "/";
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidRequestException("name", $"is required: {prefix}{{year}}");
        }
        if (!name.StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || year is < 1900 or > 9998 || name.Length != prefix.Length + 4)
        {
            throw new InvalidRequestException("name", $"'{Text.Shorten(name)}' is not of the form {prefix}{{year}} with a year from 1900 to 9998");
        }
        return calendars.Current.Year(year);
    }

    /// <summary>The official years in force, and what operators should know: a current or coming year without a list.</summary>
    public (IReadOnlyList<CalendarYear> Official, IReadOnlyList<string> Warnings) List()
    {
        var calendar = calendars.Current;
        return (calendar.OfficialYears, Warnings(calendar, clock.Today));
    }

    /// <summary>
    /// The current year without an official list; from 1 October, the next year without one. Deadlines
    /// counted into such a year are provisional and move when its list arrives.
    /// </summary>
    public static IReadOnlyList<string> Warnings(WorkingDayCalendar calendar, DateOnly today)
    {
        var warnings = new List<string>();
        if (!calendar.IsOfficial(today.Year))
        {
            warnings.Add($"No official list of holidays and cuti bersama for {today.Year}, the current year: every deadline is counted on a provisional calendar. Publish the SKB 3 Menteri of {today.Year}.");
        }
        if (today >= new DateOnly(today.Year, 10, 1) && !calendar.IsOfficial(today.Year + 1))
        {
            warnings.Add($"No official list of holidays and cuti bersama for {today.Year + 1} yet: deadlines that reach it are provisional. Publish its SKB 3 Menteri as soon as it is signed.");
        }
        return warnings;
    }

    /// <summary>
    /// Publishes an official year: checks it, refuses it if it would move a deadline that has passed
    /// and was acted on, stores it as the year's newest revision, puts it in force on this replica
    /// (the others follow within their poll interval) and recomputes the due dates it touches.
    /// With <paramref name="validateOnly"/> it only reports what would change.
    /// </summary>
    public async Task<CalendarPublication> PublishAsync(CalendarYear year, bool validateOnly, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        foreach (var problem in year.Problems())
        {
            errors.Add("calendar_json", problem.ToString());
        }
        errors.ThrowIfAny();

        var current = await LoadAsync(cancellationToken);
        var digest = Digest(year);
        var inForce = current.Year(year.Year);
        if (!inForce.Provisional && Digest(inForce) == digest)
        {
            return new CalendarPublication(inForce, validateOnly, Unchanged: true, []);
        }
        var changes = await PlanAsync(current.With(year), year.Year, cancellationToken);
        RefuseMovingActedOnDeadlines(year, inForce, changes);
        if (validateOnly)
        {
            return new CalendarPublication(year, true, false, changes);
        }

        // The version is the year's next: a concurrent publication of the same year fails on it (ABORTED).
        await store.AddAsync(year with { Version = inForce.Version + 1 }, digest, clock.UtcNow, cancellationToken);
        var published = await LoadAsync(cancellationToken);
        calendars.Replace(published);
        // The year is stored: its recompute runs to the end even if the caller goes (the follower's
        // reconcile finishes whatever a failure leaves).
        var applied = await RecomputeAsync(published, year.Year, CancellationToken.None);
        return new CalendarPublication(published.Year(year.Year), false, false, applied.Where(c => !c.Held).ToArray());
    }

    /// <summary>
    /// Stores an official year read from a file unless that very content was stored for the year
    /// before (a replica still holding an older file must not bring it back). A year BKN published
    /// through the API is not replaced by a file. False, with the reason, when the file is not used.
    /// </summary>
    public async Task<(bool Stored, string? Refusal)> ImportAsync(CalendarYear year, CancellationToken cancellationToken)
    {
        if (await store.HasHadAsync(year.Year, Digest(year), cancellationToken))
        {
            return (false, null);
        }
        var inForce = (await LoadAsync(cancellationToken)).Year(year.Year);
        if (inForce.WasPublished)
        {
            return (false, $"{year.Year} was {inForce.Origin} on {inForce.StoredAt:yyyy-MM-dd HH:mm} UTC, and a file does not replace a published year; " +
                "publish the file's list as the year's official calendar to use it");
        }
        try
        {
            await PublishAsync(year, validateOnly: false, cancellationToken);
            return (true, null);
        }
        catch (InvalidRequestException e)
        {
            return (false, e.Message);
        }
    }

    /// <summary>
    /// Puts the stored calendar in force on this replica if it changed since it was last loaded, and
    /// recomputes the due dates of the years that changed. With <paramref name="everyYear"/> (on start-up
    /// and every reconcile interval) it loads and recomputes every open due date whatever changed: that
    /// finishes a recompute a stopped replica, a cancelled call or a lost race left undone.
    /// </summary>
    public async Task<IReadOnlyList<DueDateChange>> RefreshAsync(bool everyYear, CancellationToken cancellationToken)
    {
        var before = calendars.Current;
        if (!everyYear && await store.LatestRevisionAsync(cancellationToken) == before.Revision)
        {
            return [];
        }
        var loaded = await LoadAsync(cancellationToken);
        calendars.Replace(loaded);
        if (everyYear)
        {
            return await RecomputeAsync(loaded, null, cancellationToken);
        }
        var changed = new List<DueDateChange>();
        foreach (var year in ChangedYears(before, loaded))
        {
            changed.AddRange(await RecomputeAsync(loaded, year, cancellationToken));
        }
        return changed;
    }

    /// <summary>A content digest of a year: the same list gets the same digest however its JSON is laid out.</summary>
    public static string Digest(CalendarYear year)
    {
        var text = new StringBuilder().Append(year.Year).Append('\n').Append(year.Source).Append('\n');
        foreach (var day in year.Days.OrderBy(d => d.Date))
        {
            text.Append(day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('|').Append(day.Kind).Append('|').Append(day.Name).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private async Task<WorkingDayCalendar> LoadAsync(CancellationToken cancellationToken)
    {
        var (years, revision) = await store.CurrentAsync(cancellationToken);
        return new WorkingDayCalendar(years, revision);
    }

    private static IEnumerable<int> ChangedYears(WorkingDayCalendar before, WorkingDayCalendar after) =>
        before.OfficialYears.Select(y => y.Year).Union(after.OfficialYears.Select(y => y.Year))
            .Where(y => before.IsOfficial(y) != after.IsOfficial(y) || Digest(before.Year(y)) != Digest(after.Year(y)))
            .Order();

    /// <summary>The due dates <paramref name="candidate"/> would change, of open recommendations the year touches.</summary>
    private async Task<IReadOnlyList<DueDateChange>> PlanAsync(WorkingDayCalendar candidate, int year, CancellationToken cancellationToken)
    {
        var changes = new List<DueDateChange>();
        await foreach (var recommendation in OpenTouching(year, cancellationToken))
        {
            if (recommendation.DueDateMovesOn(candidate, out var after))
            {
                changes.Add(new DueDateChange(recommendation, new CountedDate(recommendation.DueOn, recommendation.DueOnProvisional), after));
            }
        }
        return changes;
    }

    /// <summary>
    /// A deadline that has passed and on which an escalation step was taken (a warning or more) stands:
    /// moving it would make that step premature. The year is refused, naming the entries that move it.
    /// </summary>
    private void RefuseMovingActedOnDeadlines(CalendarYear year, CalendarYear before, IReadOnlyList<DueDateChange> changes)
    {
        var today = clock.Today;
        var errors = new ValidationErrors();
        foreach (var change in changes.Where(c => c.Before.Date != c.After.Date && c.Before.Date < today
                     && c.Recommendation.EscalationStage != EscalationStage.NotEscalated))
        {
            var recommendation = change.Recommendation;
            var last = change.Before.Date > change.After.Date ? change.Before.Date : change.After.Date;
            var entries = EntriesThatDiffer(year, before).Where(e => e.Date > recommendation.IssuedOn && e.Date <= last).Select(e => e.Entry).ToArray();
            errors.Add("calendar_json",
                $"{(entries.Length > 0 ? string.Join(", ", entries) : "the year")}: would move the due date of {recommendation.ResourceName} " +
                $"from {change.Before.Date:yyyy-MM-dd} to {change.After.Date:yyyy-MM-dd}, a deadline that has passed and was acted on " +
                $"({recommendation.EscalationStage} on {recommendation.LastEscalatedOn:yyyy-MM-dd}); steps already taken are not moved");
        }
        errors.ThrowIfAny();
    }

    /// <summary>The entries of <paramref name="year"/> that <paramref name="before"/> did not have, and the days it had that the year drops.</summary>
    private static IEnumerable<(DateOnly Date, string Entry)> EntriesThatDiffer(CalendarYear year, CalendarYear before)
    {
        var had = before.Days.Select(d => d.Date).ToHashSet();
        var has = year.Days.Select(d => d.Date).ToHashSet();
        foreach (var kind in new[] { NonWorkingDayKind.NationalHoliday, NonWorkingDayKind.CutiBersama })
        {
            var index = 0;
            foreach (var day in year.OfKind(kind))
            {
                if (!had.Contains(day.Date))
                {
                    yield return (day.Date, CalendarYear.EntryName(kind, index, day.Date));
                }
                index++;
            }
        }
        foreach (var dropped in before.Days.Where(d => !has.Contains(d.Date)))
        {
            yield return (dropped.Date, $"{dropped.Date:yyyy-MM-dd} ({dropped.Name}, no longer listed)");
        }
    }

    /// <summary>Counts again, on <paramref name="calendar"/>, the due dates of open recommendations <paramref name="year"/> touches (every open one when null).</summary>
    private async Task<IReadOnlyList<DueDateChange>> RecomputeAsync(WorkingDayCalendar calendar, int? year, CancellationToken cancellationToken)
    {
        var changes = new List<DueDateChange>();
        await foreach (var listed in OpenTouching(year, cancellationToken))
        {
            // Most due dates do not move: only those that do are read again for writing.
            if (listed.DueDateMovesOn(calendar, out _) && await RecomputeOneAsync(listed.Id, calendar, cancellationToken) is { } change)
            {
                changes.Add(change);
            }
        }
        return changes;
    }

    /// <summary>Counts one recommendation's due date again on the calendar in force; the recommendation as it then stands.</summary>
    public async Task<Recommendation?> RecomputeAsync(string recommendationId, CancellationToken cancellationToken) =>
        (await RecomputeOneAsync(recommendationId, calendars.Current, cancellationToken))?.Recommendation
            ?? await recommendations.FindAsync(recommendationId, cancellationToken);

    private async Task<DueDateChange?> RecomputeOneAsync(string id, WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var recommendation = await recommendations.FindAsync(id, cancellationToken);
            if (recommendation is null)
            {
                return null;
            }
            var before = new CountedDate(recommendation.DueOn, recommendation.DueOnProvisional);
            switch (recommendation.Recompute(calendar, clock.Today, clock.UtcNow))
            {
                case RecomputeOutcome.Unchanged:
                    return null; // closed, or recomputed by another replica meanwhile
                case RecomputeOutcome.Held:
                    return new DueDateChange(recommendation, before, recommendation.DueDateOn(calendar), Held: true);
            }
            try
            {
                await recommendations.UpdateAsync(recommendation, null, cancellationToken);
                return new DueDateChange(recommendation, before, new CountedDate(recommendation.DueOn, recommendation.DueOnProvisional));
            }
            catch (ConcurrentModificationException) when (attempt < MaxWriteAttempts)
            {
                // Another writer (a decree, the sweep, another replica's recompute) went first: count again on the fresh state.
            }
        }
    }

    private async IAsyncEnumerable<Recommendation> OpenTouching(int? year,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var batch = await recommendations.ListOpenTouchingYearAsync(year, after, BatchSize, cancellationToken);
            foreach (var recommendation in batch)
            {
                yield return recommendation;
            }
            if (batch.Count < BatchSize)
            {
                yield break;
            }
            after = batch[^1].Id;
        }
    }
}
