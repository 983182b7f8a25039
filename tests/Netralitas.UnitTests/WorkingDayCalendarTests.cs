using Netralitas.Gateway.Domain;

namespace Netralitas.UnitTests;

public sealed class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Official = Gateway.Data.ReferenceDataLoader.LoadCalendar(new Gateway.Data.ReferenceDataOptions());

    // A made-up year to pin the counting rule: 2030-01-01 (Tuesday) is a holiday, 2030-01-02 cuti bersama.
    private static readonly WorkingDayCalendar Synthetic = new([
        new CalendarYear(2030, "test", [
            new NonWorkingDay(new DateOnly(2030, 1, 1), "Tahun Baru", NonWorkingDayKind.NationalHoliday),
            new NonWorkingDay(new DateOnly(2030, 1, 2), "Cuti bersama", NonWorkingDayKind.CutiBersama),
        ]),
    ]);

    [Fact]
    public void The_start_date_is_day_zero_and_weekends_holidays_and_cuti_bersama_do_not_count()
    {
        // A letter dated on the holiday itself (Tue 1 Jan) is day 0; Wed 2 Jan is cuti bersama,
        // so day 1 = Thu 3 Jan, day 2 = Fri 4 Jan, day 3 = Mon 7 Jan.
        Assert.Equal(new DateOnly(2030, 1, 3), Synthetic.AddWorkingDays(new DateOnly(2030, 1, 1), 1));
        Assert.Equal(new DateOnly(2030, 1, 7), Synthetic.AddWorkingDays(new DateOnly(2030, 1, 1), 3));
        Assert.Equal(new DateOnly(2030, 1, 1), Synthetic.AddWorkingDays(new DateOnly(2030, 1, 1), 0));
        // 14 working days from Thursday 3 Jan: 4, 7-11, 14-18, 21-23 Jan.
        Assert.Equal(new DateOnly(2030, 1, 23), Synthetic.AddWorkingDays(new DateOnly(2030, 1, 3), 14));
    }

    [Fact]
    public void Working_days_between_counts_left_and_overdue()
    {
        var deadline = new DateOnly(2030, 1, 23);
        Assert.Equal(5, Synthetic.WorkingDaysBetween(new DateOnly(2030, 1, 16), deadline));
        Assert.Equal(0, Synthetic.WorkingDaysBetween(deadline, deadline));
        Assert.Equal(-2, Synthetic.WorkingDaysBetween(new DateOnly(2030, 1, 25), deadline));
    }

    [Fact]
    public void A_year_without_an_official_list_is_an_explicit_error_not_a_guess()
    {
        var error = Assert.Throws<StatePreconditionException>(() => Synthetic.AddWorkingDays(new DateOnly(2030, 12, 20), 14));
        Assert.Equal("CALENDAR_YEAR_UNKNOWN", error.Reason);
        Assert.Contains("2031", error.Message);
        Assert.Throws<StatePreconditionException>(() => Synthetic.IsWorkingDay(new DateOnly(2029, 12, 31)));
    }

    [Fact]
    public void A_day_outside_its_year_or_listed_twice_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => new WorkingDayCalendar([
            new CalendarYear(2030, "test", [new NonWorkingDay(new DateOnly(2031, 1, 1), "x", NonWorkingDayKind.NationalHoliday)]),
        ]));
        Assert.Throws<InvalidDataException>(() => new WorkingDayCalendar([
            new CalendarYear(2030, "test", [
                new NonWorkingDay(new DateOnly(2030, 1, 1), "x", NonWorkingDayKind.NationalHoliday),
                new NonWorkingDay(new DateOnly(2030, 1, 1), "y", NonWorkingDayKind.CutiBersama),
            ]),
        ]));
    }

    // Deadlines of 14 working days against the shipped official lists, each counted by hand
    // (H = national holiday, C = cuti bersama, weekends skipped).
    [Theory]
    // Idul Fitri 2024: letter Fri 5 Apr; 8-9 C, 10-11 H, 12 C, 15 C; count from Tue 16 Apr:
    // 16-19 (4), 22-26 (9), 29-30 (11), 1 May H, 2-3 May (13), 6 May (14).
    [InlineData("2024-04-05", "2024-05-06")]
    // Friday before a long weekend: Fri 9 May 2025; 12 Waisak H, 13 C; 14-16 (3), 19-23 (8), 26-28 (11),
    // 29 Ascension H, 30 C, 2-4 Jun (14).
    [InlineData("2025-05-09", "2025-06-04")]
    // Nyepi and Idul Fitri 2025: Thu 27 Mar; 28 C, 31 Mar-1 Apr H, 2-4 C, 7 C; 8-11 (4), 14-17 (8),
    // 18 Good Friday H, 21-25 (13), 28 Apr (14).
    [InlineData("2025-03-27", "2025-04-28")]
    // Year boundary: Fri 20 Dec 2024; 23-24 (2), 25 H, 26 C, 27 (3), 30-31 (5), 1 Jan H, 2-3 (7), 6-10 (12), 13-14 Jan 2025 (14).
    [InlineData("2024-12-20", "2025-01-14")]
    // Year boundary: Fri 19 Dec 2025; 22-24 (3), 25 H, 26 C, 29-31 (6), 1 Jan H, 2 (7), 5-9 (12), 12-13 Jan 2026 (14).
    [InlineData("2025-12-19", "2026-01-13")]
    public void Fourteen_working_days_match_the_hand_count(string letterDate, string deadline) =>
        Assert.Equal(DateOnly.Parse(deadline), Official.AddWorkingDays(DateOnly.Parse(letterDate), 14));

    [Theory]
    [InlineData("2024-02-14", NonWorkingDayKind.NationalHoliday)] // Pemilu voting day, Keppres 10/2024
    [InlineData("2024-11-27", NonWorkingDayKind.NationalHoliday)] // Pilkada voting day, Keppres 33/2024
    [InlineData("2025-08-18", NonWorkingDayKind.CutiBersama)]     // added by the amending SKB of 7 Aug 2025
    [InlineData("2026-03-24", NonWorkingDayKind.CutiBersama)]
    public void The_official_lists_hold_the_days_added_outside_the_first_SKB(string date, NonWorkingDayKind kind)
    {
        Assert.Equal(kind, Official.NonWorkingDayOn(DateOnly.Parse(date))!.Kind);
        Assert.False(Official.IsWorkingDay(DateOnly.Parse(date)));
    }

    [Fact]
    public void The_official_years_match_their_SKB_totals()
    {
        Assert.Equal(new[] { 2024, 2025, 2026 }, Official.Years.Select(y => y.Year));
        int Count(int year, NonWorkingDayKind kind) => Official.Years.Single(y => y.Year == year).Days.Count(d => d.Kind == kind);
        Assert.Equal((17 + 2, 10), (Count(2024, NonWorkingDayKind.NationalHoliday), Count(2024, NonWorkingDayKind.CutiBersama)));
        Assert.Equal((17, 11), (Count(2025, NonWorkingDayKind.NationalHoliday), Count(2025, NonWorkingDayKind.CutiBersama)));
        Assert.Equal((17, 8), (Count(2026, NonWorkingDayKind.NationalHoliday), Count(2026, NonWorkingDayKind.CutiBersama)));
    }

    [Fact]
    public void A_deadline_running_into_2027_is_refused_until_an_operator_adds_the_year()
    {
        var error = Assert.Throws<StatePreconditionException>(() => Official.AddWorkingDays(new DateOnly(2026, 12, 15), 14));
        Assert.Contains("2027", error.Message);

        var folder = Directory.CreateTempSubdirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "calendar"));
            File.WriteAllText(Path.Combine(folder.FullName, "calendar", "2027.json"), """
                { "year": 2027, "source": "test list", "holidays": [ { "date": "2027-01-01", "name": "Tahun Baru 2027 Masehi" } ], "cutiBersama": [] }
                """);
            var extended = Gateway.Data.ReferenceDataLoader.LoadCalendar(new Gateway.Data.ReferenceDataOptions { ExtraDirectory = folder.FullName });
            // Tue 15 Dec 2026: 16-18 (3), 21-23 (6), 24 C, 25 H, 28-31 (10), 1 Jan H, 4-7 Jan 2027 (14).
            Assert.Equal(new DateOnly(2027, 1, 7), extended.AddWorkingDays(new DateOnly(2026, 12, 15), 14));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
