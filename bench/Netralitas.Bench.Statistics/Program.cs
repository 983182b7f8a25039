using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Netralitas.V1;

// The statistics and monev queries against a running gateway, as a client sees them: each query
// once to warm up, then <rounds> times; the time from call to complete answer, min / median / max.
// Then the monev export of the largest agency as XLSX, timed and sized.
//   Netralitas.Bench.Statistics <address> [part=queries|exports] [rounds=5] [largest-agency=BENCH-LARGEST] [election=pilkada-2024]
var address = args.ElementAtOrDefault(0) ?? "http://127.0.0.1:5080";
var part = args.ElementAtOrDefault(1) ?? "queries";
var rounds = int.Parse(args.ElementAtOrDefault(2) ?? "5");
var largest = args.ElementAtOrDefault(3) ?? "BENCH-LARGEST";
var election = args.ElementAtOrDefault(4) ?? "pilkada-2024";

using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
var health = new Health.HealthClient(channel);
while ((await health.CheckAsync(new HealthCheckRequest())).Status != HealthCheckResponse.Types.ServingStatus.Serving)
{
    await Task.Delay(100);
}
var statistics = new StatisticsService.StatisticsServiceClient(channel);
var monev = new MonevService.MonevServiceClient(channel);
var all = new StatisticsFilter();
var oneElection = new StatisticsFilter { ElectionId = election };
var oneProvince = new StatisticsFilter { ProvinceCode = "33" };

var queries = new List<(string Name, Func<Task<string>> Call)>
{
    ("GetFunnel, no filter", async () => $"{(await statistics.GetFunnelAsync(new GetFunnelRequest { Filter = all })).Stages[0].Count:N0} reported"),
    ("GetFunnel, one election", async () => $"{(await statistics.GetFunnelAsync(new GetFunnelRequest { Filter = oneElection })).Stages[0].Count:N0} reported"),
    ("GetFunnel, one province", async () => $"{(await statistics.GetFunnelAsync(new GetFunnelRequest { Filter = oneProvince })).Stages[0].Count:N0} reported"),
    ("GetFunnel, one agency", async () => $"{(await statistics.GetFunnelAsync(new GetFunnelRequest { Filter = new StatisticsFilter { InstansiCode = largest } })).Stages[0].Count:N0} reported"),
};
foreach (var dimension in Enum.GetValues<Dimension>().Where(d => d != Dimension.Unspecified))
{
    queries.Add(($"GetBreakdown {dimension}, proven, no filter", async () =>
    {
        var breakdown = await statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = all, Dimension = dimension, Population = Population.Proven });
        return $"{breakdown.Rows.Count} rows of {breakdown.PopulationCount:N0}";
    }));
}
queries.Add(("GetBreakdown Instansi top 1000, reported, one election", async () =>
    $"{(await statistics.GetBreakdownAsync(new GetBreakdownRequest { Filter = oneElection, Dimension = Dimension.Instansi, TopN = 1000 })).Rows.Count} rows"));
queries.Add(("GetTimeSeries month, no filter", async () => $"{(await statistics.GetTimeSeriesAsync(new GetTimeSeriesRequest { Filter = all })).Points.Count} points"));
queries.Add(("GetTimeSeries week, one election", async () =>
    $"{(await statistics.GetTimeSeriesAsync(new GetTimeSeriesRequest { Filter = oneElection, Granularity = Granularity.Week })).Points.Count} points"));
queries.Add(("GetAgencyMonev, largest agency (first 100 follow-ups)", async () =>
    $"{(await monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = largest, ElectionId = election })).FollowUp.Recommendations:N0} recommendations"));
queries.Add(("ListAgencyMonev, one election (50 of the ranking)", async () =>
    $"{(await monev.ListAgencyMonevAsync(new ListAgencyMonevRequest { ElectionId = election })).TotalSize} agencies"));

if (part == "exports")
{
    await ExportsAsync();
    return 0;
}
Console.WriteLine($"{"query",-58} {"min",8} {"median",8} {"max",8}  answer");
foreach (var (name, call) in queries)
{
    var answer = await call();
    var times = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        await call();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"{name,-58} {times[0],6:F0}ms {times[times.Count / 2],6:F0}ms {times[^1],6:F0}ms  {answer}");
}

return 0;

async Task ExportsAsync()
{
    foreach (var format in new[] { ExportFormat.Xlsx, ExportFormat.Csv })
    {
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var export = monev.ExportAgencyMonev(new ExportAgencyMonevRequest { InstansiCode = largest, ElectionId = election, Format = format });
            long bytes = 0, chunks = 0;
            await foreach (var chunk in export.ResponseStream.ReadAllAsync())
            {
                bytes += chunk.Data.Length;
                chunks++;
            }
            Console.WriteLine($"ExportAgencyMonev {format} of {largest}: {watch.Elapsed.TotalMilliseconds:F0} ms, {bytes:N0} bytes in {chunks} chunks");
        }
    }
    for (var i = 0; i < 2; i++)
    {
        var watch = Stopwatch.StartNew();
        using var export = statistics.ExportStatistics(new ExportStatisticsRequest { Filter = all, Format = ExportFormat.Xlsx });
        long bytes = 0;
        await foreach (var chunk in export.ResponseStream.ReadAllAsync())
        {
            bytes += chunk.Data.Length;
        }
        Console.WriteLine($"ExportStatistics XLSX, no filter: {watch.Elapsed.TotalMilliseconds:F0} ms, {bytes:N0} bytes");
    }
}
