using System.Globalization;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;

namespace Netralitas.Domain.Recommendations;

/// <summary>
/// The recommending authority's desk: issues recommendations for proven cases, records the PPK's
/// follow-ups, and tells where a follow-up stands against its 14-working-day deadline.
/// </summary>
public sealed class RecommendationDesk(
    IRecommendationRepository recommendations,
    ICaseRepository cases,
    OpenCaseRefresh refresh,
    ReferenceCatalog catalog,
    CalendarBook calendars,
    CalendarDesk calendarDesk,
    BusinessClock clock)
{
    /// <summary>A reused request id names no resource: the earlier one may be another agency's.</summary>
    private const string ReusedRequestId = "was already used for a different request; use a new request id";

    private const string Prefix = "recommendation.";
    private const int MaxWriteAttempts = 3;

    public async Task<Recommendation> IssueAsync(IssueRecommendationCommand command, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var caseId = ResourceNames.TryParse(command.CaseName, NeutralityCase.CollectionName, "case", errors);
        if (string.IsNullOrWhiteSpace(command.AuthorityCode))
        {
            errors.Add(Prefix + "authority_code", "is required; see the authority catalog");
        }
        else if (catalog.FindAuthority(command.AuthorityCode) is null)
        {
            errors.Add(Prefix + "authority_code", $"'{Text.Shorten(command.AuthorityCode)}' is not a known authority; see the authority catalog");
        }
        var letterNumber = Text.Required(command.LetterNumber, Prefix + "letter_number", FieldLengths.Reference, errors);
        var issuedOn = Dates.PastOrToday(command.IssuedOn, Prefix + "issued_on", clock.Today, errors);
        var ppkCode = Text.Required(command.PpkInstansiCode, Prefix + "ppk_instansi_code", FieldLengths.Code, errors);
        var ppkName = Text.Required(command.PpkInstansiName, Prefix + "ppk_instansi_name", FieldLengths.Name, errors);
        RequireLevel(command.SanctionLevel, Prefix + "sanction.level", errors);
        var form = Text.Optional(command.SanctionForm, Prefix + "sanction.form", FieldLengths.SanctionForm, errors);
        var requestId = RequestIds.Optional(command.RequestId, errors);
        errors.ThrowIfAny();

        var fingerprint = requestId is null ? null : RequestIds.Fingerprint(
            "issue-v1", caseId!, command.AuthorityCode, letterNumber!, issuedOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ppkCode!, ppkName!, ((int)command.SanctionLevel).ToString(CultureInfo.InvariantCulture), form ?? "");
        if (requestId is not null && await recommendations.FindByIssueRequestIdAsync(requestId, cancellationToken) is { } earlier)
        {
            return RequestIds.SameRequestOrThrow(earlier, earlier.IssueRequestFingerprint, fingerprint, ReusedRequestId);
        }

        var proven = await cases.FindAsync(caseId!, cancellationToken) ?? throw new ResourceNotFoundException(command.CaseName);
        proven.RequireRecommendable();
        if (proven.DecidedOn is { } decidedOn && issuedOn < decidedOn)
        {
            throw new InvalidRequestException(Prefix + "issued_on", $"{issuedOn:yyyy-MM-dd} is before the case was decided ({decidedOn:yyyy-MM-dd})");
        }
        if (await recommendations.FindLatestForCaseAsync(proven.Id, cancellationToken) is { IsOpen: true } open)
        {
            if (requestId is not null && open.IssueRequestId == requestId)
            {
                // A concurrent repeat of this very request committed meanwhile.
                return RequestIds.SameRequestOrThrow(open, open.IssueRequestFingerprint, fingerprint, ReusedRequestId);
            }
            throw new StatePreconditionException("RECOMMENDATION_EXISTS",
                $"{proven.ResourceName} already has an open recommendation ({open.ResourceName}); record its follow-up instead.");
        }

        var now = clock.UtcNow;
        proven.NoteRecommendationIssued(now);
        var recommendation = new Recommendation
        {
            Id = TimeOrderedIds.New(now),
            CaseId = proven.Id,
            Nip = proven.Nip,
            AuthorityCode = command.AuthorityCode,
            LetterNumber = letterNumber!,
            IssuedOn = issuedOn!.Value,
            PpkInstansiCode = ppkCode!,
            PpkInstansiName = ppkName!,
            SanctionLevel = command.SanctionLevel,
            SanctionForm = form,
            CreatedAt = now,
            IssueRequestId = requestId,
            IssueRequestFingerprint = fingerprint,
        };
        var calendar = calendars.Current;
        recommendation.RecordIssued(recommendation.DueDateOn(calendar), calendar.Revision);
        if (!await recommendations.TryAddAsync(recommendation, proven, cancellationToken))
        {
            var winner = await recommendations.FindByIssueRequestIdAsync(requestId!, cancellationToken)
                ?? throw new InvalidOperationException("A duplicate request id was reported but no recommendation holds it.");
            return RequestIds.SameRequestOrThrow(winner, winner.IssueRequestFingerprint, fingerprint, ReusedRequestId);
        }
        if (!ReferenceEquals(calendar, calendars.Current))
        {
            // A calendar year arrived while this letter was recorded, and its recompute may have listed the
            // open recommendations before this one committed: count it again on the year now in force.
            return await calendarDesk.RecomputeAsync(recommendation.Id, cancellationToken) ?? recommendation;
        }
        return recommendation;
    }

    public async Task<Recommendation> RecordFollowUpAsync(RecordFollowUpCommand command, InstansiScope scope, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = ResourceNames.TryParse(command.Name, Recommendation.CollectionName, "name", errors);
        var decreeNumber = Text.Required(command.DecreeNumber, "decree_number", FieldLengths.Reference, errors);
        var decreeDate = Dates.PastOrToday(command.DecreeDate, "decree_date", clock.Today, errors);
        RequireLevel(command.ImposedLevel, "imposed.level", errors);
        var form = Text.Optional(command.ImposedForm, "imposed.form", FieldLengths.SanctionForm, errors);
        var requestId = RequestIds.Optional(command.RequestId, errors);
        errors.ThrowIfAny();

        var fingerprint = requestId is null ? null : RequestIds.Fingerprint(
            "follow-up-v1", id!, decreeNumber!, decreeDate!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ((int)command.ImposedLevel).ToString(CultureInfo.InvariantCulture), form ?? "");
        if (requestId is not null && await recommendations.FindByFollowUpRequestIdAsync(requestId, cancellationToken) is { } earlier)
        {
            // The caller's scope is checked on the recommendation it names: a request id that happens to
            // have been used on another agency's recommendation is a reused id, not a sign of that agency.
            var named = earlier.Id == id ? earlier : await recommendations.FindAsync(id!, cancellationToken) ?? throw scope.NotFound(command.Name);
            scope.Ensure(named.PpkInstansiCode, command.Name);
            var recorded = earlier.FollowUps.Single(f => f.RequestId == requestId);
            return RequestIds.SameRequestOrThrow(earlier, recorded.RequestFingerprint, fingerprint, ReusedRequestId);
        }

        // No etag is asked for: a decree stands whatever else changed meanwhile (an escalation step
        // by the sweep), so a lost race is simply tried again on the fresh state.
        for (var attempt = 1; ; attempt++)
        {
            var recommendation = await recommendations.FindAsync(id!, cancellationToken) ?? throw scope.NotFound(command.Name);
            scope.Ensure(recommendation.PpkInstansiCode, command.Name);
            if (decreeDate < recommendation.IssuedOn)
            {
                throw new InvalidRequestException("decree_date", $"{decreeDate:yyyy-MM-dd} is before the recommendation letter ({recommendation.IssuedOn:yyyy-MM-dd})");
            }
            var now = clock.UtcNow;
            var followUp = recommendation.RecordFollowUp(decreeNumber!, decreeDate!.Value, command.ImposedLevel, form, requestId, fingerprint, now, clock.Today);
            NeutralityCase? sanctioned = null;
            if (followUp.Compliant)
            {
                sanctioned = await cases.FindAsync(recommendation.CaseId, cancellationToken)
                    ?? throw new InvalidOperationException($"{recommendation.ResourceName} refers to a case that does not exist.");
                sanctioned.MarkSanctioned(now);
            }
            try
            {
                await recommendations.UpdateAsync(recommendation, sanctioned, cancellationToken);
            }
            catch (ConcurrentModificationException) when (attempt < MaxWriteAttempts)
            {
                // Lost to another writer: if that was a concurrent repeat of this request, its result is ours.
                if (requestId is not null && await recommendations.FindByFollowUpRequestIdAsync(requestId, cancellationToken) is { } repeat)
                {
                    return RequestIds.SameRequestOrThrow(repeat, repeat.FollowUps.Single(f => f.RequestId == requestId).RequestFingerprint, fingerprint, ReusedRequestId);
                }
                continue;
            }
            if (sanctioned is not null)
            {
                await refresh.AfterWriteAsync(recommendation.Nip, recommendation.ResourceName);
            }
            return recommendation;
        }
    }

    public async Task<Recommendation> GetAsync(string name, InstansiScope scope, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = ResourceNames.TryParse(name, Recommendation.CollectionName, "name", errors);
        errors.ThrowIfAny();
        var found = await recommendations.FindAsync(id!, cancellationToken) ?? throw scope.NotFound(name);
        scope.Ensure(found.PpkInstansiCode, name);
        return found;
    }

    public async Task<(IReadOnlyList<Recommendation> Recommendations, string NextPageToken)> ListAsync(
        RecommendationFilter filter, InstansiScope scope, int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        filter = filter with { PpkInstansiCode = scope.Filter(filter.PpkInstansiCode, "ppk_instansi_code") };
        var errors = new ValidationErrors();
        Paging.CheckSize(pageSize, errors);
        Text.Filter(filter.PpkInstansiCode, "ppk_instansi_code", FieldLengths.Code, errors);
        Text.Filter(filter.AuthorityCode, "authority_code", FieldLengths.Code, errors);
        if (!Enum.IsDefined(filter.Status))
        {
            errors.Add("status", "is not a known recommendation status");
        }
        DateOnly? overdueAsOf = null;
        if (filter.OverdueAsOf is { } parts)
        {
            if (parts.TryToDate(out var date))
            {
                overdueAsOf = date;
            }
            else
            {
                errors.Add("overdue_as_of", $"{parts} is not a real date");
            }
        }
        errors.ThrowIfAny();

        var query = new RecommendationQuery(filter.PpkInstansiCode, filter.Status, filter.AuthorityCode, overdueAsOf);
        var filters = $"{query.PpkInstansiCode}\n{(int)query.Status}\n{query.AuthorityCode}\n{query.OverdueAsOf:yyyy-MM-dd}";
        var afterId = PageToken.Decode(pageToken, filters);
        var size = Paging.SizeOf(pageSize);
        var fetched = await recommendations.ListAsync(query, afterId, size + 1, cancellationToken);
        return Paging.Cut(fetched, size, last => PageToken.Encode(last.Id, filters));
    }

    /// <summary>The follow-up status of <c>recommendations/{id}</c>, or of the latest recommendation of <c>cases/{id}</c>.</summary>
    public async Task<FollowUpStatusReport> GetFollowUpStatusAsync(string name, DateParts? asOf, InstansiScope scope, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var day = Dates.OrToday(asOf, "as_of", clock.Today, errors);
        Recommendation? found = null;
        if (ResourceNames.TryParseId(name ?? "", NeutralityCase.CollectionName) is { } caseId)
        {
            errors.ThrowIfAny();
            found = await recommendations.FindLatestForCaseAsync(caseId, cancellationToken);
            if (found is null)
            {
                var recommendable = await cases.FindAsync(caseId, cancellationToken) ?? throw scope.NotFound(name!);
                scope.Ensure(recommendable.InstansiCode, name!);
                throw new StatePreconditionException("NO_RECOMMENDATION", $"{name} has no recommendation yet.");
            }
        }
        else if (ResourceNames.TryParseId(name ?? "", Recommendation.CollectionName) is { } id)
        {
            errors.ThrowIfAny();
            found = await recommendations.FindAsync(id, cancellationToken) ?? throw scope.NotFound(name!);
        }
        else
        {
            errors.Add("name", "must be cases/{case_id} or recommendations/{recommendation_id}");
            errors.ThrowIfAny();
        }

        scope.Ensure(found!.PpkInstansiCode, name!);
        var history = await recommendations.HistoryOfAsync(found.Id, cancellationToken);
        if (!found.IsOpen)
        {
            return new FollowUpStatusReport(found, day, 0, false, history, false);
        }
        // Overdue from the day after the due date; the working days past it may still be 0 (a weekend).
        var calendar = calendars.Current;
        var left = calendar.WorkingDaysBetween(day, found.DueOn);
        return new FollowUpStatusReport(found, day, left, day > found.DueOn, history, found.DueOnProvisional || calendar.IsProvisionalBetween(day, found.DueOn));
    }

    private static void RequireLevel(SanctionLevel level, string field, ValidationErrors errors)
    {
        if (level == SanctionLevel.Unspecified || !Enum.IsDefined(level))
        {
            errors.Add(field, "is required: a sanction level from MORAL_CLOSED to PTDH");
        }
    }
}
