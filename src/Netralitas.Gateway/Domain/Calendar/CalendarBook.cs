namespace Netralitas.Gateway.Domain.Calendar;

/// <summary>
/// The working-day calendar in force on this replica. An operation takes <see cref="Current"/> once
/// and counts on it throughout, so that a year arriving meanwhile cannot mix two calendars in one answer.
/// </summary>
public sealed class CalendarBook(WorkingDayCalendar initial)
{
    private volatile Loaded _loaded = new(initial, 0);

    public WorkingDayCalendar Current => _loaded.Calendar;

    /// <summary>The stored revision <see cref="Current"/> was loaded from; 0 for the files read at start-up.</summary>
    public long Revision => _loaded.Revision;

    public void Replace(WorkingDayCalendar calendar, long revision) => _loaded = new Loaded(calendar, revision);

    private sealed record Loaded(WorkingDayCalendar Calendar, long Revision);
}
