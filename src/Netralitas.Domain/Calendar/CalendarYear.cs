namespace Netralitas.Domain.Calendar;

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

    public const int MaxSourceLength = 500;
    public const int MaxNameLength = 200;

    /// <summary>The start of <see cref="Origin"/> for a year BKN published through the API; a file never replaces such a year.</summary>
    public const string PublishedOriginPrefix = "published by ";

    /// <summary>Where an official year came from: the shipped file, an operator's file, or who published it.</summary>
    public string Origin { get; init; } = "";

    /// <summary>When this version of the year was stored in the database; null until then, and for a provisional year.</summary>
    public DateTime? StoredAt { get; init; }

    /// <summary>The year's version in the database: 1 for the first list stored, one more for each amendment; 0 until stored.</summary>
    public int Version { get; init; }

    public bool WasPublished => Origin.StartsWith(PublishedOriginPrefix, StringComparison.Ordinal);

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
    /// working day, so a weekend cannot be one), a missing or overlong name or source.
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
        else if (Source.Length > MaxSourceLength)
        {
            problems.Add(new CalendarProblem("source", $"is longer than {MaxSourceLength} characters"));
        }
        var seen = new Dictionary<DateOnly, string>();
        foreach (var kind in new[] { NonWorkingDayKind.NationalHoliday, NonWorkingDayKind.CutiBersama })
        {
            var index = 0;
            foreach (var day in OfKind(kind))
            {
                var entry = EntryName(kind, index++, day.Date);
                if (day.Date.Year != Year)
                {
                    problems.Add(new CalendarProblem(entry, $"is not in {Year}"));
                }
                if (string.IsNullOrWhiteSpace(day.Name))
                {
                    problems.Add(new CalendarProblem(entry, "needs a name"));
                }
                else if (day.Name.Length > MaxNameLength)
                {
                    problems.Add(new CalendarProblem(entry, $"has a name longer than {MaxNameLength} characters"));
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

    /// <summary>An entry as the calendar JSON has it: <c>holidays[2] 2027-03-10</c>.</summary>
    public static string EntryName(NonWorkingDayKind kind, int index, DateOnly date) =>
        $"{(kind == NonWorkingDayKind.CutiBersama ? "cutiBersama" : "holidays")}[{index}] {date:yyyy-MM-dd}";
}

/// <summary>One problem of a calendar year: the entry (<c>holidays[2] 2027-13-01</c>, <c>source</c>) and what is wrong.</summary>
public sealed record CalendarProblem(string Entry, string Problem)
{
    public override string ToString() => $"{Entry}: {Problem}";
}

/// <summary>A date counted on the calendar, and whether a provisional year took part in counting it.</summary>
public readonly record struct CountedDate(DateOnly Date, bool Provisional);
