using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;

namespace Netralitas.Domain.Recommendations;

/// <summary>A sanction the authority recommends for a proven case, and what the PPK did about it.</summary>
public sealed class Recommendation
{
    public const string CollectionName = "recommendations";

    /// <summary>Working days the PPK has to impose the sanction.</summary>
    public const int FollowUpWorkingDays = 14;

    public required string Id { get; init; }
    public required string CaseId { get; init; }
    public required string Nip { get; init; }
    public required string AuthorityCode { get; init; }
    public required string LetterNumber { get; init; }
    public DateOnly IssuedOn { get; init; }
    public required string PpkInstansiCode { get; init; }
    public required string PpkInstansiName { get; init; }
    public SanctionLevel SanctionLevel { get; init; }
    public string? SanctionForm { get; init; }
    public DateOnly DueOn { get; private set; }
    /// <summary>The due date was counted on a provisional calendar year: it may move when the official list arrives.</summary>
    public bool DueOnProvisional { get; private set; }
    /// <summary>The calendar revision the due date was counted on: a calendar older than this one never moves it back.</summary>
    public long DueOnCalendarRevision { get; private set; }
    public RecommendationStatus Status { get; private set; } = RecommendationStatus.AwaitingFollowUp;
    public List<FollowUp> FollowUps { get; init; } = [];
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; private set; }
    public long Version { get; private set; } = 1;
    public string? IssueRequestId { get; init; }
    public string? IssueRequestFingerprint { get; init; }
    public EscalationStage EscalationStage { get; private set; } = EscalationStage.NotEscalated;
    public DateOnly? LastEscalatedOn { get; private set; }
    public DateTime? BlockedAt { get; private set; }
    public bool DueSoonNoticed { get; private set; }
    public bool OverdueNoticed { get; private set; }

    // What a change produced besides the recommendation itself; the store writes it in the same
    // transaction and then forgets it.
    private readonly List<FollowUpEvent> _newEvents = [];
    private readonly List<EnforcementAction> _newActions = [];
    private readonly List<OutboxMessage> _newOutboxMessages = [];

    public IReadOnlyList<FollowUpEvent> NewEvents => _newEvents;
    public IReadOnlyList<EnforcementAction> NewActions => _newActions;
    public IReadOnlyList<OutboxMessage> NewOutboxMessages => _newOutboxMessages;

    /// <summary>Whether the pending change blocks or releases the ASN's data.</summary>
    public bool ChangesBlock => _newActions.Any(a => a.Kind is EnforcementKind.Block or EnforcementKind.Release);

    /// <summary>The ASN's data is blocked on this recommendation's account.</summary>
    public bool IsBlocking => EscalationStage == EscalationStage.Blocked;

    public string ResourceName => ResourceNameOf(Id);
    public string CaseName => NeutralityCase.ResourceNameOf(CaseId);
    public string Etag => $"\"{Version}\"";
    public bool IsOpen => Status != RecommendationStatus.Complied;

    public static string ResourceNameOf(string id) => $"{CollectionName}/{id}";

    /// <summary>Called once on a new recommendation: sets the due date and records the ISSUED event.</summary>
    internal void RecordIssued(CountedDate due, long calendarRevision)
    {
        (DueOn, DueOnProvisional) = due;
        DueOnCalendarRevision = calendarRevision;
        UpdatedAt = CreatedAt;
        Record(FollowUpEventKind.Issued, IssuedOn,
            $"{AuthorityCode} letter {LetterNumber} to the PPK of {PpkInstansiName}: {SanctionLevel}; due {DescribeDue(due)}", CreatedAt);
    }

    /// <summary>The due date counted on <paramref name="calendar"/>.</summary>
    public CountedDate DueDateOn(WorkingDayCalendar calendar) => calendar.AddWorkingDays(IssuedOn, FollowUpWorkingDays);

    /// <summary>
    /// Counts the due date again on <paramref name="calendar"/> (a calendar year arrived or changed);
    /// a move is recorded as a DUE_DATE_RECOMPUTED event dated <paramref name="today"/>. Escalation
    /// steps already taken keep their dates; the next ones are counted from the new due date. A due
    /// date that has passed and on which a step was taken is held: moving it would make that step
    /// premature. A calendar older than the one the date was counted on changes nothing.
    /// </summary>
    public RecomputeOutcome Recompute(WorkingDayCalendar calendar, DateOnly today, DateTime now)
    {
        if (!IsOpen || calendar.Revision < DueOnCalendarRevision || !DueDateMovesOn(calendar, out var due))
        {
            return RecomputeOutcome.Unchanged;
        }
        if (due.Date != DueOn && DueOn < today && EscalationStage != EscalationStage.NotEscalated)
        {
            return RecomputeOutcome.Held;
        }
        var before = new CountedDate(DueOn, DueOnProvisional);
        (DueOn, DueOnProvisional) = due;
        DueOnCalendarRevision = calendar.Revision;
        UpdatedAt = now;
        Version++;
        var because = due.Provisional
            ? "the working-day calendar changed; still counted on a provisional year"
            : "counted on the official list" + (IssuedOn.AddDays(1).Year == due.Date.Year
                ? $" of {due.Date.Year}"
                : $"s of {string.Join(" and ", Enumerable.Range(IssuedOn.AddDays(1).Year, due.Date.Year - IssuedOn.AddDays(1).Year + 1))}");
        Record(FollowUpEventKind.DueDateRecomputed, today,
            due.Date == before.Date
                ? $"due {DescribeDue(due)}, as counted before, now {because}"
                : $"due {DescribeDue(before)} -> {DescribeDue(due)}: {because}", now);
        return RecomputeOutcome.Moved;
    }

    /// <summary>Whether counting on <paramref name="calendar"/> gives another due date, or another provisional mark.</summary>
    public bool DueDateMovesOn(WorkingDayCalendar calendar, out CountedDate due)
    {
        due = DueDateOn(calendar);
        return due != new CountedDate(DueOn, DueOnProvisional);
    }

    /// <summary>Whether judging this recommendation on <paramref name="asOf"/> counts on a provisional year.</summary>
    public bool CountsProvisionally(WorkingDayCalendar calendar, DateOnly asOf) =>
        calendar.IsProvisionalBetween(IssuedOn, asOf > DueOn ? asOf : DueOn);

    private static string DescribeDue(CountedDate due) =>
        due.Provisional ? $"{due.Date:yyyy-MM-dd} (provisional calendar)" : $"{due.Date:yyyy-MM-dd}";

    public void ForgetNewRecords()
    {
        _newEvents.Clear();
        _newActions.Clear();
        _newOutboxMessages.Clear();
    }

    /// <summary>Where the recommendation stands on <paramref name="asOf"/>, judged by its current state.</summary>
    public Standing StandingOn(DateOnly asOf, WorkingDayCalendar calendar)
    {
        var overdue = IsOpen && asOf > DueOn;
        var kind = Status switch
        {
            RecommendationStatus.Complied => StandingKind.Complied,
            RecommendationStatus.NonCompliant => StandingKind.NonCompliant,
            _ => overdue ? StandingKind.UnansweredOverdue : StandingKind.AwaitingNotDue,
        };
        return new Standing(this, kind, overdue, overdue ? calendar.WorkingDaysBetween(DueOn, asOf) : 0,
            overdue && (DueOnProvisional || calendar.IsProvisionalBetween(DueOn, asOf)),
            FollowUps.Where(f => !f.Compliant).OrderBy(f => f.RecordedAt).ToArray());
    }

    /// <summary>
    /// Records the PPK's decree. At or above the recommended level it complies (late or not) and
    /// closes the recommendation; lighter, it is recorded as non-compliant and the recommendation stays open.
    /// </summary>
    public FollowUp RecordFollowUp(string decreeNumber, DateOnly decreeDate, SanctionLevel imposed, string? imposedForm,
        string? requestId, string? fingerprint, DateTime now, DateOnly today)
    {
        if (!IsOpen)
        {
            throw new StatePreconditionException("RECOMMENDATION_COMPLIED",
                $"{ResourceName} was already followed up with a compliant decree; nothing is left to record.");
        }
        var followUp = new FollowUp
        {
            DecreeNumber = decreeNumber,
            DecreeDate = decreeDate,
            ImposedLevel = imposed,
            ImposedForm = imposedForm,
            Compliant = imposed >= SanctionLevel,
            Late = decreeDate > DueOn,
            RecordedAt = now,
            RequestId = requestId,
            RequestFingerprint = fingerprint,
        };
        FollowUps.Add(followUp);
        Status = followUp.Compliant ? RecommendationStatus.Complied : RecommendationStatus.NonCompliant;
        UpdatedAt = now;
        Version++;
        Record(followUp.Compliant ? FollowUpEventKind.FollowedUpCompliant : FollowUpEventKind.FollowedUpLighter, decreeDate,
            $"decree {decreeNumber}: {imposed}{(followUp.Late ? ", late" : "")}", now);
        if (followUp.Compliant)
        {
            if (IsBlocking)
            {
                ReleaseBlock(followUp, now, today);
            }
            if (imposed >= SanctionLevel.HdRingan)
            {
                // Moral sanctions are not hukuman disiplin: only disciplinary ones go to the ASN's history in SIASN.
                Command(OutboxKind.SanctionWriteBack, null, now, OutboxPayloads.Write(new SanctionWriteBackPayload(
                    Nip, ResourceName, decreeNumber, decreeDate, imposed.ToString(), imposedForm ?? "", LetterNumber)));
            }
        }
        return followUp;
    }

    /// <summary>
    /// Takes the steps <see cref="EscalationPolicy.Plan"/> found due on <paramref name="asOf"/>: notices,
    /// then at most one of warning, reprimand, block. A block also queues the command to SIASN.
    /// </summary>
    public void Escalate(IReadOnlyList<FollowUpEventKind> steps, DateOnly asOf, int workingDaysOverdue, DateTime now)
    {
        if (!IsOpen)
        {
            throw new StatePreconditionException("RECOMMENDATION_COMPLIED", $"{ResourceName} was followed up; it is not escalated.");
        }
        foreach (var step in steps)
        {
            switch (step)
            {
                case FollowUpEventKind.DueSoon:
                    DueSoonNoticed = true;
                    Record(step, asOf, $"{-workingDaysOverdue} working days left; due {DueOn:yyyy-MM-dd}", now);
                    break;
                case FollowUpEventKind.Overdue:
                    OverdueNoticed = true;
                    Record(step, asOf, $"due {DueOn:yyyy-MM-dd}; no compliant decree", now);
                    break;
                case FollowUpEventKind.Warned:
                    TakeStep(EscalationStage.Warned, EnforcementKind.Warning, asOf, now,
                        $"peringatan to the PPK of {PpkInstansiName}: {workingDaysOverdue} working days overdue");
                    break;
                case FollowUpEventKind.Reprimanded:
                    TakeStep(EscalationStage.Reprimanded, EnforcementKind.Reprimand, asOf, now,
                        $"teguran to the PPK of {PpkInstansiName}: {workingDaysOverdue} working days overdue");
                    break;
                case FollowUpEventKind.Blocked:
                    BlockedAt = now;
                    TakeStep(EscalationStage.Blocked, EnforcementKind.Block, asOf, now,
                        $"pemblokiran of the personnel data of NIP {Nip} in SIASN: {workingDaysOverdue} working days overdue");
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(steps), step, "not an escalation step");
            }
        }
        UpdatedAt = now;
        Version++;
    }

    private void TakeStep(EscalationStage stage, EnforcementKind kind, DateOnly asOf, DateTime now, string detail)
    {
        EscalationStage = stage;
        LastEscalatedOn = asOf;
        Act(kind, asOf, now, detail);
        Record(stage switch
        {
            EscalationStage.Warned => FollowUpEventKind.Warned,
            EscalationStage.Reprimanded => FollowUpEventKind.Reprimanded,
            _ => FollowUpEventKind.Blocked,
        }, asOf, detail, now);
    }

    /// <summary>Dated the day it is recorded: a decree dated before the block still lifts it only now.</summary>
    private void ReleaseBlock(FollowUp followUp, DateTime now, DateOnly today)
    {
        EscalationStage = EscalationStage.Released;
        var detail = $"block of the personnel data of NIP {Nip} on account of {ResourceName} lifted after decree {followUp.DecreeNumber}";
        Act(EnforcementKind.Release, today, now, detail);
        Record(FollowUpEventKind.Released, today, detail, now);
    }

    private void Act(EnforcementKind kind, DateOnly businessDate, DateTime now, string detail)
    {
        var id = NewId(now);
        // A block is scoped to the recommendation that caused it (blockReference); its release lifts
        // only that one, so an ASN blocked on account of two recommendations stays blocked until both are followed up.
        OutboxKind? commandKind = kind switch
        {
            EnforcementKind.Block => OutboxKind.Block,
            EnforcementKind.Release => OutboxKind.Release,
            _ => null,
        };
        var command = commandKind is { } k
            ? Command(k, id, now, OutboxPayloads.Write(new BlockPayload(Nip, ResourceName, LetterNumber, PpkInstansiCode, detail)))
            : null;
        _newActions.Add(new EnforcementAction
        {
            Id = id,
            Kind = kind,
            RecommendationId = Id,
            CaseId = CaseId,
            Nip = Nip,
            PpkInstansiCode = PpkInstansiCode,
            PpkInstansiName = PpkInstansiName,
            BusinessDate = businessDate,
            CreatedAt = now,
            OutboxMessageId = command?.Id,
            Detail = detail,
        });
    }

    private OutboxMessage Command(OutboxKind kind, string? actionId, DateTime now, string payloadJson)
    {
        var id = NewId(now);
        var message = new OutboxMessage
        {
            Id = id,
            Kind = kind,
            Nip = Nip,
            RecommendationId = Id,
            EnforcementActionId = actionId,
            IdempotencyKey = id,
            PayloadJson = payloadJson,
            CreatedAt = now,
            NextAttemptAt = now,
            TraceParent = System.Diagnostics.Activity.Current is { Recorded: true } traced ? traced.Id : null,
        };
        _newOutboxMessages.Add(message);
        return message;
    }

    private void Record(FollowUpEventKind kind, DateOnly businessDate, string detail, DateTime now) =>
        _newEvents.Add(new FollowUpEvent
        {
            RecommendationId = Id,
            CaseId = CaseId,
            Nip = Nip,
            PpkInstansiCode = PpkInstansiCode,
            Kind = kind,
            BusinessDate = businessDate,
            Detail = detail.Length <= FollowUpEvent.MaxDetailLength ? detail : detail[..(FollowUpEvent.MaxDetailLength - 1)] + "…",
            OccurredAt = now,
            Status = Status,
            EscalationStage = EscalationStage,
            DueOn = DueOn,
            DueOnProvisional = DueOnProvisional,
        });

    private static string NewId(DateTime now) => TimeOrderedIds.New(now);

    // Readable payloads: Indonesian names and decree numbers stay as written, not \uXXXX-escaped.
}

/// <summary>One decree (SK) of the PPK on a recommendation.</summary>
public sealed class FollowUp
{
    public required string DecreeNumber { get; init; }
    public DateOnly DecreeDate { get; init; }
    public SanctionLevel ImposedLevel { get; init; }
    public string? ImposedForm { get; init; }
    public bool Compliant { get; init; }
    public bool Late { get; init; }
    public DateTime RecordedAt { get; init; }
    public string? RequestId { get; init; }
    public string? RequestFingerprint { get; init; }
}

public enum RecomputeOutcome
{
    Unchanged,
    Moved,
    /// <summary>The calendar would move a due date that has passed and was acted on: it stays.</summary>
    Held,
}

public enum StandingKind { Complied, AwaitingNotDue, UnansweredOverdue, NonCompliant }

/// <summary>A recommendation judged on a date.</summary>
public sealed record Standing(
    Recommendation Recommendation,
    StandingKind Kind,
    bool Overdue,
    int WorkingDaysOverdue,
    bool WorkingDaysOverdueProvisional,
    IReadOnlyList<FollowUp> LighterFollowUps)
{
    /// <summary>Unanswered past the deadline, or answered with a lighter sanction.</summary>
    public bool IsFailing => Kind is StandingKind.UnansweredOverdue or StandingKind.NonCompliant;
}
