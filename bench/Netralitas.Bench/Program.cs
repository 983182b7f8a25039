using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Netralitas.V1;

// Load harness for the case registry. Usage:
//   Netralitas.Bench <address> [unary-calls] [unary-concurrency] [stream-nips] [stream-batch] [file-cases]
//   Netralitas.Bench stream <address> [stream-nips] [stream-batch]     CheckOpenCases only
//   Netralitas.Bench list-deep <address> [page-size]                  ListCases from the first page to the last
// The open NIPs of the workload are read from the gateway's own cases.
var mode = args.ElementAtOrDefault(0) is "stream" or "list-deep" ? args[0] : "all";
var arguments = mode == "all" ? args : args[1..];
var address = arguments.ElementAtOrDefault(0) ?? "http://127.0.0.1:5080";
var unaryCalls = mode == "all" ? int.Parse(arguments.ElementAtOrDefault(1) ?? "200000") : 0;
var concurrency = mode == "all" ? int.Parse(arguments.ElementAtOrDefault(2) ?? "64") : 0;
var streamNips = int.Parse((mode == "stream" ? arguments.ElementAtOrDefault(1) : arguments.ElementAtOrDefault(3)) ?? "1000000");
var batch = int.Parse((mode == "stream" ? arguments.ElementAtOrDefault(2) : arguments.ElementAtOrDefault(4)) ?? "1000");
var fileCases = int.Parse(arguments.ElementAtOrDefault(5) ?? "5000");

using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
    MaxReceiveMessageSize = 64 * 1024 * 1024,
});
await WaitServingAsync(channel);
var cases = new CaseService.CaseServiceClient(channel);

if (mode == "list-deep")
{
    var pageSize = int.Parse(arguments.ElementAtOrDefault(1) ?? "100");
    await ListDeepAsync(cases, pageSize);
    return 0;
}

var openNips = await OpenNipsAsync(cases);
Console.WriteLine($"gateway {address}: {openNips.Count} NIPs with open cases");
var nips = Workload(openNips, Math.Max(unaryCalls, streamNips));

if (mode == "stream")
{
    await RunStreamAsync(cases, nips, 50_000, batch);
    var only = await RunStreamAsync(cases, nips, streamNips, batch);
    Console.WriteLine($"CheckOpenCases stream: {streamNips:N0} NIPs in batches of {batch}: {only.PerSecond:N0} NIPs/s, " +
                      $"{only.Elapsed.TotalSeconds:F2} s, {only.Hits:N0} open, in order");
    return 0;
}

// Warm-up: JIT and connections on both sides.
await RunUnaryAsync(cases, nips, 5_000, concurrency);
await RunStreamAsync(cases, nips, 50_000, batch);

var unary = await RunUnaryAsync(cases, nips, unaryCalls, concurrency);
Console.WriteLine($"HasOpenCase unary: {unaryCalls:N0} calls, concurrency {concurrency}: {unary.PerSecond:N0} calls/s, " +
                  $"p50 {unary.P50:F3} ms, p99 {unary.P99:F3} ms, {unary.Hits:N0} open");
var stream = await RunStreamAsync(cases, nips, streamNips, batch);
Console.WriteLine($"CheckOpenCases stream: {streamNips:N0} NIPs in batches of {batch}: {stream.PerSecond:N0} NIPs/s, " +
                  $"{stream.Elapsed.TotalSeconds:F2} s, {stream.Hits:N0} open, in order");

// The write path: each FileCase is one transaction (case + change-log row) and one recount.
var files = await RunFileAsync(cases, fileCases, concurrency: 16);
Console.WriteLine($"FileCase: {fileCases:N0} reports, concurrency 16: {files.PerSecond:N0} cases/s, " +
                  $"p50 {files.P50:F2} ms, p99 {files.P99:F2} ms");
return 0;

static async Task<(double PerSecond, double P50, double P99)> RunFileAsync(CaseService.CaseServiceClient cases, int count, int concurrency)
{
    var latencies = new double[count];
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var birth = new DateOnly(1970, 1, 1).AddDays(i % 7000);
            var started = Stopwatch.GetTimestamp();
            await cases.FileCaseAsync(new FileCaseRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                Case = new Case
                {
                    Nip = $"{birth:yyyyMMdd}{birth.AddYears(25):yyyyMM}1{i % 900:D3}",
                    ReportedName = $"ASN Bench {i}",
                    InstansiCode = $"BENCH-{i % 50}",
                    InstansiName = "Instansi Bench",
                    ElectionId = "pilkada-2024",
                    ViolationCode = "MEDSOS_KAMPANYE",
                    ActDate = new Google.Type.Date { Year = 2024, Month = 10, Day = 1 + i % 28 },
                    Place = new Place { ProvinceCode = "33" },
                    Source = ReportSource.Public,
                },
            });
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }));
    var elapsed = clock.Elapsed;
    Array.Sort(latencies);
    return (count / elapsed.TotalSeconds, latencies[count / 2], latencies[(int)(count * 0.99)]);
}

// Pages through every case (keyset pagination) and compares the first pages with the deepest ones.
static async Task ListDeepAsync(CaseService.CaseServiceClient cases, int pageSize)
{
    var latencies = new List<double>();
    var token = "";
    var total = 0;
    do
    {
        var started = Stopwatch.GetTimestamp();
        var page = await cases.ListCasesAsync(new ListCasesRequest { PageSize = pageSize, PageToken = token });
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        total += page.Cases.Count;
        token = page.NextPageToken;
    }
    while (token != "");
    static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
    var tenth = Math.Max(1, latencies.Count / 10);
    Console.WriteLine($"ListCases: {total:N0} cases in {latencies.Count:N0} pages of {pageSize}: median page " +
                      $"{Median(latencies.Skip(1).Take(tenth)):F2} ms over the first tenth, {Median(latencies.TakeLast(tenth)):F2} ms over the last tenth");
}

static async Task WaitServingAsync(GrpcChannel channel)
{
    var health = new Health.HealthClient(channel);
    for (var i = 0; i < 600; i++)
    {
        try
        {
            if ((await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return;
            }
        }
        catch (RpcException) { }
        await Task.Delay(100);
    }
    throw new TimeoutException("The gateway did not become SERVING in 60 s.");
}

static async Task<List<string>> OpenNipsAsync(CaseService.CaseServiceClient cases)
{
    var open = new List<string>();
    var token = "";
    do
    {
        var page = await cases.ListCasesAsync(new ListCasesRequest { PageSize = 1000, PageToken = token });
        open.AddRange(page.Cases.Where(c => c.Open).Select(c => c.Nip));
        token = page.NextPageToken;
    }
    while (token != "");
    return open;
}

// One NIP in 100 has an open case; the rest are valid NIPs that have none.
static string[] Workload(IReadOnlyList<string> openNips, int count)
{
    var random = new Random(42);
    return Enumerable.Range(0, count).Select(i =>
    {
        if (i % 100 == 0 && openNips.Count > 0)
        {
            return openNips[random.Next(openNips.Count)];
        }
        var birth = new DateOnly(1960, 1, 1).AddDays(random.Next(365 * 40));
        return $"{birth:yyyyMMdd}{birth.AddYears(22):yyyyMM}{random.Next(1, 3)}{random.Next(0, 900):D3}";
    }).ToArray();
}

static async Task<(double PerSecond, double P50, double P99, long Hits)> RunUnaryAsync(
    CaseService.CaseServiceClient cases, string[] nips, int calls, int concurrency)
{
    var latencies = new double[calls];
    var next = -1;
    long hits = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < calls)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nips[i] });
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (answer.HasOpenCase)
            {
                Interlocked.Increment(ref hits);
            }
        }
    }));
    var elapsed = clock.Elapsed;
    Array.Sort(latencies);
    return (calls / elapsed.TotalSeconds, latencies[calls / 2], latencies[(int)(calls * 0.99)], hits);
}

static async Task<(double PerSecond, TimeSpan Elapsed, long Hits)> RunStreamAsync(
    CaseService.CaseServiceClient cases, string[] nips, int count, int batch)
{
    var clock = Stopwatch.StartNew();
    using var call = cases.CheckOpenCases();
    var reading = Task.Run(async () =>
    {
        var position = 0;
        long hits = 0;
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            foreach (var answer in response.Answers)
            {
                if (answer.Nip != nips[position++])
                {
                    throw new InvalidOperationException($"Answer {position - 1} is for {answer.Nip}, not {nips[position - 1]}.");
                }
                hits += answer.HasOpenCase ? 1 : 0;
            }
        }
        if (position != count)
        {
            throw new InvalidOperationException($"{position} answers for {count} NIPs.");
        }
        return hits;
    });
    for (var offset = 0; offset < count; offset += batch)
    {
        var message = new CheckOpenCasesRequest();
        message.Nips.AddRange(new ArraySegment<string>(nips, offset, Math.Min(batch, count - offset)));
        await call.RequestStream.WriteAsync(message);
    }
    await call.RequestStream.CompleteAsync();
    var total = await reading;
    var elapsed = clock.Elapsed;
    return (count / elapsed.TotalSeconds, elapsed, total);
}
