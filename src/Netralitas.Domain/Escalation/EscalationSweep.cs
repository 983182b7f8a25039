using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Escalation;

/// <summary>
/// A step the sweep took, or in a dry run would take, and the recommendation right after it;
/// <paramref name="Provisional"/> when the working days that made it due were counted on a provisional year.
/// </summary>
public sealed record EscalationStepTaken(Recommendation Recommendation, FollowUpEventKind Kind, EscalationStage Stage, int WorkingDaysOverdue, bool Provisional);

public sealed record EscalationRun(DateOnly AsOf, bool ValidateOnly, int Examined, IReadOnlyList<EscalationStepTaken> Steps, int SkippedConcurrent);

/// <summary>
/// BKN's control of unanswered recommendations: takes every open recommendation through the steps
/// <see cref="EscalationPolicy"/> finds due. Each recommendation is escalated in its own transaction
/// under its version, and each step is unique per recommendation in the database, so sweeps racing
/// on several replicas take every step exactly once: the loser of a race leaves it to the winner.
/// </summary>
public sealed class EscalationSweep(
    IRecommendationRepository recommendations,
    EscalationPolicy policy,
    CalendarBook calendars,
    OpenCaseRefresh refresh,
    Telemetry.DomainMetrics metrics,
    BusinessClock clock)
{
    private const int BatchSize = 200;

    public async Task<EscalationRun> RunAsync(bool validateOnly, DateParts? asOf, string ppkInstansiCode, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var today = clock.Today;
        var day = Dates.OrToday(asOf, "as_of", today, errors);
        if (!validateOnly && asOf is not null && day != today)
        {
            errors.Add("as_of", $"a real run acts today ({today:yyyy-MM-dd}); set validate_only to see what another day would bring");
        }
        Text.Filter(ppkInstansiCode, "ppk_instansi_code", FieldLengths.Code, errors);
        errors.ThrowIfAny();

        // One calendar for the whole run, so that a year arriving meanwhile does not mix two in one answer.
        var calendar = calendars.Current;
        var steps = new List<EscalationStepTaken>();
        var examined = 0;
        var skipped = 0;
        string? after = null;
        while (true)
        {
            var batch = await recommendations.ListEscalatableAsync(ppkInstansiCode, after, BatchSize, cancellationToken);
            foreach (var candidate in batch)
            {
                examined++;
                var planned = policy.Plan(candidate, day, calendar);
                if (planned.Count == 0)
                {
                    continue;
                }
                if (validateOnly)
                {
                    steps.AddRange(StepsOf(candidate, planned, candidate.EscalationStage, day, calendar));
                }
                else if (await EscalateAsync(candidate.Id, day, calendar, cancellationToken) is { } taken)
                {
                    steps.AddRange(taken);
                }
                else if (await EscalateAsync(candidate.Id, day, calendar, cancellationToken) is { } afterRace)
                {
                    // Lost a race to another writer (a decree, say) that left the step due: taken on the fresh state.
                    steps.AddRange(afterRace);
                }
                else
                {
                    skipped++;
                }
            }
            if (batch.Count < BatchSize)
            {
                if (!validateOnly)
                {
                    metrics.RecordEscalationSteps(steps);
                }
                return new EscalationRun(day, validateOnly, examined, steps, skipped);
            }
            after = batch[^1].Id;
        }
    }

    /// <summary>Escalates one recommendation on its current state; null when another writer changed it first.</summary>
    private async Task<IReadOnlyList<EscalationStepTaken>?> EscalateAsync(string id, DateOnly day, WorkingDayCalendar calendar, CancellationToken cancellationToken)
    {
        var recommendation = await recommendations.FindAsync(id, cancellationToken);
        if (recommendation is null)
        {
            return null;
        }
        // Never act on a due date the calendar in force would count otherwise (a recompute not yet
        // done here): count it again first, in the same transaction as any step.
        var recounted = recommendation.Recompute(calendar, day, clock.UtcNow) == RecomputeOutcome.Moved;
        var planned = policy.Plan(recommendation, day, calendar);
        if (planned.Count == 0 && !recounted)
        {
            return null; // closed or stepped by another writer since it was listed
        }
        var stageBefore = recommendation.EscalationStage;
        if (planned.Count > 0)
        {
            recommendation.Escalate(planned, day, EscalationPolicy.WorkingDaysOverdue(recommendation, day, calendar), clock.UtcNow);
        }
        try
        {
            await recommendations.UpdateAsync(recommendation, null, cancellationToken);
        }
        catch (ConcurrentModificationException)
        {
            return null;
        }
        if (planned.Contains(FollowUpEventKind.Blocked))
        {
            await refresh.AfterWriteAsync(recommendation.Nip, recommendation.ResourceName);
        }
        return StepsOf(recommendation, planned, stageBefore, day, calendar);
    }

    private static EscalationStepTaken[] StepsOf(
        Recommendation recommendation, IReadOnlyList<FollowUpEventKind> planned, EscalationStage stageBefore, DateOnly day, WorkingDayCalendar calendar)
    {
        var overdue = EscalationPolicy.WorkingDaysOverdue(recommendation, day, calendar);
        var provisional = recommendation.CountsProvisionally(calendar, day);
        return planned.Select(kind => new EscalationStepTaken(recommendation, kind, StageAfter(kind, stageBefore), overdue, provisional)).ToArray();
    }

    private static EscalationStage StageAfter(FollowUpEventKind step, EscalationStage current) => step switch
    {
        FollowUpEventKind.Warned => EscalationStage.Warned,
        FollowUpEventKind.Reprimanded => EscalationStage.Reprimanded,
        FollowUpEventKind.Blocked => EscalationStage.Blocked,
        _ => current,
    };
}
