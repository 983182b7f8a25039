using Netralitas.Adapters.ReferenceData;
using Microsoft.EntityFrameworkCore;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;

namespace Netralitas.Data;

/// <summary>One stored version of an official calendar year, in the calendar JSON; a year's newest is in force.</summary>
public sealed class CalendarYearRevision
{
    /// <summary>Assigned by the database, increasing.</summary>
    public long Id { get; init; }
    public int Year { get; init; }
    /// <summary>1 for a year's first list, one more for each amendment; unique per year, so two concurrent publications cannot both land.</summary>
    public int Version { get; init; }
    public required string Digest { get; init; }
    public required string Json { get; init; }
    public required string Origin { get; init; }
    public DateTime StoredAt { get; init; }
}

/// <summary>
/// The calendar years in the database. The revision a replica compares is the number of stored
/// versions: rows are only ever added, so it grows with every commit, whatever order concurrent
/// writers' ids commit in (an id taken earlier may commit later on PostgreSQL).
/// </summary>
public sealed class CalendarStore(NetralitasDbContext db) : ICalendarStore
{
    public async Task<long> LatestRevisionAsync(CancellationToken cancellationToken) =>
        await db.CalendarYearRevisions.LongCountAsync(cancellationToken);

    public async Task<(IReadOnlyList<CalendarYear> Years, long Revision)> CurrentAsync(CancellationToken cancellationToken)
    {
        // Counted first: a version committed in between is then loaded now and only looks new at the next poll.
        var revision = await LatestRevisionAsync(cancellationToken);
        var newest = await db.CalendarYearRevisions.AsNoTracking()
            .Where(r => r.Version == db.CalendarYearRevisions.Where(o => o.Year == r.Year).Max(o => o.Version))
            .OrderBy(r => r.Year)
            .ToListAsync(cancellationToken);
        var years = newest.Select(r => CalendarYearJson.Parse(r.Json) with { Origin = r.Origin, StoredAt = r.StoredAt, Version = r.Version }).ToArray();
        return (years, revision);
    }

    public Task<bool> HasHadAsync(int year, string digest, CancellationToken cancellationToken) =>
        db.CalendarYearRevisions.AnyAsync(r => r.Year == year && r.Digest == digest, cancellationToken);

    public async Task AddAsync(CalendarYear year, string digest, DateTime storedAt, CancellationToken cancellationToken)
    {
        db.CalendarYearRevisions.Add(new CalendarYearRevision
        {
            Year = year.Year,
            Version = year.Version,
            Digest = digest,
            Json = CalendarYearJson.Write(year),
            Origin = year.Origin.Length <= 500 ? year.Origin : year.Origin[..500],
            StoredAt = storedAt,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.CalendarYearRevisions.AnyAsync(r => r.Year == year.Year && r.Version == year.Version, cancellationToken))
            {
                // Another publication of the same year took this version first.
                throw new ConcurrentModificationException(year.ResourceName);
            }
            throw;
        }
    }
}
