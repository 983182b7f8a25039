namespace Netralitas.Domain.Cases;

/// <summary>The case registry's rules: filing, deciding and reading cases. (The open-case check reads <see cref="OpenCaseIndex"/> directly.)</summary>
public sealed class CaseRegistry(
    ICaseRepository repository,
    CaseIntake intake,
    OpenCaseRefresh refresh,
    Personnel.PersonnelSyncSignal personnelSync,
    BusinessClock clock)
{
    /// <summary>Files a report; a repeat of the same request id returns the first case.</summary>
    public async Task<NeutralityCase> FileAsync(FileCaseCommand command, CancellationToken cancellationToken)
    {
        var admitted = intake.Admit(command);
        if (admitted.FileRequestId is { } requestId)
        {
            var earlier = await repository.FindByFileRequestIdAsync(requestId, cancellationToken);
            if (earlier is not null)
            {
                return SameReportOrThrow(earlier, admitted);
            }
        }
        if (!await repository.TryAddAsync(admitted, cancellationToken))
        {
            // A concurrent call with the same request id committed first.
            var winner = await repository.FindByFileRequestIdAsync(admitted.FileRequestId!, cancellationToken)
                ?? throw new InvalidOperationException("A duplicate request id was reported but no case holds it.");
            return SameReportOrThrow(winner, admitted);
        }
        await refresh.AfterWriteAsync(admitted);
        personnelSync.Notify(); // the ASN's record is fetched from SIASN after, not during, the filing
        return admitted;
    }

    public async Task<NeutralityCase> GetAsync(string name, InstansiScope scope, CancellationToken cancellationToken)
    {
        var id = ParseName(name, "name");
        var found = await repository.FindAsync(id, cancellationToken) ?? throw scope.NotFound(name);
        scope.Ensure(found.InstansiCode, name);
        return found;
    }

    public async Task<(IReadOnlyList<NeutralityCase> Cases, string NextPageToken)> ListAsync(
        CaseFilter filter, InstansiScope scope, int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        filter = filter with { InstansiCode = scope.Filter(filter.InstansiCode, "instansi_code") };
        var errors = new ValidationErrors();
        Paging.CheckSize(pageSize, errors);
        if (filter.Nip.Length > 0 && !Nip.TryParse(filter.Nip, out _, out var nipError))
        {
            errors.Add("nip", nipError);
        }
        if (!Enum.IsDefined(filter.Status))
        {
            errors.Add("status", "is not a known case status");
        }
        Text.Filter(filter.InstansiCode, "instansi_code", FieldLengths.Code, errors);
        Text.Filter(filter.ElectionId, "election_id", FieldLengths.Code, errors);
        Text.Filter(filter.ProvinceCode, "province_code", FieldLengths.ProvinceCode, errors);
        errors.ThrowIfAny();

        var afterId = PageToken.Decode(pageToken, filter);
        var size = Paging.SizeOf(pageSize);
        var fetched = await repository.ListAsync(filter, afterId, size + 1, cancellationToken);
        return Paging.Cut(fetched, size, last => PageToken.Encode(last.Id, filter));
    }

    public async Task<NeutralityCase> DecideAsync(DecideCaseCommand command, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = TryParseName(command.Name, "name", errors);
        if (command.Outcome is not (Outcome.Proven or Outcome.NotProven))
        {
            errors.Add("outcome", "is required: PROVEN or NOT_PROVEN");
        }
        var reference = Text.Required(command.DecisionReference, "decision_reference", FieldLengths.Reference, errors);
        var decidedOn = Dates.PastOrToday(command.DecidedOn, "decided_on", clock.Today, errors);
        var note = Text.Optional(command.Note, "note", FieldLengths.DecisionNote, errors);
        if (command.Etag.Length > 0 && !NeutralityCase.IsWellFormedEtag(command.Etag))
        {
            errors.Add("etag", "is not an etag this service issued; send the etag of the case as read, or none");
        }
        errors.ThrowIfAny();

        var found = await repository.FindAsync(id!, cancellationToken) ?? throw new ResourceNotFoundException(command.Name);
        if (command.Etag.Length > 0 && command.Etag != found.Etag)
        {
            throw new ConcurrentModificationException(found.ResourceName);
        }
        if (decidedOn < found.ActDate)
        {
            throw new InvalidRequestException("decided_on", $"{decidedOn:yyyy-MM-dd} is before the act date {found.ActDate:yyyy-MM-dd}");
        }

        found.Decide(command.Outcome, reference!, decidedOn!.Value, note, clock.UtcNow);
        await repository.UpdateAsync(found, cancellationToken);
        await refresh.AfterWriteAsync(found);
        return found;
    }

    private static NeutralityCase SameReportOrThrow(NeutralityCase earlier, NeutralityCase repeat) =>
        RequestIds.SameRequestOrThrow(earlier, earlier.FileRequestFingerprint, repeat.FileRequestFingerprint,
            $"was already used for a different report ({earlier.ResourceName}); use a new request id for a new report");

    private static string ParseName(string name, string field)
    {
        var errors = new ValidationErrors();
        var id = TryParseName(name, field, errors);
        errors.ThrowIfAny();
        return id!;
    }

    private static string? TryParseName(string name, string field, ValidationErrors errors) =>
        ResourceNames.TryParse(name, NeutralityCase.CollectionName, field, errors);
}
