using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Netralitas.Domain;
using Netralitas.Domain.Cases;

namespace Netralitas.Data;

/// <summary>EF Core storage of cases; one instance per call (scoped with its DbContext).</summary>
public sealed class CaseRepository(NetralitasDbContext db) : ICaseRepository
{
    private static readonly CaseStatus[] OpenStatuses = [CaseStatus.UnderExamination, CaseStatus.Proven];

    public Task<NeutralityCase?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Cases.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);

    public Task<NeutralityCase?> FindByFileRequestIdAsync(string requestId, CancellationToken cancellationToken) =>
        db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.FileRequestId == requestId, cancellationToken);

    public async Task<bool> TryAddAsync(NeutralityCase newCase, CancellationToken cancellationToken)
    {
        db.Cases.Add(newCase);
        LogChange(newCase);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException) when (newCase.FileRequestId is { } requestId)
        {
            db.ChangeTracker.Clear();
            if (await db.Cases.AnyAsync(c => c.FileRequestId == requestId, cancellationToken))
            {
                return false;
            }
            throw;
        }
    }

    public async Task AddManyAsync(IReadOnlyCollection<NeutralityCase> newCases, CancellationToken cancellationToken)
    {
        db.Cases.AddRange(newCases);
        foreach (var newCase in newCases)
        {
            LogChange(newCase);
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task UpdateAsync(NeutralityCase changedCase, CancellationToken cancellationToken)
    {
        LogChange(changedCase);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrentModificationException(changedCase.ResourceName);
        }
    }

    public async Task<IReadOnlyList<NeutralityCase>> ListAsync(
        CaseFilter filter, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var query = db.Cases.AsNoTracking();
        if (filter.Nip.Length > 0)
        {
            query = query.Where(c => c.Nip == filter.Nip);
        }
        if (filter.InstansiCode.Length > 0)
        {
            query = query.Where(c => c.InstansiCode == filter.InstansiCode);
        }
        if (filter.Status != CaseStatus.Unspecified)
        {
            query = query.Where(c => c.Status == filter.Status);
        }
        if (filter.ElectionId.Length > 0)
        {
            query = query.Where(c => c.ElectionId == filter.ElectionId);
        }
        if (filter.ProvinceCode.Length > 0)
        {
            query = query.Where(c => c.ProvinceCode == filter.ProvinceCode);
        }
        if (afterId is not null)
        {
            query = query.Where(c => string.Compare(c.Id, afterId) > 0);
        }
        return await query.OrderBy(c => c.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async IAsyncEnumerable<(string Nip, int OpenCount)> OpenCaseCountsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var counts = db.Cases.AsNoTracking()
            .Where(c => OpenStatuses.Contains(c.Status))
            .GroupBy(c => c.Nip)
            .Select(g => new { Nip = g.Key, Count = g.Count() })
            .AsAsyncEnumerable();
        await foreach (var row in counts.WithCancellation(cancellationToken))
        {
            yield return (row.Nip, row.Count);
        }
    }

    public async IAsyncEnumerable<(string Nip, DateTime BlockedSince)> ActiveBlocksAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var blocks = db.Recommendations.AsNoTracking()
            .Where(r => r.EscalationStage == EscalationStage.Blocked)
            .GroupBy(r => r.Nip)
            .Select(g => new { Nip = g.Key, Since = g.Min(r => r.BlockedAt) })
            .AsAsyncEnumerable();
        await foreach (var row in blocks.WithCancellation(cancellationToken))
        {
            yield return (row.Nip, row.Since!.Value);
        }
    }

    public async Task<IReadOnlyDictionary<string, NipStanding>> StandingsOfAsync(
        IReadOnlyCollection<string> nips, CancellationToken cancellationToken)
    {
        var standings = await db.Cases.AsNoTracking()
            .Where(c => nips.Contains(c.Nip) && OpenStatuses.Contains(c.Status))
            .GroupBy(c => c.Nip)
            .Select(g => new { Nip = g.Key, Count = g.Count() })
            .ToDictionaryAsync(row => row.Nip, row => new NipStanding(row.Count, null), cancellationToken);
        var blocks = await db.Recommendations.AsNoTracking()
            .Where(r => nips.Contains(r.Nip) && r.EscalationStage == EscalationStage.Blocked)
            .GroupBy(r => r.Nip)
            .Select(g => new { Nip = g.Key, Since = g.Min(r => r.BlockedAt) })
            .ToListAsync(cancellationToken);
        foreach (var block in blocks)
        {
            standings[block.Nip] = standings.GetValueOrDefault(block.Nip) with { BlockedSince = block.Since };
        }
        return standings;
    }

    public async Task<long> LatestChangeBeforeAsync(DateTime before, CancellationToken cancellationToken) =>
        await db.CaseChanges.Where(c => c.ChangedAt < before).MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;

    public async Task<IReadOnlyList<CaseChange>> ChangesAfterAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        await db.CaseChanges.AsNoTracking().Where(c => c.Id > afterId).OrderBy(c => c.Id).Take(limit).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<CaseChange>> ChangesWithIdsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        await db.CaseChanges.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);

    public Task<int> PruneChangesAsync(DateTime before, CancellationToken cancellationToken) =>
        db.CaseChanges.Where(c => c.ChangedAt < before).ExecuteDeleteAsync(cancellationToken);

    private void LogChange(NeutralityCase written) => db.LogCaseChange(written);
}
