using Netralitas.Adapters.ReferenceData;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;

namespace Netralitas.UnitTests;

public sealed class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Official = Adapters.ReferenceData.ReferenceDataLoader.LoadCalendar(new Adapters.ReferenceData.ReferenceDataOptions());

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
        Assert.Equal(new DateOnly(2030, 1, 3), Synthetic.AddWorkingDays(new DateOnly(2030, 1, 1), 1).Date);
        Assert.Equal(new DateOnly(2030, 1, 7), Synthetic.AddWorkingDays(new DateOnly(2030, 1, 1), 3).Date);
        Assert.Equal(new DateOnly(2030, 1, 1), Synthetic.AddWorkingDays(new DateOnly(2030, 1, 1), 0).Date);
        // 14 working days from Thursday 3 Jan: 4, 7-11, 14-18, 21-23 Jan.
        Assert.Equal(new DateOnly(2030, 1, 23), Synthetic.AddWorkingDays(new DateOnly(2030, 1, 3), 14).Date);
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
    public void A_year_with_a_list_counts_officially_and_one_without_counts_provisionally()
    {
        var within = Synthetic.AddWorkingDays(new DateOnly(2030, 1, 1), 14);
        Assert.False(within.Provisional);
        // Fri 20 Dec 2030 (the synthetic 2030 lists no Christmas): 23-27 (5), 30-31 (7), 1 Jan 2031 a
        // provisional holiday, 2-3 (9), 6-10 Jan 2031 (14): 2031 has no list, so the date is provisional.
        var across = Synthetic.AddWorkingDays(new DateOnly(2030, 12, 20), 14);
        Assert.Equal(new CountedDate(new DateOnly(2031, 1, 10), Provisional: true), across);
        Assert.True(Synthetic.IsProvisionalBetween(new DateOnly(2030, 12, 31), new DateOnly(2031, 1, 1)));
        Assert.True(Synthetic.IsProvisionalBetween(new DateOnly(2031, 1, 1), new DateOnly(2030, 12, 31)));
        Assert.False(Synthetic.IsProvisionalBetween(new DateOnly(2029, 12, 31), new DateOnly(2030, 12, 31)));
        Assert.True(Synthetic.Year(2031).Provisional);
        Assert.False(Synthetic.Year(2030).Provisional);
    }

    [Fact]
    public void A_day_outside_its_year_listed_twice_or_a_cuti_bersama_on_a_weekend_is_refused_naming_the_entry()
    {
        var year = new CalendarYear(2030, "test", [
            new NonWorkingDay(new DateOnly(2031, 1, 1), "outside", NonWorkingDayKind.NationalHoliday),
            new NonWorkingDay(new DateOnly(2030, 1, 1), "x", NonWorkingDayKind.NationalHoliday),
            new NonWorkingDay(new DateOnly(2030, 1, 1), "y", NonWorkingDayKind.CutiBersama),
            new NonWorkingDay(new DateOnly(2030, 1, 5), "a Saturday", NonWorkingDayKind.CutiBersama),
        ]);
        var problems = year.Problems().Select(p => p.ToString()).ToArray();
        Assert.Equal(3, problems.Length);
        Assert.Contains(problems, p => p.StartsWith("holidays[0] 2031-01-01: is not in 2030", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cutiBersama[0] 2030-01-01: is listed twice (also holidays[1]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cutiBersama[1] 2030-01-05: is a Saturday", StringComparison.Ordinal));
        Assert.Throws<InvalidDataException>(() => new WorkingDayCalendar([year]));
        Assert.Contains(new CalendarYear(2030, " ", []).Problems(), p => p.Entry == "source");
        // A national holiday on a weekend is normal (Easter is always on a Sunday).
        Assert.Empty(new CalendarYear(2030, "test", [new NonWorkingDay(new DateOnly(2030, 4, 21), "Paskah", NonWorkingDayKind.NationalHoliday)]).Problems());
    }

    [Theory]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2028, "2028-04-16")]
    [InlineData(2032, "2032-03-28")]
    [InlineData(2038, "2038-04-25")]
    [InlineData(2285, "2285-03-22")]
    public void Easter_is_computed_as_the_official_lists_and_the_tables_give_it(int year, string easter) =>
        Assert.Equal(DateOnly.Parse(easter), ProvisionalCalendar.EasterSunday(year));

    [Fact]
    public void The_provisional_years_holidays_agree_with_the_official_lists_on_every_day_they_hold()
    {
        // Each provisional day is a national holiday of the official list of its year.
        foreach (var official in Official.OfficialYears)
        {
            var listed = official.Days.Where(d => d.Kind == NonWorkingDayKind.NationalHoliday).Select(d => d.Date).ToHashSet();
            Assert.All(ProvisionalCalendar.For(official.Year).Days, d => Assert.Contains(d.Date, listed));
        }
    }

    // Provisional 2028 (Easter Sun 16 Apr: Good Friday 14 Apr, Ascension Thu 25 May; 1 May is a Monday,
    // 1 Jun a Thursday), counted by hand: only weekends and those days are skipped.
    [Theory]
    // Fri 7 Apr: 10-13 (4), 14 Good Friday, 17-21 (9), 24-28 Apr (14).
    [InlineData("2028-04-07", "2028-04-28")]
    // Thu 20 Apr: 21 (1), 24-28 (6), 1 May H, 2-5 (10), 8-11 May (14).
    [InlineData("2028-04-20", "2028-05-11")]
    // Fri 12 May: 15-19 (5), 22-24 (8), 25 Ascension, 26 (9), 29-31 (12), 1 Jun H, 2 Jun (13), 5 Jun (14).
    [InlineData("2028-05-12", "2028-06-05")]
    // Provisional 2032 (Easter Sun 28 Mar: Good Friday 26 Mar, Ascension Thu 6 May; 1 May is a Saturday).
    // Fri 19 Mar: 22-25 (4), 26 Good Friday, 29 Mar-2 Apr (9), 5-9 Apr (14).
    [InlineData("2032-03-19", "2032-04-09")]
    // Wed 28 Apr: 29-30 (2), 3-5 May (5), 6 Ascension, 7 (6), 10-14 (11), 17-19 May (14).
    [InlineData("2032-04-28", "2032-05-19")]
    public void Fourteen_working_days_on_a_provisional_year_match_the_hand_count(string letterDate, string deadline) =>
        Assert.Equal(new CountedDate(DateOnly.Parse(deadline), Provisional: true), Official.AddWorkingDays(DateOnly.Parse(letterDate), 14));

    [Fact]
    public void A_provisional_year_lists_the_fixed_date_and_Easter_based_holidays_with_their_names()
    {
        var year = ProvisionalCalendar.For(2028);
        Assert.True(year.Provisional);
        Assert.Equal(
            ["2028-01-01", "2028-04-14", "2028-04-16", "2028-05-01", "2028-05-25", "2028-06-01", "2028-08-17", "2028-12-25"],
            year.Days.Select(d => d.Date.ToString("yyyy-MM-dd")));
        Assert.Equal("Wafat Yesus Kristus", year.Days[1].Name);
        Assert.DoesNotContain(year.Days, d => d.Kind == NonWorkingDayKind.CutiBersama);
        // Ascension on 1 May (Easter 23 Mar 2008): one day with both names.
        Assert.Contains(ProvisionalCalendar.For(2008).Days, d => d.Date == new DateOnly(2008, 5, 1) && d.Name.Contains("Kenaikan") && d.Name.Contains("Buruh"));
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
        Assert.Equal(new CountedDate(DateOnly.Parse(deadline), Provisional: false), Official.AddWorkingDays(DateOnly.Parse(letterDate), 14));

    [Theory]
    [InlineData("2024-02-14", NonWorkingDayKind.NationalHoliday)] // Pemilu voting day, Keppres 10/2024
    [InlineData("2024-11-27", NonWorkingDayKind.NationalHoliday)] // Pilkada voting day, Keppres 33/2024
    [InlineData("2025-08-18", NonWorkingDayKind.CutiBersama)]     // added by the amending SKB of 7 Aug 2025
    [InlineData("2026-03-24", NonWorkingDayKind.CutiBersama)]
    public void The_official_lists_hold_the_days_added_outside_the_first_SKB(string date, NonWorkingDayKind kind)
    {
        Assert.Equal(kind, Official.Year(DateOnly.Parse(date).Year).Days.Single(d => d.Date == DateOnly.Parse(date)).Kind);
        Assert.False(Official.IsWorkingDay(DateOnly.Parse(date)));
    }

    [Fact]
    public void The_official_years_match_their_SKB_totals()
    {
        Assert.Equal(new[] { 2024, 2025, 2026, 2027 }, Official.OfficialYears.Select(y => y.Year));
        int Count(int year, NonWorkingDayKind kind) => Official.Year(year).Days.Count(d => d.Kind == kind);
        Assert.Equal((17 + 2, 10), (Count(2024, NonWorkingDayKind.NationalHoliday), Count(2024, NonWorkingDayKind.CutiBersama)));
        Assert.Equal((17, 11), (Count(2025, NonWorkingDayKind.NationalHoliday), Count(2025, NonWorkingDayKind.CutiBersama)));
        Assert.Equal((17, 8), (Count(2026, NonWorkingDayKind.NationalHoliday), Count(2026, NonWorkingDayKind.CutiBersama)));
        // SKB 1205/2026, 3/2026, 2/2026: 18 national holidays (Isra Mikraj twice) and 8 cuti bersama.
        Assert.Equal((18, 8), (Count(2027, NonWorkingDayKind.NationalHoliday), Count(2027, NonWorkingDayKind.CutiBersama)));
    }

    // 2027 as shipped, counted by hand.
    [Theory]
    // Thu 10 Dec 2026 (the day the shipped 2026 list alone would have stopped): 11 (1), 14-18 (6), 21-23 (9),
    // 24 C, 25 H, 28-31 (13), 1 Jan 2027 H, Mon 4 Jan (14).
    [InlineData("2026-12-10", "2027-01-04")]
    // Fri 11 Dec 2026: ... 28-31 (12), 1 Jan H, 4 Jan (13), 5 Jan Isra Mikraj H, Wed 6 Jan (14).
    [InlineData("2026-12-11", "2027-01-06")]
    // Idul Fitri 2027: Fri 5 Mar; 8 H Nyepi, 9 C, 10-11 H, 12 C, 15 C; 16-19 (4), 22-24 (7), 25 C, 26 H Good Friday,
    // 29 Mar-2 Apr (12), 5-6 Apr (14).
    [InlineData("2027-03-05", "2027-04-06")]
    public void Fourteen_working_days_in_2027_match_the_hand_count(string letterDate, string deadline) =>
        Assert.Equal(new CountedDate(DateOnly.Parse(deadline), Provisional: false), Official.AddWorkingDays(DateOnly.Parse(letterDate), 14));
}
