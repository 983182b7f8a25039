using System.Diagnostics.Metrics;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;

namespace Netralitas.Domain.Telemetry;

/// <summary>
/// The domain's meter, <c>Netralitas.Domain</c>: open-case checks, the index, escalation steps and the
/// calendar's horizon. Plain System.Diagnostics.Metrics: with no listener (telemetry off) a record is a
/// flag check; the gauges are read only when a listener collects.
/// </summary>
public sealed class DomainMetrics
{
    public const string MeterName = "Netralitas.Domain";

    private readonly Counter<long> _checks;
    private readonly Counter<long> _nipsChecked;
    private readonly Counter<long> _escalationSteps;

    public DomainMetrics(IMeterFactory meters, OpenCaseIndex index, CalendarBook calendars, BusinessClock clock)
    {
        var meter = meters.Create(MeterName);
        _checks = meter.CreateCounter<long>("netralitas.open_case.checks", "{check}",
            "Open-case checks answered: one per HasOpenCase call, one per BatchCheckOpenCases call or CheckOpenCases message.");
        _nipsChecked = meter.CreateCounter<long>("netralitas.open_case.nips_checked", "{nip}",
            "NIPs answered by open-case checks, invalid ones included.");
        _escalationSteps = meter.CreateCounter<long>("netralitas.escalation.steps", "{step}",
            "Escalation steps taken (not dry runs), by step: warned, reprimanded, blocked.");
        meter.CreateObservableGauge("netralitas.open_case.index.nips", () => index.NipCount, "{nip}",
            "NIPs with at least one open case in this replica's in-memory index.");
        meter.CreateObservableGauge("netralitas.calendar.days_remaining", () => DaysRemaining(calendars.Current, clock.Today), "d",
            "Days from today to the end of the last official calendar year reachable without a provisional year; 0 when this year is provisional.");
    }

    /// <summary>One check of <paramref name="nips"/> NIPs (one call, or one message of a stream).</summary>
    public void RecordOpenCaseCheck(int nips)
    {
        _checks.Add(1);
        _nipsChecked.Add(nips);
    }

    public void RecordEscalationSteps(IEnumerable<EscalationStepTaken> steps)
    {
        if (!_escalationSteps.Enabled)
        {
            return;
        }
        foreach (var step in steps)
        {
            _escalationSteps.Add(1, new KeyValuePair<string, object?>("netralitas.escalation.step", StepName(step.Kind)));
        }
    }

    private static string StepName(FollowUpEventKind kind) => kind switch
    {
        FollowUpEventKind.Warned => "warned",
        FollowUpEventKind.Reprimanded => "reprimanded",
        FollowUpEventKind.Blocked => "blocked",
        _ => "other",
    };

    /// <summary>The days deadlines can still be counted on an official list, from <paramref name="today"/>.</summary>
    public static int DaysRemaining(WorkingDayCalendar calendar, DateOnly today)
    {
        var year = today.Year;
        while (calendar.IsOfficial(year))
        {
            year++;
        }
        return year == today.Year ? 0 : new DateOnly(year - 1, 12, 31).DayNumber - today.DayNumber;
    }
}
