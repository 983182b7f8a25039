using Microsoft.EntityFrameworkCore;
using Netralitas.Domain;
using Netralitas.Domain.Monev;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Data;

/// <summary>Agencies' integrity pacts and internal teams, and the per-agency counts of the monev.</summary>
public sealed class MonevStore(NetralitasDbContext db) : IMonevStore
{
    public Task<IntegrityPact?> FindPactAsync(string instansiCode, string electionId, CancellationToken cancellationToken) =>
        db.IntegrityPacts.AsNoTracking().SingleOrDefaultAsync(p => p.InstansiCode == instansiCode && p.ElectionId == electionId, cancellationToken);

    public Task<SupervisionTeam?> FindTeamAsync(string instansiCode, string electionId, CancellationToken cancellationToken) =>
        db.SupervisionTeams.AsNoTracking().SingleOrDefaultAsync(t => t.InstansiCode == instansiCode && t.ElectionId == electionId, cancellationToken);

    public Task SavePactAsync(IntegrityPact pact, CancellationToken cancellationToken) =>
        ReplaceAsync(db.IntegrityPacts, pact, p => p.InstansiCode == pact.InstansiCode && p.ElectionId == pact.ElectionId, cancellationToken);

    public Task SaveTeamAsync(SupervisionTeam team, CancellationToken cancellationToken) =>
        ReplaceAsync(db.SupervisionTeams, team, t => t.InstansiCode == team.InstansiCode && t.ElectionId == team.ElectionId, cancellationToken);

    public async Task<IReadOnlyList<AgencyCell>> AgencyCellsAsync(
        string electionId, string instansiCode, string provinceCode, DateOnly asOf, CancellationToken cancellationToken)
    {
        var facts = db.CaseFacts.AsNoTracking().Where(f => f.ElectionId == electionId);
        if (instansiCode.Length > 0)
        {
            facts = facts.Where(f => f.InstansiCode == instansiCode);
        }
        if (provinceCode.Length > 0)
        {
            // Agencies with a case in the province: all of their cases of the election count.
            facts = facts.Where(f => db.CaseFacts.Any(p => p.ElectionId == electionId && p.ProvinceCode == provinceCode && p.InstansiCode == f.InstansiCode));
        }
        var asOfDay = asOf.DayNumber;
        var rows = await facts
            .GroupBy(f => new { f.InstansiCode, f.Status, Recommended = f.RecommendedDay != null, f.FollowUp, DueBefore = f.DueDay < asOfDay, f.Escalation })
            .Select(g => new { g.Key, Name = g.Max(f => f.InstansiName), Count = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new AgencyCell(r.Key.InstansiCode, r.Name ?? "", r.Key.Status, r.Key.Recommended, r.Key.FollowUp,
            r.Key.DueBefore, r.Key.Escalation, r.Count)).ToArray();
    }

    public async Task<(IReadOnlySet<string> Pacts, IReadOnlySet<string> Teams)> RecordedAgenciesAsync(string electionId, CancellationToken cancellationToken)
    {
        var pacts = await db.IntegrityPacts.AsNoTracking().Where(p => p.ElectionId == electionId).Select(p => p.InstansiCode).ToListAsync(cancellationToken);
        var teams = await db.SupervisionTeams.AsNoTracking().IgnoreAutoIncludes().Where(t => t.ElectionId == electionId)
            .Select(t => t.InstansiCode).ToListAsync(cancellationToken);
        return (pacts.ToHashSet(StringComparer.Ordinal), teams.ToHashSet(StringComparer.Ordinal));
    }

    public async Task<IReadOnlyList<Recommendation>> AgencyRecommendationsAsync(
        string instansiCode, string electionId, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var caseIds = db.CaseFacts.Where(f => f.InstansiCode == instansiCode && f.ElectionId == electionId).Select(f => f.CaseId);
        var recommendations = db.Recommendations.AsNoTracking().Where(r => caseIds.Contains(r.CaseId));
        if (afterId is not null)
        {
            recommendations = recommendations.Where(r => string.Compare(r.Id, afterId) > 0);
        }
        return await recommendations.OrderBy(r => r.Id).Take(limit).AsSplitQuery().ToListAsync(cancellationToken);
    }

    /// <summary>Replaces the record under its key in one transaction; a concurrent first write of the same key is retried as a replacement.</summary>
    private async Task ReplaceAsync<T>(DbSet<T> set, T record, System.Linq.Expressions.Expression<Func<T, bool>> sameKey, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await set.SingleOrDefaultAsync(sameKey, cancellationToken) is { } earlier)
            {
                set.Remove(earlier);
                await db.SaveChangesAsync(cancellationToken);
            }
            set.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
    }
}
