using Netralitas.Gateway.Workers;
using Grpc.Core;
using Netralitas.Domain.Recommendations;
using Netralitas.Gateway.Security;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.RecommendationService: translates messages and calls the recommendation desk and feed.</summary>
public sealed class RecommendationGrpcService(RecommendationDesk desk, FollowUpFeed feed, IHostApplicationLifetime lifetime)
    : RecommendationService.RecommendationServiceBase
{
    public override async Task<V1.Recommendation> IssueRecommendation(IssueRecommendationRequest request, ServerCallContext context) =>
        RecommendationMapping.ToProto(await desk.IssueAsync(RecommendationMapping.ToCommand(request), context.CancellationToken));

    public override async Task<V1.Recommendation> RecordFollowUp(RecordFollowUpRequest request, ServerCallContext context) =>
        RecommendationMapping.ToProto(await desk.RecordFollowUpAsync(RecommendationMapping.ToCommand(request), context.InstansiScope(), context.CancellationToken));

    public override async Task<V1.Recommendation> GetRecommendation(GetRecommendationRequest request, ServerCallContext context) =>
        RecommendationMapping.ToProto(await desk.GetAsync(request.Name, context.InstansiScope(), context.CancellationToken));

    public override async Task<ListRecommendationsResponse> ListRecommendations(ListRecommendationsRequest request, ServerCallContext context)
    {
        var (page, next) = await desk.ListAsync(RecommendationMapping.ToFilter(request), context.InstansiScope(), request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListRecommendationsResponse { NextPageToken = next };
        response.Recommendations.AddRange(page.Select(RecommendationMapping.ToProto));
        return response;
    }

    public override async Task<V1.FollowUpStatus> GetFollowUpStatus(GetFollowUpStatusRequest request, ServerCallContext context) =>
        RecommendationMapping.ToProto(await desk.GetFollowUpStatusAsync(
            request.Name, ProtoMapping.ToParts(request.AsOf), context.InstansiScope(), context.CancellationToken));

    public override async Task WatchFollowUps(WatchFollowUpsRequest request, IServerStreamWriter<FollowUpChange> responseStream, ServerCallContext context)
    {
        var filter = new FollowUpWatchFilter(
            context.InstansiScope().Filter(request.PpkInstansiCode, "ppk_instansi_code"), request.Nip, request.Recommendation, request.ResumeToken);
        var watch = await feed.OpenAsync(filter, context.CancellationToken);
        // The answer starts now, not with the first change, which may be hours away: a REST client's
        // request then completes at once and reads the changes as they come. The headers also tell a
        // caller that the watch is open: every change committed from then on will reach it.
        await context.WriteResponseHeadersAsync([]);
        // A watch runs until the caller leaves; on shutdown it ends with UNAVAILABLE so that the
        // caller resumes with its last token, on this or another replica.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var change in feed.WatchAsync(watch, stopping.Token))
            {
                await responseStream.WriteAsync(RecommendationMapping.ToChange(change), stopping.Token);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The gateway is shutting down; watch again with the last resume_token received."));
        }
    }
}
