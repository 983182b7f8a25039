namespace Netralitas.Domain.Calendar;

/// <summary>
/// The official calendar years every replica counts with, kept as revisions: a year's newest
/// revision is in force. Files and published years alike are stored here, so that replicas agree.
/// </summary>
public interface ICalendarStore
{
    /// <summary>A number that grows with every version stored, of any year (0 when none).</summary>
    Task<long> LatestRevisionAsync(CancellationToken cancellationToken);

    /// <summary>Each year's newest version, and the revision number (as <see cref="LatestRevisionAsync"/>) they are at least as new as.</summary>
    Task<(IReadOnlyList<CalendarYear> Years, long Revision)> CurrentAsync(CancellationToken cancellationToken);

    /// <summary>Whether any revision of <paramref name="year"/> ever had this content digest.</summary>
    Task<bool> HasHadAsync(int year, string digest, CancellationToken cancellationToken);

    /// <summary>Stores a new revision of the year, in force from now on.</summary>
    Task AddAsync(CalendarYear year, string digest, DateTime storedAt, CancellationToken cancellationToken);
}
