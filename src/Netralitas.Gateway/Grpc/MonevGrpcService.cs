using Google.Api;
using Grpc.Core;
using Netralitas.Adapters.Reports;
using Netralitas.Gateway.Security;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.MonevService: translates messages and asks the monev desk.</summary>
public sealed class MonevGrpcService(Domain.Monev.MonevDesk desk) : MonevService.MonevServiceBase
{
    public override async Task<IntegrityPact> RecordIntegrityPact(RecordIntegrityPactRequest request, ServerCallContext context) =>
        StatisticsMapping.ToProto(await desk.RecordPactAsync(StatisticsMapping.ToCommand(request.Pact), context.CallerId(), context.InstansiScope(),
            context.CancellationToken));

    public override async Task<SupervisionTeam> RecordSupervisionTeam(RecordSupervisionTeamRequest request, ServerCallContext context) =>
        StatisticsMapping.ToProto(await desk.RecordTeamAsync(StatisticsMapping.ToCommand(request.Team), context.CallerId(), context.InstansiScope(),
            context.CancellationToken));

    public override async Task<AgencyMonev> GetAgencyMonev(GetAgencyMonevRequest request, ServerCallContext context) =>
        StatisticsMapping.ToProto(await desk.GetAsync(request.InstansiCode, request.ElectionId, ProtoMapping.ToParts(request.AsOf),
            request.PageSize, request.PageToken, context.InstansiScope(), context.CancellationToken));

    public override async Task<ListAgencyMonevResponse> ListAgencyMonev(ListAgencyMonevRequest request, ServerCallContext context)
    {
        var (agencies, next, total, asOf) = await desk.ListAsync(request.ElectionId, request.ProvinceCode, ProtoMapping.ToParts(request.AsOf),
            request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListAgencyMonevResponse { AsOf = ProtoMapping.ToProto(asOf), NextPageToken = next, TotalSize = total };
        response.Agencies.AddRange(agencies.Select(StatisticsMapping.ToProto));
        return response;
    }

    public override async Task ExportAgencyMonev(ExportAgencyMonevRequest request, IServerStreamWriter<HttpBody> responseStream, ServerCallContext context)
    {
        var format = Exports.Require(request.Format, request.Table, MonevTables.Names);
        var (report, followUps) = await desk.ExportAsync(request.InstansiCode, request.ElectionId, ProtoMapping.ToParts(request.AsOf),
            context.InstansiScope(), context.CancellationToken);
        var tables = ReportFiles.Choose(MonevTables.Of(report, followUps.ToBlockingEnumerable(context.CancellationToken)), format, request.Table, MonevTables.FollowUps);
        await FileDownloads.StreamAsync(responseStream, ReportFiles.ContentTypeOf(format), stream => ReportFiles.Write(stream, format, tables),
            context.CancellationToken);
    }
}
