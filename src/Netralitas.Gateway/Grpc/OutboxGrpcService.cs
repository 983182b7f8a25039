using Grpc.Core;
using Netralitas.Domain;
using Netralitas.Domain.Escalation;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.OutboxService: translates messages and reads the enforcement ledger.</summary>
public sealed class OutboxGrpcService(EnforcementLedger ledger) : OutboxService.OutboxServiceBase
{
    public override async Task<ListOutboxMessagesResponse> ListOutboxMessages(ListOutboxMessagesRequest request, ServerCallContext context)
    {
        var (messages, next) = await ledger.ListOutboxAsync((OutboxState)request.State, (OutboxKind)request.Kind, request.Nip,
            request.Recommendation, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListOutboxMessagesResponse { NextPageToken = next };
        response.Messages.AddRange(messages.Select(RecommendationMapping.ToProto));
        return response;
    }

    public override async Task<V1.OutboxMessage> GetOutboxMessage(GetOutboxMessageRequest request, ServerCallContext context) =>
        RecommendationMapping.ToProto(await ledger.GetOutboxAsync(request.Name, context.CancellationToken));

    public override async Task<V1.OutboxMessage> RetryOutboxMessage(RetryOutboxMessageRequest request, ServerCallContext context) =>
        RecommendationMapping.ToProto(await ledger.RetryOutboxAsync(request.Name, context.CancellationToken));
}
