namespace Netralitas.Domain.Cases;

/// <summary>A reported neutrality violation by one ASN, and where its examination stands.</summary>
public sealed class NeutralityCase
{
    public const string CollectionName = "cases";

    public required string Id { get; init; }
    public required string Nip { get; init; }
    public required string ReportedName { get; init; }
    public required string InstansiCode { get; init; }
    public required string InstansiName { get; init; }
    public PositionKind PositionKind { get; init; }
    public string? PositionTitle { get; init; }
    public required string ElectionId { get; init; }
    public required string ViolationCode { get; init; }
    public DateOnly ActDate { get; init; }
    public required string ProvinceCode { get; init; }
    public string? Regency { get; init; }
    public ReportSource Source { get; init; }
    public string? SourceReference { get; init; }
    public List<string> EvidenceReferences { get; init; } = [];

    public CaseStatus Status { get; private set; } = CaseStatus.UnderExamination;
    public Period Period { get; init; }
    public Track Track { get; init; }
    public SanctionLevel CatalogSanction { get; init; }

    public Outcome DecisionOutcome { get; private set; }
    public string? DecisionReference { get; private set; }
    public DateOnly? DecidedOn { get; private set; }
    public string? DecisionNote { get; private set; }
    public DateTime? DecisionRecordedAt { get; private set; }

    /// <summary>The business date (Asia/Jakarta) the case was filed on.</summary>
    public DateOnly FiledOn { get; init; }

    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; internal set; }

    /// <summary>Incremented by every write; the optimistic-concurrency token and the etag's source.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>The <c>request_id</c> of the FileCase call that created the case, if it gave one.</summary>
    public string? FileRequestId { get; init; }

    /// <summary>A digest of that call's content, to tell a true repeat from a reused request id.</summary>
    public string? FileRequestFingerprint { get; private set; }

    internal NeutralityCase WithFileRequestFingerprint(string fingerprint)
    {
        FileRequestFingerprint = fingerprint;
        return this;
    }

    public string ResourceName => ResourceNameOf(Id);

    public Domain.Nip ParsedNip => Domain.Nip.FromValidated(Nip);

    public string Etag => $"\"{Version}\"";

    public static bool IsWellFormedEtag(string etag) =>
        etag.Length is > 2 and <= 21 && etag[0] == '"' && etag[^1] == '"' && etag[1..^1].All(char.IsAsciiDigit);

    /// <summary>Under examination or proven: the ASN still has something pending.</summary>
    public bool IsOpen => IsOpenStatus(Status);

    public static bool IsOpenStatus(CaseStatus status) => status is CaseStatus.UnderExamination or CaseStatus.Proven;

    public static string ResourceNameOf(string id) => $"{CollectionName}/{id}";

    /// <summary>Records the examination outcome. A case is decided once.</summary>
    public void Decide(Outcome outcome, string reference, DateOnly decidedOn, string? note, DateTime recordedAt)
    {
        if (Status != CaseStatus.UnderExamination)
        {
            throw new StatePreconditionException(
                "CASE_ALREADY_DECIDED",
                $"{ResourceName} was already decided ({Status}); a decision is recorded once.");
        }
        Status = outcome switch
        {
            Outcome.Proven => CaseStatus.Proven,
            Outcome.NotProven => CaseStatus.NotProven,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
        };
        DecisionOutcome = outcome;
        DecisionReference = reference;
        DecidedOn = decidedOn;
        DecisionNote = note;
        DecisionRecordedAt = recordedAt;
        Touch(recordedAt);
    }

    /// <summary>
    /// A recommendation was issued for the case: the case's version moves on, so that a second,
    /// concurrent issuance for the same case fails on the concurrency check instead of both landing.
    /// </summary>
    public void NoteRecommendationIssued(DateTime now)
    {
        RequireRecommendable();
        Touch(now);
    }

    /// <summary>A recommendation is issued only for a proven case whose sanction is not yet imposed.</summary>
    public void RequireRecommendable()
    {
        switch (Status)
        {
            case CaseStatus.Proven:
                return;
            case CaseStatus.Sanctioned:
                throw new StatePreconditionException("CASE_SANCTIONED",
                    $"{ResourceName} is already sanctioned: its recommendation was followed up in compliance.");
            default:
                throw new StatePreconditionException("CASE_NOT_PROVEN",
                    $"{ResourceName} is {Status}; a recommendation is issued only for a proven case.");
        }
    }

    /// <summary>The PPK imposed the recommended sanction: the case is closed.</summary>
    public void MarkSanctioned(DateTime now)
    {
        if (Status != CaseStatus.Proven)
        {
            throw new StatePreconditionException("CASE_NOT_PROVEN", $"{ResourceName} is {Status}; only a proven case is sanctioned.");
        }
        Status = CaseStatus.Sanctioned;
        Touch(now);
    }

    private void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }
}
