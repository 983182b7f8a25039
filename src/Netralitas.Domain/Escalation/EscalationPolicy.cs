using Netralitas.Domain.Calendar;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Escalation;

/// <summary>Configuration section <c>Netralitas:Escalation</c>.</summary>
public sealed class EscalationOptions
{
    public const string Section = "Netralitas:Escalation";

    /// <summary>Whether this replica runs the sweep in the background (RunEscalation works either way).</summary>
    public bool SweepEnabled { get; set; } = true;

    /// <summary>How often the background sweep runs.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Working days from a warning to the reprimand, and from the reprimand to the block.</summary>
    public int StepWorkingDays { get; set; } = 5;

    /// <summary>A DUE_SOON notice goes out when this many working days or fewer are left.</summary>
    public int DueSoonWorkingDays { get; set; } = 3;
}

/// <summary>
/// Decides which control steps are due for a recommendation on a business date. One call plans at
/// most one enforcement step, so that a sweep that was down for weeks still spaces the steps out:
/// the PPK always gets the configured working days between a warning and a reprimand, and between
/// a reprimand and a block.
/// </summary>
public sealed class EscalationPolicy(EscalationOptions options)
{
    public int StepWorkingDays => options.StepWorkingDays;

    /// <summary>The steps due on <paramref name="asOf"/>, in the order they are to be taken.</summary>
    public IReadOnlyList<FollowUpEventKind> Plan(Recommendation recommendation, DateOnly asOf, WorkingDayCalendar calendar)
    {
        if (!recommendation.IsOpen || asOf < recommendation.IssuedOn)
        {
            return [];
        }
        var steps = new List<FollowUpEventKind>(2);
        if (asOf <= recommendation.DueOn)
        {
            if (!recommendation.DueSoonNoticed && calendar.WorkingDaysBetween(asOf, recommendation.DueOn) <= options.DueSoonWorkingDays)
            {
                steps.Add(FollowUpEventKind.DueSoon);
            }
            return steps;
        }
        if (!recommendation.OverdueNoticed)
        {
            steps.Add(FollowUpEventKind.Overdue);
        }
        if (NextEnforcementStep(recommendation, asOf, calendar) is { } step)
        {
            steps.Add(step);
        }
        return steps;
    }

    /// <summary>Working days from the due date to <paramref name="asOf"/> (negative while time is left).</summary>
    public static int WorkingDaysOverdue(Recommendation recommendation, DateOnly asOf, WorkingDayCalendar calendar) =>
        calendar.WorkingDaysBetween(recommendation.DueOn, asOf);

    private FollowUpEventKind? NextEnforcementStep(Recommendation recommendation, DateOnly asOf, WorkingDayCalendar calendar) =>
        recommendation.EscalationStage switch
        {
            // The warning comes on the first working day after the due date.
            EscalationStage.NotEscalated when calendar.WorkingDaysBetween(recommendation.DueOn, asOf) >= 1 => FollowUpEventKind.Warned,
            EscalationStage.Warned when SpacedFromLastStep(recommendation, asOf, calendar) => FollowUpEventKind.Reprimanded,
            EscalationStage.Reprimanded when SpacedFromLastStep(recommendation, asOf, calendar) => FollowUpEventKind.Blocked,
            _ => null,
        };

    private bool SpacedFromLastStep(Recommendation recommendation, DateOnly asOf, WorkingDayCalendar calendar) =>
        recommendation.LastEscalatedOn is { } last && calendar.WorkingDaysBetween(last, asOf) >= options.StepWorkingDays;
}
