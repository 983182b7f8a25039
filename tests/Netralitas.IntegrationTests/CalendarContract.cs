using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Netralitas.V1;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>
/// The working-day calendar over real gRPC: a deadline that runs into a year without an official
/// list is provisional; publishing the year moves it (once, with a history event) and the sweep uses
/// the new date; a step already taken stays, and a year that would move an acted-on deadline is refused.
/// 2028 has no shipped list, so it is provisional; its dates below are counted by hand.
/// </summary>
public abstract class CalendarContract<TDatabase> where TDatabase : ITestDatabase, new()
{
    // Letter Thu 16 Dec 2027: 17 (1), 20-23 (5), 24 cuti bersama, 27-31 (10), Sat 1 Jan 2028, 3-6 Jan (14):
    // due Thu 6 Jan 2028 on the provisional 2028.
    private static readonly DateOnly Letter = new(2027, 12, 16);
    private static readonly DateOnly ProvisionalDue = new(2028, 1, 6);

    [Fact]
    public async Task A_letter_of_10_December_2026_is_due_on_4_January_2027_on_the_shipped_official_2027()
    {
        await using var database = new TDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings, GatewayHost.ShiftedClock.At(new DateOnly(2026, 12, 10)));
        await host.WaitUntilServingAsync();
        var (cases, recommendations, _, catalog) = Clients(host);

        var recommendation = await IssueAsync(cases, recommendations, new DateOnly(2026, 12, 10));
        Assert.Equal(ToDate(new DateOnly(2027, 1, 4)), recommendation.DueOn);
        Assert.False(recommendation.DueOnProvisional);

        var year = await catalog.GetCalendarYearAsync(new GetCalendarYearRequest { Name = "calendarYears/2027" });
        Assert.False(year.Provisional);
        Assert.StartsWith("SKB Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB No. 1205/2026", year.Source);
        Assert.Equal((18, 8), (year.Holidays.Count, year.CutiBersama.Count));
        Assert.Equal("shipped file calendar/2027.json", year.Origin);
        Assert.NotNull(year.UpdateTime);
        // The years with a list, and no warning while 2027 has one (it is December 2026).
        var listed = await catalog.ListCalendarYearsAsync(new ListCalendarYearsRequest());
        Assert.Equal([2024, 2025, 2026, 2027], listed.CalendarYears.Select(y => y.Year));
        Assert.Empty(listed.Warnings);
    }

    [Fact]
    public async Task A_provisional_deadline_moves_once_when_the_year_is_published_and_the_sweep_follows_it()
    {
        await using var database = new TDatabase();
        var clock = GatewayHost.ShiftedClock.At(Letter);
        await using var host = await GatewayHost.StartAsync(database.Settings, clock);
        await host.WaitUntilServingAsync();
        var (cases, recommendations, compliance, catalog) = Clients(host);

        // From 1 October, a coming year without a list is a warning for operators.
        Assert.Contains((await catalog.ListCalendarYearsAsync(new ListCalendarYearsRequest())).Warnings, w => w.Contains("2028"));
        var provisional = await catalog.GetCalendarYearAsync(new GetCalendarYearRequest { Name = "calendarYears/2028" });
        Assert.True(provisional.Provisional);
        Assert.Equal(["2028-01-01", "2028-04-14", "2028-04-16", "2028-05-01", "2028-05-25", "2028-06-01", "2028-08-17", "2028-12-25"],
            provisional.Holidays.Select(Text));
        Assert.Null(provisional.UpdateTime);

        var recommendation = await IssueAsync(cases, recommendations, Letter);
        Assert.Equal(ToDate(ProvisionalDue), recommendation.DueOn);
        Assert.True(recommendation.DueOnProvisional);
        var status = await recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = recommendation.Name });
        Assert.True(status.DueOnProvisional);
        Assert.True(status.WorkingDaysLeftProvisional);
        Assert.True(status.History.Single().DueOnProvisional);
        Assert.Contains("(provisional calendar)", status.History.Single().Detail);

        // Mon 3 Jan 2028: three working days left (4, 5, 6): the DUE_SOON notice, counted on the provisional year.
        clock.MoveTo(new DateOnly(2028, 1, 3));
        var notice = await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = recommendation.PpkInstansiCode });
        Assert.Equal([FollowUpEventKind.DueSoon], notice.Steps.Select(s => s.Kind));
        Assert.True(notice.Steps.Single().Provisional);

        // 2028 published with a holiday on Tue 4 Jan: a dry run reports the move and stores nothing.
        var year2028 = Year2028(("2028-01-01", "Tahun Baru 2028 Masehi"), ("2028-01-04", "Hari libur uji"));
        var dry = await catalog.PublishCalendarYearAsync(new PublishCalendarYearRequest { CalendarJson = year2028, ValidateOnly = true });
        var planned = dry.DueDateChanges.Single();
        Assert.Equal((ToDate(ProvisionalDue), true, ToDate(new DateOnly(2028, 1, 7)), false),
            (planned.OldDueOn, planned.OldDueOnProvisional, planned.NewDueOn, planned.NewDueOnProvisional));
        Assert.True((await catalog.GetCalendarYearAsync(new GetCalendarYearRequest { Name = "calendarYears/2028" })).Provisional);
        Assert.Equal(ProvisionalDue, ToDay((await recommendations.GetRecommendationAsync(new GetRecommendationRequest { Name = recommendation.Name })).DueOn));

        var published = await catalog.PublishCalendarYearAsync(new PublishCalendarYearRequest { CalendarJson = year2028 });
        Assert.False(published.CalendarYear.Provisional);
        Assert.Equal("published by developer", published.CalendarYear.Origin);
        Assert.Equal(recommendation.Name, published.DueDateChanges.Single().Recommendation);
        var moved = await recommendations.GetRecommendationAsync(new GetRecommendationRequest { Name = recommendation.Name });
        Assert.Equal((ToDate(new DateOnly(2028, 1, 7)), false), (moved.DueOn, moved.DueOnProvisional));
        var history = (await recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = recommendation.Name })).History;
        Assert.Equal([FollowUpEventKind.Issued, FollowUpEventKind.DueSoon, FollowUpEventKind.DueDateRecomputed], history.Select(e => e.Kind));
        Assert.Contains("2028-01-06 (provisional calendar) -> 2028-01-07", history[^1].Detail);
        Assert.Equal((ToDate(new DateOnly(2028, 1, 7)), false), (history[^1].DueOn, history[^1].DueOnProvisional));

        // The same year again changes nothing; the sweep counts on the new date: Fri 7 Jan is not overdue,
        // Mon 10 Jan brings the notice and the warning. The DUE_SOON notice already taken is not repeated.
        Assert.True((await catalog.PublishCalendarYearAsync(new PublishCalendarYearRequest { CalendarJson = year2028 })).Unchanged);
        Assert.Empty((await PlanAsync(compliance, recommendation, new DateOnly(2028, 1, 7))).Steps);
        clock.MoveTo(new DateOnly(2028, 1, 10));
        var warned = await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = recommendation.PpkInstansiCode });
        Assert.Equal([FollowUpEventKind.Overdue, FollowUpEventKind.Warned], warned.Steps.Select(s => s.Kind));
        Assert.All(warned.Steps, s => Assert.False(s.Provisional));

        // An amendment that would move the due date, now passed and acted on, is refused naming its entry; nothing is stored.
        var amended = Year2028(("2028-01-01", "Tahun Baru 2028 Masehi"), ("2028-01-04", "Hari libur uji"), ("2028-01-05", "Hari libur uji 2"));
        var refused = await RpcAssert.InvalidArgumentAsync(() =>
            catalog.PublishCalendarYearAsync(new PublishCalendarYearRequest { CalendarJson = amended }).ResponseAsync, "calendar_json");
        Assert.StartsWith("holidays[2] 2028-01-05: would move the due date of " + recommendation.Name + " from 2028-01-07 to 2028-01-10", refused[0].Description);
        Assert.Equal(2, (await catalog.GetCalendarYearAsync(new GetCalendarYearRequest { Name = "calendarYears/2028" })).Holidays.Count);

        // An amendment after the due date is taken: the warning stays on 10 Jan, and the reprimand, five working
        // days after it, now skips Wed 12 Jan: not on Mon 17 Jan but on Tue 18 Jan.
        var later = Year2028(("2028-01-01", "Tahun Baru 2028 Masehi"), ("2028-01-04", "Hari libur uji"), ("2028-01-12", "Hari libur uji 3"));
        Assert.Empty((await catalog.PublishCalendarYearAsync(new PublishCalendarYearRequest { CalendarJson = later })).DueDateChanges);
        Assert.Empty((await PlanAsync(compliance, recommendation, new DateOnly(2028, 1, 17))).Steps);
        Assert.Equal([FollowUpEventKind.Reprimanded], (await PlanAsync(compliance, recommendation, new DateOnly(2028, 1, 18))).Steps.Select(s => s.Kind));
        var actions = await compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest { Recommendation = recommendation.Name });
        Assert.Equal(ToDate(new DateOnly(2028, 1, 10)), actions.Actions.Single().BusinessDate);
    }

    [Fact]
    public async Task A_bad_calendar_is_refused_naming_every_entry_and_nothing_is_stored()
    {
        await using var database = new TDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings, GatewayHost.ShiftedClock.At(new DateOnly(2027, 12, 1)));
        await host.WaitUntilServingAsync();
        var (_, _, _, catalog) = Clients(host);
        Task Publish(string json) => catalog.PublishCalendarYearAsync(new PublishCalendarYearRequest { CalendarJson = json }).ResponseAsync;

        var problems = await RpcAssert.InvalidArgumentAsync(() => Publish("""
            { "year": 2028, "source": "test", "holidays": [
                { "date": "2029-01-01", "name": "Tahun Baru" }, { "date": "2028-04-14", "name": "Wafat Yesus Kristus" } ],
              "cutiBersama": [ { "date": "2028-04-14", "name": "dua kali" }, { "date": "2028-04-15", "name": "Sabtu" } ] }
            """), "calendar_json", "calendar_json", "calendar_json");
        Assert.Equal(["holidays[0] 2029-01-01: is not in 2028", "cutiBersama[0] 2028-04-14: is listed twice (also holidays[1] 2028-04-14)"],
            problems.Take(2).Select(p => p.Description));
        Assert.StartsWith("cutiBersama[1] 2028-04-15: is a Saturday", problems[2].Description);

        var unknownKind = await RpcAssert.InvalidArgumentAsync(() => Publish("""
            { "year": 2028, "source": "test", "holidays": [], "cutiBersama": [], "liburDaerah": [ { "date": "2028-03-01", "name": "x" } ] }
            """), "calendar_json");
        Assert.Contains("liburDaerah", unknownKind[0].Description);
        var badDate = await RpcAssert.InvalidArgumentAsync(() => Publish("""
            { "year": 2028, "source": "test", "holidays": [ { "date": "2028-02-30", "name": "x" } ], "cutiBersama": [] }
            """), "calendar_json");
        Assert.Contains("$.holidays[0].date", badDate[0].Description);
        await RpcAssert.InvalidArgumentAsync(() => Publish("""{ "year": 2028, "source": "", "holidays": [], "cutiBersama": [] }"""), "calendar_json");
        var nullEntry = await RpcAssert.InvalidArgumentAsync(() => Publish("""{ "year": 2028, "source": "test", "holidays": [ null ], "cutiBersama": [] }"""), "calendar_json");
        Assert.Contains("$.holidays[0]: is null", nullEntry[0].Description);
        await RpcAssert.InvalidArgumentAsync(() => Publish(
            """{ "year": 2028, "source": "test", "holidays": [], "holidays": [ { "date": "2028-03-01", "name": "x" } ], "cutiBersama": [] }"""), "calendar_json");
        var longSource = await RpcAssert.InvalidArgumentAsync(() => Publish(Year2028Source(new string('x', 501))), "calendar_json");
        Assert.Equal("source: is longer than 500 characters", longSource[0].Description);
        await RpcAssert.InvalidArgumentAsync(() => Publish(""), "calendar_json");
        await RpcAssert.InvalidArgumentAsync(() => Publish("not json"), "calendar_json");
        await RpcAssert.InvalidArgumentAsync(() => catalog.GetCalendarYearAsync(new GetCalendarYearRequest { Name = "calendarYears/20x8" }).ResponseAsync, "name");
        await RpcAssert.InvalidArgumentAsync(() => catalog.GetCalendarYearAsync(new GetCalendarYearRequest { Name = "calendarYears/12028" }).ResponseAsync, "name");

        Assert.True((await catalog.GetCalendarYearAsync(new GetCalendarYearRequest { Name = "calendarYears/2028" })).Provisional);
    }

    private static async Task<Recommendation> IssueAsync(
        CaseService.CaseServiceClient cases, RecommendationService.RecommendationServiceClient recommendations, DateOnly letter)
    {
        var (proven, instansi) = await RecommendationSteps.ProvenCaseAsync(cases);
        var request = RecommendationSteps.Issue(proven, instansi);
        request.Recommendation.IssuedOn = ToDate(letter);
        return await recommendations.IssueRecommendationAsync(request);
    }

    private static Task<RunEscalationResponse> PlanAsync(ComplianceService.ComplianceServiceClient compliance, Recommendation recommendation, DateOnly day) =>
        compliance.RunEscalationAsync(new RunEscalationRequest { ValidateOnly = true, AsOf = ToDate(day), PpkInstansiCode = recommendation.PpkInstansiCode }).ResponseAsync;

    internal static string Year2028(params (string Date, string Name)[] holidays) => JsonSerializer.Serialize(new
    {
        year = 2028,
        source = "SKB uji (test list)",
        holidays = holidays.Select(h => new { date = h.Date, name = h.Name }),
        cutiBersama = Array.Empty<object>(),
    });

    private static string Year2028Source(string source) => JsonSerializer.Serialize(new
    {
        year = 2028,
        source,
        holidays = Array.Empty<object>(),
        cutiBersama = Array.Empty<object>(),
    });

    [Fact]
    public async Task Two_publications_of_one_year_cannot_both_take_the_same_version()
    {
        await using var database = new TDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings, GatewayHost.ShiftedClock.At(new DateOnly(2027, 12, 1)));
        await host.WaitUntilServingAsync();
        var year = new Domain.Calendar.CalendarYear(2028, "test", []) { Origin = "published by test", Version = 1 };
        using (var scope = host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Domain.Calendar.ICalendarStore>().AddAsync(year, "a", DateTime.UtcNow, CancellationToken.None);
        }
        using (var scope = host.Services.CreateScope())
        {
            await Assert.ThrowsAsync<Domain.ConcurrentModificationException>(() =>
                scope.ServiceProvider.GetRequiredService<Domain.Calendar.ICalendarStore>().AddAsync(year with { Source = "other" }, "b", DateTime.UtcNow, CancellationToken.None));
        }
    }

    internal static (CaseService.CaseServiceClient, RecommendationService.RecommendationServiceClient, ComplianceService.ComplianceServiceClient, CatalogService.CatalogServiceClient) Clients(GatewayHost host) =>
        (new(host.Channel), new(host.Channel), new(host.Channel), new(host.Channel));

    private static Date ToDate(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    private static DateOnly ToDay(Date date) => new(date.Year, date.Month, date.Day);

    private static string Text(CalendarDay day) => ToDay(day.Date).ToString("yyyy-MM-dd");
}

public sealed class CalendarOnSqlite : CalendarContract<SqliteTestDatabase>;

public sealed class CalendarOnPostgres : CalendarContract<PostgresTestDatabase>;

/// <summary>Two replicas on one PostgreSQL: a year published on one is counted with on the other, without a restart.</summary>
public sealed class CalendarAcrossReplicas
{
    [Fact]
    public async Task A_year_published_on_one_replica_is_used_by_the_other_without_a_restart()
    {
        await using var database = new PostgresTestDatabase();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Netralitas:Calendar:PollInterval"] = "00:00:00.200" };
        var clock = GatewayHost.ShiftedClock.At(new DateOnly(2027, 12, 16));
        await using var first = await GatewayHost.StartAsync(settings, clock);
        await first.WaitUntilServingAsync();
        await using var second = await GatewayHost.StartAsync(settings, clock);
        await second.WaitUntilServingAsync();
        var (_, _, _, publisher) = CalendarContract<PostgresTestDatabase>.Clients(first);
        var (cases, recommendations, _, reader) = CalendarContract<PostgresTestDatabase>.Clients(second);

        // Issued on the second replica while 2028 is provisional: due Thu 6 Jan 2028.
        var (proven, instansi) = await RecommendationSteps.ProvenCaseAsync(cases);
        var request = RecommendationSteps.Issue(proven, instansi);
        request.Recommendation.IssuedOn = new Date { Year = 2027, Month = 12, Day = 16 };
        var before = await recommendations.IssueRecommendationAsync(request);
        Assert.True(before.DueOnProvisional);

        await publisher.PublishCalendarYearAsync(new PublishCalendarYearRequest
        {
            CalendarJson = CalendarContract<PostgresTestDatabase>.Year2028(("2028-01-01", "Tahun Baru 2028 Masehi"), ("2028-01-04", "Hari libur uji")),
        });
        await Poll.UntilAsync(async () => !(await reader.GetCalendarYearAsync(new GetCalendarYearRequest { Name = "calendarYears/2028" })).Provisional,
            TimeSpan.FromSeconds(20));

        // The second replica counts with it: a new letter of the same day is due Fri 7 Jan, not provisional.
        var (another, otherInstansi) = await RecommendationSteps.ProvenCaseAsync(cases);
        var again = RecommendationSteps.Issue(another, otherInstansi);
        again.Recommendation.IssuedOn = new Date { Year = 2027, Month = 12, Day = 16 };
        var after = await recommendations.IssueRecommendationAsync(again);
        Assert.Equal((new Date { Year = 2028, Month = 1, Day = 7 }, false), (after.DueOn, after.DueOnProvisional));
        // And the first recommendation was moved once, whichever replica did it.
        var status = await recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = before.Name });
        Assert.Equal(new Date { Year = 2028, Month = 1, Day = 7 }, status.DueOn);
        Assert.Single(status.History, e => e.Kind == FollowUpEventKind.DueDateRecomputed);
    }
}
