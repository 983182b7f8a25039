using Microsoft.EntityFrameworkCore;
using Netralitas.Gateway.Domain;
using Netralitas.Gateway.Domain.Cases;
using Netralitas.Gateway.Domain.Recommendations;

namespace Netralitas.Gateway.Data;

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
        try
        {
            await db.SaveChangesAsync(cancellationToken);
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
        db.ChangeTracker.DetectChanges();
        var newRequestIds = db.ChangeTracker.Entries<FollowUp>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity.RequestId)
            .OfType<string>()
            .ToArray();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // Another writer got there first: a version conflict, or (a concurrent repeat) the
            // follow-up's request id already taken. The caller re-reads and decides.
            db.ChangeTracker.Clear();
            if (e is DbUpdateConcurrencyException
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
}
