using Netralitas.Adapters.ReferenceData;
using Netralitas.Domain.Calendar;

namespace Netralitas.Adapters.ReferenceData;

/// <summary>A calendar year in the JSON of <c>calendar/&lt;year&gt;.json</c>: the files, the admin call and the database all use it.</summary>
public static class CalendarYearJson
{
    /// <summary>Reads the JSON; <see cref="InvalidDataException"/> names what is malformed (an unknown field, a bad date, a missing list).</summary>
    public static CalendarYear Parse(string json) => ToDomain(ReferenceDataFiles.ParseCalendarYear(json));

    public static string Write(CalendarYear year) => ReferenceDataFiles.SerializeCalendarYear(new CalendarYearFile(
        year.Year, year.Source,
        year.OfKind(NonWorkingDayKind.NationalHoliday).Select(d => new CalendarDayFile(d.Date, d.Name)).ToArray(),
        year.OfKind(NonWorkingDayKind.CutiBersama).Select(d => new CalendarDayFile(d.Date, d.Name)).ToArray()));

    public static CalendarYear ToDomain(CalendarYearFile file) => new(file.Year, file.Source,
        Days(file.Holidays, "holidays", NonWorkingDayKind.NationalHoliday)
            .Concat(Days(file.CutiBersama, "cutiBersama", NonWorkingDayKind.CutiBersama))
            .ToArray());

    // A list's elements may be JSON null, which the serializer's nullability checks do not reach.
    private static IEnumerable<NonWorkingDay> Days(IReadOnlyList<CalendarDayFile?> days, string list, NonWorkingDayKind kind) =>
        days.Select((d, i) => d is null
            ? throw new InvalidDataException($"$.{list}[{i}]: is null; an entry needs a date and a name")
            : new NonWorkingDay(d.Date, d.Name, kind));
}
