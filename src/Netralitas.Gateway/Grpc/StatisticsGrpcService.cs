using Google.Api;
using Grpc.Core;
using Netralitas.Adapters.Reports;
using Netralitas.Domain;
using Netralitas.Domain.Statistics;
using Netralitas.Gateway.Security;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.StatisticsService: translates messages and asks the statistics desk.</summary>
public sealed class StatisticsGrpcService(StatisticsDesk desk) : StatisticsService.StatisticsServiceBase
{
    public override async Task<Funnel> GetFunnel(GetFunnelRequest request, ServerCallContext context) =>
        StatisticsMapping.ToProto(await desk.FunnelAsync(StatisticsMapping.ToFilter(request.Filter), context.InstansiScope(), context.CancellationToken));

    public override async Task<Breakdown> GetBreakdown(GetBreakdownRequest request, ServerCallContext context) =>
        StatisticsMapping.ToProto(await desk.BreakdownAsync(StatisticsMapping.ToFilter(request.Filter), (Domain.Statistics.Dimension)request.Dimension,
            (Domain.Statistics.Population)request.Population, request.TopN, context.InstansiScope(), context.CancellationToken));

    public override async Task<TimeSeries> GetTimeSeries(GetTimeSeriesRequest request, ServerCallContext context) =>
        StatisticsMapping.ToProto(await desk.TimeSeriesAsync(StatisticsMapping.ToFilter(request.Filter), (Domain.Statistics.Granularity)request.Granularity,
            context.InstansiScope(), context.CancellationToken));

    public override async Task ExportStatistics(ExportStatisticsRequest request, IServerStreamWriter<HttpBody> responseStream, ServerCallContext context)
    {
        var format = Exports.Require(request.Format, request.Table, StatisticsTables.Names);
        var report = await desk.ReportAsync(StatisticsMapping.ToFilter(request.Filter), context.InstansiScope(), context.CancellationToken);
        var tables = ReportFiles.Choose(StatisticsTables.Of(report), format, request.Table, StatisticsTables.Funnel);
        await FileDownloads.StreamAsync(responseStream, ReportFiles.ContentTypeOf(format), stream => ReportFiles.Write(stream, format, tables),
            context.CancellationToken);
    }
}
