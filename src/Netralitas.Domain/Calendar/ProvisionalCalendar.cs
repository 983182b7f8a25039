namespace Netralitas.Domain.Calendar;

/// <summary>
/// The calendar of a year without an official list: weekends, the national holidays on fixed dates
/// (1 January, 1 May, 1 June, 17 August, 25 December) and the Christian holidays that follow from
/// Easter (Good Friday, Easter Sunday, Ascension). Islamic, Chinese, Balinese and Buddhist holidays
/// and every cuti bersama are missing: their dates are fixed by the SKB (the Islamic ones by the
/// Minister of Religion's ruling), not by arithmetic, so a provisional deadline is never later than
/// the official one will be, and usually earlier.
/// </summary>
public static class ProvisionalCalendar
{
    public static CalendarYear For(int year)
    {
        var easter = EasterSunday(year);
        var days = new List<(DateOnly Date, string Name)>
        {
            (new DateOnly(year, 1, 1), $"Tahun Baru {year} Masehi"),
            (easter.AddDays(-2), "Wafat Yesus Kristus"),
            (easter, "Kebangkitan Yesus Kristus (Paskah)"),
            (new DateOnly(year, 5, 1), "Hari Buruh Internasional"),
            (easter.AddDays(39), "Kenaikan Yesus Kristus"),
            (new DateOnly(year, 6, 1), "Hari Lahir Pancasila"),
            (new DateOnly(year, 8, 17), "Proklamasi Kemerdekaan"),
            (new DateOnly(year, 12, 25), "Kelahiran Yesus Kristus"),
        };
        // Ascension can fall on 1 May or 1 June (as in 2008 and 2000): one day, both names.
        var merged = days.GroupBy(d => d.Date).OrderBy(g => g.Key)
            .Select(g => new NonWorkingDay(g.Key, string.Join("; ", g.Select(d => d.Name)), NonWorkingDayKind.NationalHoliday))
            .ToArray();
        return new CalendarYear(year,
            $"Provisional: no official list (SKB 3 Menteri) of {year} is known yet. Weekends, the fixed-date national holidays " +
            "and the Easter-based holidays only; Islamic, Chinese, Balinese and Buddhist holidays and cuti bersama are missing, " +
            "so dates counted on it may move later when the official list arrives.",
            merged, Provisional: true) { Origin = "computed by the gateway" };
    }

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = (19 * a + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }
}
