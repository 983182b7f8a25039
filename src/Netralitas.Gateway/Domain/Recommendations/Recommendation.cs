using Netralitas.Gateway.Domain.Cases;

namespace Netralitas.Gateway.Domain.Recommendations;

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
    public DateOnly DueOn { get; init; }
    public RecommendationStatus Status { get; private set; } = RecommendationStatus.AwaitingFollowUp;
    public List<FollowUp> FollowUps { get; init; } = [];
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; private set; }
    public long Version { get; private set; } = 1;
    public string? IssueRequestId { get; init; }
    public string? IssueRequestFingerprint { get; init; }

    public string ResourceName => ResourceNameOf(Id);
    public string CaseName => NeutralityCase.ResourceNameOf(CaseId);
    public string Etag => $"\"{Version}\"";
    public bool IsOpen => Status != RecommendationStatus.Complied;

    public static string ResourceNameOf(string id) => $"{CollectionName}/{id}";

    internal void InitializeUpdatedAt() => UpdatedAt = CreatedAt;

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
            FollowUps.Where(f => !f.Compliant).OrderBy(f => f.RecordedAt).ToArray());
    }

    /// <summary>The letter, then every decree, oldest first.</summary>
    public IReadOnlyList<FollowUpEvent> History() =>
    [
        new(CreatedAt, IssuedOn, "ISSUED",
            $"{AuthorityCode} letter {LetterNumber} to the PPK of {PpkInstansiName}: {SanctionLevel}; due {DueOn:yyyy-MM-dd}"),
        .. FollowUps.OrderBy(f => f.RecordedAt).Select(f => new FollowUpEvent(f.RecordedAt, f.DecreeDate,
            f.Compliant ? "FOLLOWED_UP_COMPLIANT" : "FOLLOWED_UP_LIGHTER",
            $"decree {f.DecreeNumber}: {f.ImposedLevel}{(f.Late ? ", late" : "")}")),
    ];

    /// <summary>
    /// Records the PPK's decree. At or above the recommended level it complies (late or not) and
    /// closes the recommendation; lighter, it is recorded as non-compliant and the recommendation stays open.
    /// </summary>
    public FollowUp RecordFollowUp(string decreeNumber, DateOnly decreeDate, SanctionLevel imposed, string? imposedForm,
        string? requestId, string? fingerprint, DateTime now)
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
        return followUp;
    }
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

public enum StandingKind { Complied, AwaitingNotDue, UnansweredOverdue, NonCompliant }

/// <summary>A recommendation judged on a date.</summary>
public sealed record Standing(
    Recommendation Recommendation,
    StandingKind Kind,
    bool Overdue,
    int WorkingDaysOverdue,
    IReadOnlyList<FollowUp> LighterFollowUps)
{
    /// <summary>Unanswered past the deadline, or answered with a lighter sanction.</summary>
    public bool IsFailing => Kind is StandingKind.UnansweredOverdue or StandingKind.NonCompliant;
}
