using Microsoft.EntityFrameworkCore;
using Netralitas.Domain;
using Netralitas.Domain.Statistics;

namespace Netralitas.Data;

/// <summary>Counts over the statistics' facts table: each figure is one grouped pass over the matching rows.</summary>
public sealed class StatisticsStore(NetralitasDbContext db) : IStatisticsStore
{
    private const int BackfillBatch = 1_000;

    public async Task<IReadOnlyList<FunnelCell>> FunnelAsync(StatisticsQuery query, CancellationToken cancellationToken)
    {
        var rows = await Matching(query)
            .GroupBy(f => new { f.Status, Recommended = f.RecommendedDay != null, f.FollowUp, f.Escalation })
            .Select(g => new { g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new FunnelCell(r.Key.Status, r.Key.Recommended, r.Key.FollowUp, r.Key.Escalation, r.Count)).ToArray();
    }

    public async Task<IReadOnlyList<KeyCount>> BreakdownAsync(
        StatisticsQuery query, Dimension dimension, Population population, CancellationToken cancellationToken)
    {
        var facts = Matching(query);
        if (population == Population.Proven)
        {
            facts = facts.Where(f => f.Status == CaseStatus.Proven || f.Status == CaseStatus.Sanctioned);
        }
        return dimension switch
        {
            Dimension.Category => await Count(facts.GroupBy(f => f.ViolationCode), key => key, cancellationToken),
            Dimension.Province => await Count(facts.GroupBy(f => f.ProvinceCode), key => key, cancellationToken),
            Dimension.Election => await Count(facts.GroupBy(f => f.ElectionId), key => key, cancellationToken),
            Dimension.PositionKind => await Count(facts.GroupBy(f => f.PositionKind), StatisticsDesk.Stored, cancellationToken),
            Dimension.Period => await Count(facts.GroupBy(f => f.Period), StatisticsDesk.Stored, cancellationToken),
            Dimension.AgeBand => await Count(facts.GroupBy(f => f.AgeBand), StatisticsDesk.Stored, cancellationToken),
            Dimension.Source => await Count(facts.GroupBy(f => f.Source), StatisticsDesk.Stored, cancellationToken),
            Dimension.Instansi => (await facts.GroupBy(f => f.InstansiCode)
                    .Select(g => new { g.Key, Name = g.Max(f => f.InstansiName), Count = g.LongCount() })
                    .ToListAsync(cancellationToken))
                .Select(r => new KeyCount(r.Key, r.Name ?? "", r.Count)).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
        };
    }

    public async Task<DailySeries> DailySeriesAsync(StatisticsQuery query, CancellationToken cancellationToken)
    {
        var facts = Matching(query);
        var acts = await Days(facts.GroupBy(f => f.ActDay), cancellationToken);
        var filed = await Days(facts.GroupBy(f => f.FiledDay), cancellationToken);
        var decided = await facts.Where(f => f.DecidedDay != null)
            .GroupBy(f => new { Day = f.DecidedDay!.Value, Proven = f.Status == CaseStatus.Proven || f.Status == CaseStatus.Sanctioned })
            .Select(g => new { g.Key.Day, g.Key.Proven, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return new DailySeries(acts, filed,
            decided.GroupBy(d => d.Day).Select(g => new DayCount(g.Key, g.Sum(d => d.Count))).ToArray(),
            decided.Where(d => d.Proven).Select(d => new DayCount(d.Day, d.Count)).ToArray());
    }

    public async Task<string?> InstansiNameAsync(string instansiCode, CancellationToken cancellationToken) =>
        await db.CaseFacts.AsNoTracking().Where(f => f.InstansiCode == instansiCode)
            .Select(f => f.InstansiName).FirstOrDefaultAsync(cancellationToken);

    public async Task<int> BackfillAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        while (true)
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
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            written += missing.Count;
        }
    }

    private IQueryable<CaseFacts> Matching(StatisticsQuery query)
    {
        var facts = db.CaseFacts.AsNoTracking();
        if (query.ElectionId.Length > 0)
        {
            facts = facts.Where(f => f.ElectionId == query.ElectionId);
        }
        if (query.ProvinceCode.Length > 0)
        {
            facts = facts.Where(f => f.ProvinceCode == query.ProvinceCode);
        }
        if (query.InstansiCode.Length > 0)
        {
            facts = facts.Where(f => f.InstansiCode == query.InstansiCode);
        }
        if (query.Source != ReportSource.Unspecified)
        {
            facts = facts.Where(f => f.Source == query.Source);
        }
        if (query.ActFromDay is { } actFrom)
        {
            facts = facts.Where(f => f.ActDay >= actFrom);
        }
        if (query.ActToDay is { } actTo)
        {
            facts = facts.Where(f => f.ActDay <= actTo);
        }
        if (query.FiledFromDay is { } filedFrom)
        {
            facts = facts.Where(f => f.FiledDay >= filedFrom);
        }
        if (query.FiledToDay is { } filedTo)
        {
            facts = facts.Where(f => f.FiledDay <= filedTo);
        }
        return facts;
    }

    private static async Task<IReadOnlyList<KeyCount>> Count<TKey>(
        IQueryable<IGrouping<TKey, CaseFacts>> groups, Func<TKey, string> key, CancellationToken cancellationToken)
    {
        var rows = await groups.Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        return rows.Select(r => new KeyCount(key(r.Key), "", r.Count)).ToArray();
    }

    private static async Task<IReadOnlyList<DayCount>> Days(IQueryable<IGrouping<int, CaseFacts>> groups, CancellationToken cancellationToken) =>
        (await groups.Select(g => new { Day = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken))
        .Select(r => new DayCount(r.Day, r.Count)).ToArray();
}
