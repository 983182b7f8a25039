using Netralitas.Adapters.ReferenceData;
using System.Text.Json;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Recommendations;

namespace Netralitas.UnitTests;

/// <summary>
/// The escalation ladder on the official 2024 calendar. The letter of Fri 5 Apr 2024 is due Mon 6 May
/// (see the calendar tests). Counted by hand: warning Tue 7 May; reprimand five working days later,
/// skipping Ascension (9 May) and its cuti bersama (10 May): Thu 16 May; block five working days after
/// that, skipping Waisak (23 May) and its cuti bersama (24 May): Mon 27 May.
/// </summary>
public sealed class EscalationTests
{
    private static readonly WorkingDayCalendar Calendar = Adapters.ReferenceData.ReferenceDataLoader.LoadCalendar(new Adapters.ReferenceData.ReferenceDataOptions());
    private static readonly EscalationPolicy Policy = new(new EscalationOptions());
    private static readonly DateOnly Today = new(2024, 6, 3);
    private static readonly DateTime Now = new(2024, 5, 7, 2, 0, 0, DateTimeKind.Utc);

    private static Recommendation Recommend(SanctionLevel level = SanctionLevel.HdBerat, DateOnly? dueOn = null) =>
        Letters.Recommend(level, Now, dueOn);

    private static IReadOnlyList<FollowUpEventKind> Step(Recommendation recommendation, int month, int day)
    {
        var asOf = new DateOnly(2024, month, day);
        var planned = Policy.Plan(recommendation, asOf, Calendar);
        if (planned.Count > 0)
        {
            recommendation.Escalate(planned, asOf, EscalationPolicy.WorkingDaysOverdue(recommendation, asOf, Calendar), Now);
        }
        return planned;
    }

    [Fact]
    public void The_ladder_runs_notice_warning_reprimand_block_on_the_working_days_counted_by_hand()
    {
        var r = Recommend();
        Assert.Empty(Step(r, 4, 29));                                   // 4 working days left
        Assert.Equal([FollowUpEventKind.DueSoon], Step(r, 4, 30));      // 3 left: 2, 3 and 6 May
        Assert.Empty(Step(r, 5, 6));                                    // the due day; noticed once
        Assert.Equal([FollowUpEventKind.Overdue, FollowUpEventKind.Warned], Step(r, 5, 7));
        Assert.Empty(Step(r, 5, 15));                                   // 4 working days after the warning
        Assert.Equal([FollowUpEventKind.Reprimanded], Step(r, 5, 16));
        Assert.Empty(Step(r, 5, 24));                                   // cuti bersama Waisak; 4 working days
        Assert.Equal([FollowUpEventKind.Blocked], Step(r, 5, 27));
        Assert.Empty(Step(r, 7, 1));                                    // nothing after the block
        Assert.Equal(EscalationStage.Blocked, r.EscalationStage);
        Assert.True(r.IsBlocking);
        Assert.Equal(new DateOnly(2024, 5, 27), r.LastEscalatedOn);
    }

    [Fact]
    public void A_weekend_after_the_due_date_brings_the_overdue_notice_but_the_warning_waits_for_a_working_day()
    {
        var friday = Recommend(dueOn: new DateOnly(2024, 5, 17));
        Assert.Equal([FollowUpEventKind.Overdue], Step(friday, 5, 18));  // Saturday
        Assert.Empty(Step(friday, 5, 19));                               // Sunday
        Assert.Equal([FollowUpEventKind.Warned], Step(friday, 5, 20));   // Monday
    }

    [Fact]
    public void A_sweep_that_was_down_for_weeks_still_spaces_the_steps()
    {
        var r = Recommend();
        Assert.Equal([FollowUpEventKind.Overdue, FollowUpEventKind.Warned], Step(r, 7, 1));
        Assert.Empty(Step(r, 7, 2));
        Assert.Equal([FollowUpEventKind.Reprimanded], Step(r, 7, 8));
        Assert.Empty(Step(r, 7, 9));
    }

    [Fact]
    public void A_lighter_follow_up_does_not_stop_escalation_and_a_compliant_one_does()
    {
        var r = Recommend();
        r.RecordFollowUp("SK-1", new DateOnly(2024, 5, 2), SanctionLevel.HdSedang, null, null, null, Now, Today);
        Assert.Equal([FollowUpEventKind.DueSoon], Step(r, 5, 3));       // still open, not yet due
        Assert.Equal([FollowUpEventKind.Overdue, FollowUpEventKind.Warned], Step(r, 5, 7));
        r.RecordFollowUp("SK-2", new DateOnly(2024, 5, 8), SanctionLevel.HdBerat, null, null, null, Now, Today);
        Assert.Empty(Policy.Plan(r, new DateOnly(2024, 6, 3), Calendar));
        Assert.Throws<StatePreconditionException>(() => r.Escalate([FollowUpEventKind.Reprimanded], new DateOnly(2024, 6, 3), 10, Now));
    }

    [Fact]
    public void A_block_queues_one_command_and_a_compliant_decree_releases_it_and_writes_the_sanction_back()
    {
        var r = Recommend();
        Step(r, 5, 7);
        Step(r, 5, 16);
        r.ForgetNewRecords();
        Step(r, 5, 27);
        var block = Assert.Single(r.NewActions);
        Assert.Equal(EnforcementKind.Block, block.Kind);
        var blockCommand = Assert.Single(r.NewOutboxMessages);
        Assert.Equal((OutboxKind.Block, OutboxState.Pending, block.Id, blockCommand.Id), (blockCommand.Kind, blockCommand.State, blockCommand.EnforcementActionId, block.OutboxMessageId));
        Assert.Equal(r.Nip, JsonDocument.Parse(blockCommand.PayloadJson).RootElement.GetProperty("nip").GetString());
        Assert.True(r.ChangesBlock);
        r.ForgetNewRecords();

        r.RecordFollowUp("SK-1", new DateOnly(2024, 5, 28), SanctionLevel.HdSedang, null, null, null, Now, Today);
        Assert.Empty(r.NewActions);
        Assert.Empty(r.NewOutboxMessages);
        Assert.True(r.IsBlocking);
        Assert.Equal([FollowUpEventKind.FollowedUpLighter], r.NewEvents.Select(e => e.Kind));
        r.ForgetNewRecords();

        r.RecordFollowUp("SK-2", new DateOnly(2024, 5, 29), SanctionLevel.HdBerat, "penurunan jabatan’", null, null, Now, Today);
        Assert.Equal(EscalationStage.Released, r.EscalationStage);
        Assert.False(r.IsBlocking);
        Assert.Equal([EnforcementKind.Release], r.NewActions.Select(a => a.Kind));
        Assert.Equal(Today, r.NewActions[0].BusinessDate); // the day it was recorded, not the decree's date
        Assert.Equal(r.ResourceName, JsonDocument.Parse(r.NewOutboxMessages[0].PayloadJson).RootElement.GetProperty("blockReference").GetString());
        Assert.Contains("\"form\":\"penurunan jabatan’\"", r.NewOutboxMessages[1].PayloadJson); // readable, not \u-escaped
        Assert.Equal([OutboxKind.Release, OutboxKind.SanctionWriteBack], r.NewOutboxMessages.Select(m => m.Kind));
        Assert.Equal([FollowUpEventKind.FollowedUpCompliant, FollowUpEventKind.Released], r.NewEvents.Select(e => e.Kind));
        Assert.Equal(EscalationStage.Released, r.NewEvents[^1].EscalationStage);
    }

    [Fact]
    public void A_moral_sanction_is_not_written_back_as_a_disciplinary_one()
    {
        var r = Recommend(SanctionLevel.MoralOpen);
        r.RecordFollowUp("SK-1", new DateOnly(2024, 4, 30), SanctionLevel.MoralOpen, null, null, null, Now, Today);
        Assert.Equal(RecommendationStatus.Complied, r.Status);
        Assert.Empty(r.NewOutboxMessages);
        Assert.Empty(r.NewActions);
    }

    [Fact]
    public void A_plan_in_a_year_without_an_official_list_counts_on_its_provisional_calendar()
    {
        // Due Fri 29 Dec 2028 on the provisional 2028; Mon 1 Jan 2029 is a provisional holiday, so the
        // first working day after the due date, and the warning, is Tue 2 Jan 2029.
        var r = Recommend(dueOn: new DateOnly(2028, 12, 29));
        Assert.Equal([FollowUpEventKind.Overdue], Policy.Plan(r, new DateOnly(2029, 1, 1), Calendar));
        Assert.Equal([FollowUpEventKind.Overdue, FollowUpEventKind.Warned], Policy.Plan(r, new DateOnly(2029, 1, 2), Calendar));
    }
}

public sealed class TimeOrderedIdTests
{
    [Fact]
    public void Ids_made_in_one_millisecond_still_sort_in_the_order_they_were_made_and_are_uuid_v7()
    {
        var now = new DateTime(2024, 5, 27, 2, 0, 0, DateTimeKind.Utc);
        var ids = Enumerable.Range(0, 5000).Select(_ => TimeOrderedIds.New(now)).ToArray();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids.Take(3), id => Assert.Equal(7, Guid.Parse(id).Version));
        Assert.True(string.CompareOrdinal(TimeOrderedIds.New(now.AddSeconds(-1)), ids[^1]) > 0); // never backwards
    }
}

/// <summary>Counting a due date again when a calendar year arrives.</summary>
public sealed class DueDateRecomputeTests
{
    private static readonly DateTime Now = new(2028, 1, 3, 2, 0, 0, DateTimeKind.Utc);

    // Letter Thu 16 Dec 2027: due Thu 6 Jan 2028 on the provisional 2028 (see CalendarContract).
    private static Recommendation Provisional(WorkingDayCalendar calendar)
    {
        var recommendation = new Recommendation
        {
            Id = Guid.CreateVersion7().ToString("D"),
            CaseId = Guid.CreateVersion7().ToString("D"),
            Nip = "198609262015051001",
            AuthorityCode = "BKN",
            LetterNumber = "B-1/BKN/12/2027",
            IssuedOn = new DateOnly(2027, 12, 16),
            PpkInstansiCode = "3303",
            PpkInstansiName = "Kabupaten Purbalingga",
            SanctionLevel = SanctionLevel.HdSedang,
            CreatedAt = Now,
        };
        recommendation.RecordIssued(recommendation.DueDateOn(calendar), calendar.Revision);
        recommendation.ForgetNewRecords();
        return recommendation;
    }

    private static readonly WorkingDayCalendar Shipped = new(Adapters.ReferenceData.ReferenceDataLoader.LoadCalendarYears(new Adapters.ReferenceData.ReferenceDataOptions()), revision: 4);

    private static WorkingDayCalendar With2028(long revision, params string[] holidays) =>
        new(Shipped.OfficialYears.Append(new CalendarYear(2028, "test list",
            holidays.Select(h => new NonWorkingDay(DateOnly.Parse(h), "libur uji", NonWorkingDayKind.NationalHoliday)).ToArray())), revision);

    [Fact]
    public void A_new_year_moves_a_provisional_due_date_once_with_an_event()
    {
        var r = Provisional(Shipped);
        Assert.Equal(new CountedDate(new DateOnly(2028, 1, 6), true), new CountedDate(r.DueOn, r.DueOnProvisional));
        var official = With2028(5, "2028-01-04");
        Assert.Equal(RecomputeOutcome.Moved, r.Recompute(official, new DateOnly(2028, 1, 3), Now));
        Assert.Equal((new DateOnly(2028, 1, 7), false, 5L), (r.DueOn, r.DueOnProvisional, r.DueOnCalendarRevision));
        var recorded = Assert.Single(r.NewEvents);
        Assert.Equal(FollowUpEventKind.DueDateRecomputed, recorded.Kind);
        Assert.Equal("due 2028-01-06 (provisional calendar) -> 2028-01-07: counted on the official lists of 2027 and 2028", recorded.Detail);
        Assert.Equal(RecomputeOutcome.Unchanged, r.Recompute(official, new DateOnly(2028, 1, 3), Now));
    }

    [Fact]
    public void An_older_calendar_never_moves_a_date_back()
    {
        var r = Provisional(Shipped);
        r.Recompute(With2028(6, "2028-01-04"), new DateOnly(2028, 1, 3), Now);
        // A replica still on revision 5 (another 2028 list) is behind: nothing changes.
        Assert.Equal(RecomputeOutcome.Unchanged, r.Recompute(With2028(5), new DateOnly(2028, 1, 3), Now));
        Assert.Equal(new DateOnly(2028, 1, 7), r.DueOn);
    }

    [Fact]
    public void A_passed_due_date_that_was_acted_on_is_held()
    {
        var r = Provisional(Shipped);
        // Warned on Fri 7 Jan 2028, the first working day after the provisional due date.
        r.Escalate([FollowUpEventKind.Overdue, FollowUpEventKind.Warned], new DateOnly(2028, 1, 7), 1, Now);
        r.ForgetNewRecords();
        Assert.Equal(RecomputeOutcome.Held, r.Recompute(With2028(5, "2028-01-04"), new DateOnly(2028, 1, 10), Now));
        Assert.Equal((new DateOnly(2028, 1, 6), true), (r.DueOn, r.DueOnProvisional));
        Assert.Empty(r.NewEvents);
        // The same list confirming the date (no holiday before it) only takes the provisional mark away.
        Assert.Equal(RecomputeOutcome.Moved, r.Recompute(With2028(5, "2028-01-12"), new DateOnly(2028, 1, 10), Now));
        Assert.Equal((new DateOnly(2028, 1, 6), false), (r.DueOn, r.DueOnProvisional));
        Assert.Contains("as counted before, now counted on the official lists of 2027 and 2028", Assert.Single(r.NewEvents).Detail);
    }

    [Fact]
    public void A_calendar_in_force_gives_way_only_to_a_later_revision()
    {
        var book = new CalendarBook(Shipped);
        book.Replace(With2028(6));
        book.Replace(With2028(5, "2028-01-04"));
        Assert.Equal(6, book.Current.Revision);
        Assert.Empty(book.Current.Year(2028).Days);
    }
}
