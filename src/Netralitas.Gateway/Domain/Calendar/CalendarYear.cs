namespace Netralitas.Gateway.Domain.Calendar;

public enum NonWorkingDayKind { NationalHoliday = 1, CutiBersama = 2 }

public sealed record NonWorkingDay(DateOnly Date, string Name, NonWorkingDayKind Kind);

/// <summary>
/// One year of the working-day calendar. An official year is the list of its SKB 3 Menteri
/// (national holidays and cuti bersama); a provisional one is what the gateway can compute
/// without that list (<see cref="ProvisionalCalendar"/>), and every date counted on it may move.
/// </summary>
public sealed record CalendarYear(int Year, string Source, IReadOnlyList<NonWorkingDay> Days, bool Provisional = false)
{
    public const string CollectionName = "calendarYears";

    /// <summary>Where an official year came from: the shipped file, an operator's file, or who published it.</summary>
    public string Origin { get; init; } = "";

    /// <summary>When this version of the year was stored in the database; null until then, and for a provisional year.</summary>
    public DateTime? StoredAt { get; init; }

    public string ResourceName => ResourceNameOf(Year);

    public static string ResourceNameOf(int year) => $"{CollectionName}/{year}";

    public IEnumerable<NonWorkingDay> OfKind(NonWorkingDayKind kind) => Days.Where(d => d.Kind == kind);

    /// <summary>Monday to Friday less the listed days: the figure an SKB's totals are checked against.</summary>
    public int WorkingDayCount()
    {
        var listed = Days.Select(d => d.Date).ToHashSet();
        var count = 0;
        for (var date = new DateOnly(Year, 1, 1); date.Year == Year; date = date.AddDays(1))
        {
            if (!WorkingDayCalendar.IsWeekend(date) && !listed.Contains(date))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>
    /// What is wrong with this year as an official list, each problem with the entry it concerns
    /// (<c>holidays[2]</c>, <c>cutiBersama[0]</c>, as the calendar JSON names them): a date outside
    /// the year, a date listed twice, a cuti bersama on a weekend (cuti bersama is leave from a
    /// working day, so a weekend cannot be one), a missing name or source.
    /// </summary>
    public IReadOnlyList<CalendarProblem> Problems()
    {
        var problems = new List<CalendarProblem>();
        if (Year is < 1900 or > 9998)
        {
            problems.Add(new CalendarProblem("year", $"{Year} is not a calendar year the gateway counts in (1900-9998)"));
            return problems;
        }
        if (string.IsNullOrWhiteSpace(Source))
        {
            problems.Add(new CalendarProblem("source", "is required: the decree (SKB) that fixes the list"));
        }
        var seen = new Dictionary<DateOnly, string>();
        foreach (var kind in new[] { NonWorkingDayKind.NationalHoliday, NonWorkingDayKind.CutiBersama })
        {
            var index = 0;
            foreach (var day in OfKind(kind))
            {
                var entry = $"{EntryListName(kind)}[{index++}] {day.Date:yyyy-MM-dd}";
                if (day.Date.Year != Year)
                {
                    problems.Add(new CalendarProblem(entry, $"is not in {Year}"));
                }
                if (string.IsNullOrWhiteSpace(day.Name))
                {
                    problems.Add(new CalendarProblem(entry, "needs a name"));
                }
                if (kind == NonWorkingDayKind.CutiBersama && WorkingDayCalendar.IsWeekend(day.Date))
                {
                    problems.Add(new CalendarProblem(entry,
                        $"is a {day.Date.DayOfWeek}: cuti bersama is leave from a working day, and a weekend is not one"));
                }
                if (!seen.TryAdd(day.Date, entry))
                {
                    problems.Add(new CalendarProblem(entry, $"is listed twice (also {seen[day.Date]})"));
                }
            }
        }
        return problems;
    }

    /// <summary>The name of an entry's list in the calendar JSON.</summary>
    public static string EntryListName(NonWorkingDayKind kind) => kind == NonWorkingDayKind.CutiBersama ? "cutiBersama" : "holidays";
}

/// <summary>One problem of a calendar year: the entry (<c>holidays[2] 2027-13-01</c>, <c>source</c>) and what is wrong.</summary>
public sealed record CalendarProblem(string Entry, string Problem)
{
    public override string ToString() => $"{Entry}: {Problem}";
}

/// <summary>A date counted on the calendar, and whether a provisional year took part in counting it.</summary>
public readonly record struct CountedDate(DateOnly Date, bool Provisional);
