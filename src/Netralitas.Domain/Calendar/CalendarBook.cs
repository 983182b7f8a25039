namespace Netralitas.Domain.Calendar;

/// <summary>
/// The working-day calendar in force on this replica. An operation takes <see cref="Current"/> once
/// and counts on it throughout, so that a year arriving meanwhile cannot mix two calendars in one answer.
/// </summary>
public sealed class CalendarBook(WorkingDayCalendar initial)
{
    private WorkingDayCalendar _current = initial;

    public WorkingDayCalendar Current => Volatile.Read(ref _current);

    /// <summary>Puts <paramref name="calendar"/> in force unless a later revision already is (two loads may finish out of order).</summary>
    public void Replace(WorkingDayCalendar calendar)
    {
        var seen = Current;
        while (calendar.Revision >= seen.Revision)
        {
            var previous = Interlocked.CompareExchange(ref _current, calendar, seen);
            if (ReferenceEquals(previous, seen))
            {
                return;
            }
            seen = previous;
        }
    }
}
