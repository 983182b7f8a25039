using Microsoft.EntityFrameworkCore;
using Netralitas.Domain;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Recommendations;
using DomainEscalationStage = Netralitas.Domain.EscalationStage;

namespace Netralitas.Data;

/// <summary>EF Core storage of recommendations and their follow-ups; shares the call's DbContext with the case repository.</summary>
public sealed class RecommendationRepository(NetralitasDbContext db) : IRecommendationRepository
{
    public Task<Recommendation?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Recommendations.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    public Task<Recommendation?> FindByIssueRequestIdAsync(string requestId, CancellationToken cancellationToken) =>
        db.Recommendations.AsNoTracking().SingleOrDefaultAsync(r => r.IssueRequestId == requestId, cancellationToken);

    public Task<Recommendation?> FindByFollowUpRequestIdAsync(string requestId, CancellationToken cancellationToken) =>
        db.Recommendations.AsNoTracking().SingleOrDefaultAsync(r => r.FollowUps.Any(f => f.RequestId == requestId), cancellationToken);

    public Task<Recommendation?> FindLatestForCaseAsync(string caseId, CancellationToken cancellationToken) =>
        db.Recommendations.AsNoTracking().Where(r => r.CaseId == caseId).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> TryAddAsync(Recommendation recommendation, NeutralityCase changedCase, CancellationToken cancellationToken)
    {
        db.Recommendations.Add(recommendation);
        db.LogCaseChange(changedCase);
        db.AddNewRecords(recommendation, caseChangeLogged: true);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            recommendation.ForgetNewRecords();
            return true;
        }
        catch (DbUpdateException e)
        {
            // A concurrent repeat of the same request can lose on the case's version or on the
            // request id's unique index, depending on the provider: either way it returns the winner.
            db.ChangeTracker.Clear();
            if (recommendation.IssueRequestId is { } requestId
                && await db.Recommendations.AnyAsync(r => r.IssueRequestId == requestId, cancellationToken))
            {
                return false;
            }
            if (e is DbUpdateConcurrencyException)
            {
                throw new ConcurrentModificationException(changedCase.ResourceName);
            }
            throw;
        }
    }

    public async Task UpdateAsync(Recommendation recommendation, NeutralityCase? changedCase, CancellationToken cancellationToken)
    {
        if (changedCase is not null)
        {
            db.LogCaseChange(changedCase);
        }
        db.AddNewRecords(recommendation, caseChangeLogged: changedCase is not null);
        var loadedVersion = db.Entry(recommendation).Property(r => r.Version).OriginalValue;
        db.ChangeTracker.DetectChanges();
        var newRequestIds = db.ChangeTracker.Entries<FollowUp>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity.RequestId)
            .OfType<string>()
            .ToArray();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            recommendation.ForgetNewRecords();
            // One unit of work per update: a sweep that updates thousands does not track them all.
            db.ChangeTracker.Clear();
        }
        catch (DbUpdateException e)
        {
            // Another writer got there first: a version conflict, a step another sweep took (the
            // unique step index can fire before the version check), or (a concurrent repeat) the
            // follow-up's request id already taken. The caller re-reads and decides.
            db.ChangeTracker.Clear();
            if (e is DbUpdateConcurrencyException
                || await db.Recommendations.AnyAsync(r => r.Id == recommendation.Id && r.Version != loadedVersion, cancellationToken)
                || (newRequestIds.Length > 0 && await db.Recommendations.AnyAsync(
                    r => r.FollowUps.Any(f => f.RequestId != null && newRequestIds.Contains(f.RequestId)), cancellationToken)))
            {
                throw new ConcurrentModificationException(recommendation.ResourceName);
            }
            throw;
        }
    }

    public async Task<IReadOnlyList<Recommendation>> ListAsync(
        RecommendationQuery filter, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var query = db.Recommendations.AsNoTracking();
        if (filter.PpkInstansiCode.Length > 0)
        {
            query = query.Where(r => r.PpkInstansiCode == filter.PpkInstansiCode);
        }
        if (filter.Status != RecommendationStatus.Unspecified)
        {
            query = query.Where(r => r.Status == filter.Status);
        }
        if (filter.AuthorityCode.Length > 0)
        {
            query = query.Where(r => r.AuthorityCode == filter.AuthorityCode);
        }
        if (filter.OverdueAsOf is { } asOf)
        {
            query = query.Where(r => r.Status != RecommendationStatus.Complied && r.DueOn < asOf);
        }
        if (afterId is not null)
        {
            query = query.Where(r => string.Compare(r.Id, afterId) > 0);
        }
        return await query.OrderBy(r => r.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Recommendation>> ListForPpkAsync(string ppkInstansiCode, CancellationToken cancellationToken) =>
        await db.Recommendations.AsNoTracking().Where(r => r.PpkInstansiCode == ppkInstansiCode).OrderBy(r => r.Id).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Recommendation>> ListOpenAsync(string provinceCode, string electionId, CancellationToken cancellationToken) =>
        await db.Recommendations.AsNoTracking()
            .Where(r => r.Status != RecommendationStatus.Complied)
            .Where(r => db.Cases.Any(c => c.Id == r.CaseId
                && (provinceCode == "" || c.ProvinceCode == provinceCode)
                && (electionId == "" || c.ElectionId == electionId)))
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Recommendation>> ListOpenTouchingYearAsync(
        int? year, string? afterId, int limit, CancellationToken cancellationToken)
    {
        // The due date needs no follow-ups: they are not read.
        var query = db.Recommendations.AsNoTracking().IgnoreAutoIncludes().Where(r => r.Status != RecommendationStatus.Complied);
        if (year is { } touched)
        {
            var start = new DateOnly(touched, 1, 1);
            var end = new DateOnly(touched, 12, 31);
            query = query.Where(r => r.IssuedOn <= end && r.DueOn >= start);
        }
        if (afterId is not null)
        {
            query = query.Where(r => string.Compare(r.Id, afterId) > 0);
        }
        return await query.OrderBy(r => r.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Recommendation>> ListEscalatableAsync(
        string ppkInstansiCode, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var query = db.Recommendations.AsNoTracking()
            .Where(r => r.Status != RecommendationStatus.Complied && r.EscalationStage != DomainEscalationStage.Blocked);
        if (ppkInstansiCode.Length > 0)
        {
            query = query.Where(r => r.PpkInstansiCode == ppkInstansiCode);
        }
        if (afterId is not null)
        {
            query = query.Where(r => string.Compare(r.Id, afterId) > 0);
        }
        return await query.OrderBy(r => r.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FollowUpEvent>> HistoryOfAsync(string recommendationId, CancellationToken cancellationToken) =>
        await db.FollowUpEvents.AsNoTracking().Where(e => e.RecommendationId == recommendationId).OrderBy(e => e.Id).ToListAsync(cancellationToken);

    public async Task<long> LatestEventBeforeAsync(DateTime before, CancellationToken cancellationToken) =>
        await db.FollowUpEvents.Where(e => e.OccurredAt < before).MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;

    public async Task<IReadOnlyList<FollowUpEvent>> EventsAfterAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        await db.FollowUpEvents.AsNoTracking().Where(e => e.Id > afterId).OrderBy(e => e.Id).Take(limit).ToListAsync(cancellationToken);
}
