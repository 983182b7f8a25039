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
        ReplaceAsync(db.IntegrityPacts, pact, p => p.InstansiCode == pact.InstansiCode && p.ElectionId == pact.ElectionId, (earlier, now) =>
        {
            earlier.SignedOn = now.SignedOn;
            earlier.DocumentReference = now.DocumentReference;
            earlier.SignatoryCount = now.SignatoryCount;
            earlier.AsnCount = now.AsnCount;
            earlier.RecordedBy = now.RecordedBy;
            earlier.RecordedAt = now.RecordedAt;
        }, cancellationToken);

    public Task SaveTeamAsync(SupervisionTeam team, CancellationToken cancellationToken) =>
        ReplaceAsync(db.SupervisionTeams, team, t => t.InstansiCode == team.InstansiCode && t.ElectionId == team.ElectionId, (earlier, now) =>
        {
            earlier.DecreeNumber = now.DecreeNumber;
            earlier.DecreeDate = now.DecreeDate;
            earlier.Members.Clear();
            earlier.Members.AddRange(now.Members.Select(m => new TeamMember { Nip = m.Nip, Role = m.Role }));
            earlier.RecordedBy = now.RecordedBy;
            earlier.RecordedAt = now.RecordedAt;
        }, cancellationToken);

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
        var recommendations = db.Recommendations.AsNoTracking()
            .Where(r => r.PpkInstansiCode == instansiCode && db.CaseFacts.Any(f => f.CaseId == r.CaseId && f.ElectionId == electionId));
        if (afterId is not null)
        {
            recommendations = recommendations.Where(r => string.Compare(r.Id, afterId) > 0);
        }
        return await recommendations.OrderBy(r => r.Id).Take(limit).AsSplitQuery().ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the record under its key in one write: the earlier one is updated in place (its
    /// members replaced), or the new one added. Two first records of one key racing: the loser finds
    /// the winner's and replaces it. Still losing after three tries is ABORTED, nothing written.
    /// </summary>
    private async Task ReplaceAsync<T>(DbSet<T> set, T record, System.Linq.Expressions.Expression<Func<T, bool>> sameKey,
        Action<T, T> replace, CancellationToken cancellationToken) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await set.SingleOrDefaultAsync(sameKey, cancellationToken) is { } earlier)
                {
                    replace(earlier, record);
                }
                else
                {
                    set.Add(record);
                }
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
            }
            catch (DbUpdateException)
            {
                throw new ConcurrentModificationException(record switch
                {
                    IntegrityPact pact => pact.ResourceName,
                    SupervisionTeam team => team.ResourceName,
                    _ => typeof(T).Name,
                });
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
