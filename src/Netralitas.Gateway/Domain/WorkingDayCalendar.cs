namespace Netralitas.Gateway.Domain;

public enum NonWorkingDayKind { NationalHoliday = 1, CutiBersama = 2 }

public sealed record NonWorkingDay(DateOnly Date, string Name, NonWorkingDayKind Kind);

/// <summary>One year's official list: the national holidays and cuti bersama of its SKB 3 Menteri.</summary>
public sealed record CalendarYear(int Year, string Source, IReadOnlyList<NonWorkingDay> Days);

/// <summary>
/// Working days (hari kerja) for deadlines such as the PPK's 14 working days: Monday to Friday,
/// less national holidays and cuti bersama. Only years with an official list are known; a
/// computation that needs any other year fails instead of guessing.
/// <para>
/// Counting rule: the starting date (e.g. the recommendation letter's date) is day 0, whatever day
/// it is; the deadline of N working days is the N-th working day after it. A letter dated Friday
/// before a long weekend starts counting on the next working day.
/// </para>
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly Dictionary<int, CalendarYear> _years;
    private readonly Dictionary<DateOnly, NonWorkingDay> _days;

    public WorkingDayCalendar(IEnumerable<CalendarYear> years)
    {
        _years = new Dictionary<int, CalendarYear>();
        _days = new Dictionary<DateOnly, NonWorkingDay>();
        foreach (var year in years)
        {
            if (!_years.TryAdd(year.Year, year))
            {
                throw new InvalidDataException($"Working-day calendar: the year {year.Year} is listed twice.");
            }
            foreach (var day in year.Days)
            {
                if (day.Date.Year != year.Year)
                {
                    throw new InvalidDataException($"Working-day calendar {year.Year}: {day.Date:yyyy-MM-dd} ({day.Name}) is not in {year.Year}.");
                }
                if (!_days.TryAdd(day.Date, day))
                {
                    throw new InvalidDataException($"Working-day calendar {year.Year}: {day.Date:yyyy-MM-dd} is listed twice.");
                }
            }
        }
        Years = _years.Values.OrderBy(y => y.Year).ToArray();
    }

    public IReadOnlyList<CalendarYear> Years { get; }

    public bool Knows(int year) => _years.ContainsKey(year);

    public bool IsWorkingDay(DateOnly date)
    {
        RequireYear(date.Year);
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_days.ContainsKey(date);
    }

    /// <summary>The holiday or cuti bersama on <paramref name="date"/>, if any.</summary>
    public NonWorkingDay? NonWorkingDayOn(DateOnly date)
    {
        RequireYear(date.Year);
        return _days.GetValueOrDefault(date);
    }

    /// <summary>The <paramref name="workingDays"/>-th working day after <paramref name="start"/> (day 0).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var date = start;
        for (var counted = 0; counted < workingDays;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                counted++;
            }
        }
        return date;
    }

    /// <summary>
    /// Working days from <paramref name="from"/> (exclusive) to <paramref name="to"/> (inclusive);
    /// negative when <paramref name="to"/> is earlier. With a deadline as <paramref name="to"/> and
    /// today as <paramref name="from"/>, that is the working days left; the other way round, the
    /// working days overdue.
    /// </summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            return -WorkingDaysBetween(to, from);
        }
        var count = 0;
        for (var date = from.AddDays(1); date <= to; date = date.AddDays(1))
        {
            if (IsWorkingDay(date))
            {
                count++;
            }
        }
        return count;
    }

    private void RequireYear(int year)
    {
        if (!_years.ContainsKey(year))
        {
            var known = _years.Count == 0 ? "none" : string.Join(", ", _years.Keys.Order());
            throw new StatePreconditionException(
                "CALENDAR_YEAR_UNKNOWN",
                $"The working-day calendar has no official list of holidays and cuti bersama for {year} (known: {known}). " +
                "An operator adds the year as calendar/<year>.json in the reference-data folder; the gateway does not guess.");
        }
    }
}
