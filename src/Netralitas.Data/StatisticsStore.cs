using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Netralitas.Domain.Statistics;

namespace Netralitas.Data;

/// <summary>The statistics' facts rows: read whole at start, by NIP for a refresh, backfilled for older databases.</summary>
public sealed class StatisticsStore(NetralitasDbContext db) : IStatisticsStore
{
    private const int BackfillBatch = 1_000;

    public async IAsyncEnumerable<CaseFacts> AllFactsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var facts in db.CaseFacts.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return facts;
        }
    }

    public async Task<IReadOnlyList<CaseFacts>> FactsOfNipsAsync(IReadOnlyCollection<string> nips, CancellationToken cancellationToken) =>
        await db.CaseFacts.AsNoTracking().Where(f => nips.Contains(f.Nip)).ToListAsync(cancellationToken);

    /// <summary>
    /// Writes the facts of cases that have none, a batch at a time, each with its NIP in the change
    /// log so that replicas already running count them too. Replicas starting together may backfill
    /// the same cases: a batch that loses on the key is read again and goes on with the rest (a few
    /// times; an error that is not such a race then surfaces).
    /// </summary>
    public async Task<int> BackfillAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        for (var lost = 0; ;)
        {
            var missing = await db.Cases.AsNoTracking().Where(c => !db.CaseFacts.Any(f => f.CaseId == c.Id))
                .OrderBy(c => c.Id).Take(BackfillBatch).ToListAsync(cancellationToken);
            if (missing.Count == 0)
            {
                return written;
            }
            var ids = missing.Select(c => c.Id).ToArray();
            var recommendations = (await db.Recommendations.AsNoTracking().Where(r => ids.Contains(r.CaseId)).ToListAsync(cancellationToken))
                .GroupBy(r => r.CaseId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);
            foreach (var found in missing)
            {
                var facts = CaseFacts.Of(found);
                if (recommendations.TryGetValue(found.Id, out var recommendation))
                {
                    facts.Apply(recommendation);
                }
                db.CaseFacts.Add(facts);
                db.LogNipChange(found.Nip, DateTime.UtcNow);
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                written += missing.Count;
            }
            catch (DbUpdateException) when (++lost < 5)
            {
                // Another replica wrote some of them first; the next read leaves those out.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
