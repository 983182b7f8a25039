using System.Collections.Concurrent;

namespace Netralitas.Domain.Calendar;

/// <summary>
/// Working days (hari kerja) for deadlines such as the PPK's 14 working days: Monday to Friday,
/// less national holidays and cuti bersama. A year with an official list counts on that list; any
/// other year counts on its provisional calendar (<see cref="ProvisionalCalendar"/>), and every
/// result says whether a provisional year took part, so that callers can show that it may move.
/// Immutable: <see cref="CalendarBook"/> holds the one in force and replaces it when a year arrives.
/// <para>
/// Counting rule: the starting date (e.g. the recommendation letter's date) is day 0, whatever day
/// it is; the deadline of N working days is the N-th working day after it. A letter dated Friday
/// before a long weekend starts counting on the next working day.
/// </para>
/// </summary>
public sealed class WorkingDayCalendar
{
    // Provisional years depend on nothing but the year: computed once per process.
    private static readonly ConcurrentDictionary<int, YearDays> ProvisionalYears = new();

    private readonly Dictionary<int, YearDays> _official;

    /// <param name="officialYears">The years with an official list.</param>
    /// <param name="revision">The stored calendar revision these years are (0: the files read at start-up).</param>
    public WorkingDayCalendar(IEnumerable<CalendarYear> officialYears, long revision = 0)
    {
        Revision = revision;
        _official = [];
        foreach (var year in officialYears)
        {
            if (year.Provisional)
            {
                throw new ArgumentException($"Working-day calendar: {year.Year} is provisional; only official years are given.", nameof(officialYears));
            }
            if (year.Problems() is { Count: > 0 } problems)
            {
                throw new InvalidDataException($"Working-day calendar {year.Year}: {string.Join("; ", problems)}.");
            }
            if (!_official.TryAdd(year.Year, new YearDays(year)))
            {
                throw new InvalidDataException($"Working-day calendar: the year {year.Year} is listed twice.");
            }
        }
        OfficialYears = _official.Values.Select(y => y.Year).OrderBy(y => y.Year).ToArray();
    }

    /// <summary>The stored calendar revision this calendar was loaded from; a later one never gives way to an earlier one.</summary>
    public long Revision { get; }

    /// <summary>The years with an official list, oldest first.</summary>
    public IReadOnlyList<CalendarYear> OfficialYears { get; }

    public bool IsOfficial(int year) => _official.ContainsKey(year);

    /// <summary>The year as it is counted: its official list, or its provisional calendar.</summary>
    public CalendarYear Year(int year) => DaysOf(year).Year;

    /// <summary>This calendar with <paramref name="year"/> added, or replacing the official list it had.</summary>
    public WorkingDayCalendar With(CalendarYear year) =>
        new(OfficialYears.Where(y => y.Year != year.Year).Append(year), Revision);

    public static bool IsWeekend(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    public bool IsWorkingDay(DateOnly date) => !IsWeekend(date) && !DaysOf(date.Year).Listed.ContainsKey(date);

    /// <summary>The <paramref name="workingDays"/>-th working day after <paramref name="start"/> (day 0).</summary>
    public CountedDate AddWorkingDays(DateOnly start, int workingDays)
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
        return new CountedDate(date, IsProvisionalBetween(start, date));
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

    /// <summary>Whether counting from <paramref name="from"/> (exclusive) to <paramref name="to"/> (inclusive), either way round, touches a provisional year.</summary>
    public bool IsProvisionalBetween(DateOnly from, DateOnly to)
    {
        var (first, last) = from <= to ? (from.AddDays(1), to) : (to.AddDays(1), from);
        for (var year = first.Year; year <= last.Year; year++)
        {
            if (!_official.ContainsKey(year))
            {
                return true;
            }
        }
        return false;
    }

    private YearDays DaysOf(int year) =>
        _official.TryGetValue(year, out var official) ? official : ProvisionalYears.GetOrAdd(year, y => new YearDays(ProvisionalCalendar.For(y)));

    private sealed class YearDays(CalendarYear year)
    {
        public CalendarYear Year { get; } = year;
        public Dictionary<DateOnly, NonWorkingDay> Listed { get; } = year.Days.ToDictionary(d => d.Date);
    }
}
