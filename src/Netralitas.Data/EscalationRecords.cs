using Microsoft.EntityFrameworkCore;
using Netralitas.Domain;
using Netralitas.Domain.Escalation;

namespace Netralitas.Data;

/// <summary>EF Core reads of enforcement actions and the outbox.</summary>
public sealed class EscalationRecords(NetralitasDbContext db) : IEscalationRecords
{
    public async Task<IReadOnlyList<EnforcementAction>> ListActionsAsync(
        EnforcementActionQuery filter, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var query = db.EnforcementActions.AsNoTracking();
        if (filter.PpkInstansiCode.Length > 0)
        {
            query = query.Where(a => a.PpkInstansiCode == filter.PpkInstansiCode);
        }
        if (filter.Nip.Length > 0)
        {
            query = query.Where(a => a.Nip == filter.Nip);
        }
        if (filter.Kind != EnforcementKind.Unspecified)
        {
            query = query.Where(a => a.Kind == filter.Kind);
        }
        if (filter.RecommendationId.Length > 0)
        {
            query = query.Where(a => a.RecommendationId == filter.RecommendationId);
        }
        if (afterId is not null)
        {
            query = query.Where(a => string.Compare(a.Id, afterId) > 0);
        }
        return await query.OrderBy(a => a.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListOutboxAsync(
        OutboxQuery filter, string? afterId, int limit, CancellationToken cancellationToken)
    {
        var query = db.OutboxMessages.AsNoTracking();
        if (filter.State != OutboxState.Unspecified)
        {
            query = query.Where(m => m.State == filter.State);
        }
        if (filter.Kind != OutboxKind.Unspecified)
        {
            query = query.Where(m => m.Kind == filter.Kind);
        }
        if (filter.Nip.Length > 0)
        {
            query = query.Where(m => m.Nip == filter.Nip);
        }
        if (filter.RecommendationId.Length > 0)
        {
            query = query.Where(m => m.RecommendationId == filter.RecommendationId);
        }
        if (afterId is not null)
        {
            query = query.Where(m => string.Compare(m.Id, afterId) > 0);
        }
        return await query.OrderBy(m => m.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public Task<OutboxMessage?> FindOutboxAsync(string id, CancellationToken cancellationToken) =>
        db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
}
