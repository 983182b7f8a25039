using Netralitas.Domain.Cases;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Escalation;

/// <summary>The record of what escalation did: enforcement actions, and the outbox commands to SIASN.</summary>
public sealed class EnforcementLedger(IEscalationRecords records, IOutboxQueue queue, TimeProvider clock)
{
    public async Task<(IReadOnlyList<EnforcementAction> Actions, string NextPageToken)> ListActionsAsync(
        string ppkInstansiCode, string nip, EnforcementKind kind, string recommendation, int pageSize, string pageToken,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Text.Filter(ppkInstansiCode, "ppk_instansi_code", FieldLengths.Code, errors);
        NipFilter(nip, errors);
        if (!Enum.IsDefined(kind))
        {
            errors.Add("kind", "is not a known enforcement action kind");
        }
        var recommendationId = RecommendationFilter(recommendation, errors);
        Paging.CheckSize(pageSize, errors);
        errors.ThrowIfAny();

        var query = new EnforcementActionQuery(ppkInstansiCode, nip, kind, recommendationId);
        var filters = $"actions\n{ppkInstansiCode}\n{nip}\n{(int)kind}\n{recommendationId}";
        var size = Paging.SizeOf(pageSize);
        var fetched = await records.ListActionsAsync(query, PageToken.Decode(pageToken, filters), size + 1, cancellationToken);
        return Paging.Cut(fetched, size, last => PageToken.Encode(last.Id, filters));
    }

    public async Task<(IReadOnlyList<OutboxMessage> Messages, string NextPageToken)> ListOutboxAsync(
        OutboxState state, OutboxKind kind, string nip, string recommendation, int pageSize, string pageToken,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Enum.IsDefined(state))
        {
            errors.Add("state", "is not a known outbox message state");
        }
        if (!Enum.IsDefined(kind))
        {
            errors.Add("kind", "is not a known outbox message kind");
        }
        NipFilter(nip, errors);
        var recommendationId = RecommendationFilter(recommendation, errors);
        Paging.CheckSize(pageSize, errors);
        errors.ThrowIfAny();

        var query = new OutboxQuery(state, kind, nip, recommendationId);
        var filters = $"outbox\n{(int)state}\n{(int)kind}\n{nip}\n{recommendationId}";
        var size = Paging.SizeOf(pageSize);
        var fetched = await records.ListOutboxAsync(query, PageToken.Decode(pageToken, filters), size + 1, cancellationToken);
        return Paging.Cut(fetched, size, last => PageToken.Encode(last.Id, filters));
    }

    public async Task<OutboxMessage> GetOutboxAsync(string name, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = ResourceNames.TryParse(name, OutboxMessage.CollectionName, "name", errors);
        errors.ThrowIfAny();
        return await records.FindOutboxAsync(id!, cancellationToken) ?? throw new ResourceNotFoundException(name);
    }

    /// <summary>
    /// Gives a dead-lettered command another round of attempts. A block whose release SIASN has
    /// already taken is not sent again: it would block data that the gateway has released.
    /// </summary>
    public async Task<OutboxMessage> RetryOutboxAsync(string name, CancellationToken cancellationToken)
    {
        var message = await GetOutboxAsync(name, cancellationToken);
        if (message.State != OutboxState.DeadLettered)
        {
            throw new StatePreconditionException("OUTBOX_MESSAGE_NOT_DEAD_LETTERED",
                $"{name} is {message.State}; only a dead-lettered message can be retried.");
        }
        if (message.Kind == OutboxKind.Block)
        {
            var later = await records.ListOutboxAsync(
                new OutboxQuery(OutboxState.Delivered, OutboxKind.Release, message.Nip, message.RecommendationId), message.Id, 1, cancellationToken);
            if (later.Count > 0)
            {
                throw new StatePreconditionException("BLOCK_SUPERSEDED",
                    $"{name} is superseded: {later[0].ResourceName} released the same block in SIASN.");
            }
        }
        if (!await queue.RequeueAsync(message.Id, clock.GetUtcNow().UtcDateTime, cancellationToken))
        {
            throw new ConcurrentModificationException(name);
        }
        return await GetOutboxAsync(name, cancellationToken);
    }

    private static void NipFilter(string nip, ValidationErrors errors)
    {
        if (nip.Length > 0 && !Nip.TryParse(nip, out _, out var error))
        {
            errors.Add("nip", error);
        }
    }

    private static string RecommendationFilter(string name, ValidationErrors errors) =>
        name.Length == 0 ? "" : ResourceNames.TryParse(name, Recommendation.CollectionName, "recommendation", errors) ?? "";
}
