using Netralitas.Gateway.Audit;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Netralitas.Gateway;
using Netralitas.Domain.Audit;
using Netralitas.Gateway.Health;

// The audit trail's writer on the embedded SQLite default, in process (RecordAsync is what the
// security interceptor awaits on every call):
//   DATA_DIR [callers=100] [seconds=10] [bulk-nips=1000000] [caller-ids=callers]
// 1. `callers` tasks each record single-NIP entries back to back for `seconds`, under `caller-ids`
//    distinct caller ids (member systems): entries/s and the latency of RecordAsync (enqueue to commit);
// 2. one bulk record of `bulk-nips` NIPs (a CheckOpenCases stream): its RecordAsync time;
// 3. a NIP query that has to search the bulk entry, and a verification of the whole trail.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Netralitas.Bench.Audit DATA_DIR [callers=100] [seconds=10] [bulk-nips=1000000] [caller-ids=callers]");
    return 2;
}
var dataDirectory = args[0];
var callers = int.Parse(args.ElementAtOrDefault(1) ?? "100");
var seconds = double.Parse(args.ElementAtOrDefault(2) ?? "10");
var bulkNips = int.Parse(args.ElementAtOrDefault(3) ?? "1000000");
var callerIds = int.Parse(args.ElementAtOrDefault(4) ?? callers.ToString(System.Globalization.CultureInfo.InvariantCulture));

var app = GatewayApplication.Build(["--urls", "http://127.0.0.1:0", $"--Netralitas:Database:DataDirectory={dataDirectory}",
    "--Netralitas:Logging:Json=false", "--Logging:LogLevel:Default=Warning", "--Netralitas:Escalation:SweepEnabled=false"]);
await app.StartAsync();
var readiness = app.Services.GetRequiredService<GatewayReadiness>();
while (!readiness.IsReady)
{
    await Task.Delay(20);
}
var trail = app.Services.GetRequiredService<IAuditTrail>();

await RunCallersAsync(TimeSpan.FromSeconds(2), report: false);
await RunCallersAsync(TimeSpan.FromSeconds(seconds), report: true);

var stream = Enumerable.Range(0, bulkNips).Select(i => Nip(i, callers)).ToArray();
var bulkWatch = Stopwatch.StartNew();
await trail.RecordAsync(Record("bench-bulk", stream), CancellationToken.None);
Console.WriteLine($"bulk: one record of {bulkNips:N0} NIPs committed in {bulkWatch.Elapsed.TotalMilliseconds:F0} ms (digest, pack, write)");

await using (var scope = app.Services.CreateAsyncScope())
{
    var queryWatch = Stopwatch.StartNew();
    var (found, _) = await scope.ServiceProvider.GetRequiredService<AuditQueries>()
        .ListAsync(new AuditListRequest(stream[bulkNips / 3], "", "", null, null, 50, ""), CancellationToken.None);
    Console.WriteLine($"query: NIP {stream[bulkNips / 3]} found in {found.Count} entries (the bulk one among them: {found.Any(f => f.Entry.Bulk)}) in {queryWatch.Elapsed.TotalMilliseconds:F0} ms");

    var verifyWatch = Stopwatch.StartNew();
    var verification = await scope.ServiceProvider.GetRequiredService<AuditVerifier>()
        .VerifyAsync(new AuditVerifyRequest(0, 0, null, null), CancellationToken.None);
    var verifySeconds = verifyWatch.Elapsed.TotalSeconds;
    Console.WriteLine($"verify: {verification.EntriesChecked:N0} entries, intact {verification.Intact}, in {verifySeconds:F1} s " +
        $"({verification.EntriesChecked / verifySeconds:N0} entries/s)");
    if (!verification.Intact)
    {
        return 1;
    }
}
await app.StopAsync();
await app.DisposeAsync();
return 0;

async Task RunCallersAsync(TimeSpan duration, bool report)
{
    var latencies = new List<double>[callers];
    var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
    {
        var mine = latencies[caller] = new List<double>(100_000);
        for (var i = 0; Stopwatch.GetTimestamp() < stop; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await trail.RecordAsync(Record($"bench-caller-{caller % callerIds}", [Nip(i, caller)]), CancellationToken.None);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    })));
    var elapsed = watch.Elapsed.TotalSeconds;
    if (!report)
    {
        return;
    }
    var all = latencies.SelectMany(l => l).Order().ToArray();
    double At(double quantile) => all[Math.Min(all.Length - 1, (int)(quantile * all.Length))];
    Console.WriteLine($"record: {all.Length:N0} single-NIP entries from {callers} concurrent callers ({callerIds} caller ids) in {elapsed:F1} s: " +
        $"{all.Length / elapsed:N0} entries/s; RecordAsync p50 {At(0.50):F2} ms, p90 {At(0.90):F2} ms, p99 {At(0.99):F2} ms, max {all[^1]:F1} ms");
}

static AuditRecord Record(string caller, IReadOnlyList<string> nips) => new(DateTime.UtcNow, caller, "ClientCertificate",
    "/netralitas.v1.CaseService/HasOpenCase", nips, [], nameof(StatusCode.OK), "", "ipv4:127.0.0.1:50000");

// A well-formed NIP for each (i, salt): born 1960-1994, appointed at 25, sequence from i.
static string Nip(int i, int salt)
{
    var birth = new DateOnly(1960, 1, 1).AddDays((i * 7 + salt * 131) % (365 * 35));
    return $"{birth:yyyyMMdd}{birth.AddYears(25):yyyyMM}{1 + i % 2}{(i / 2) % 1000:D3}";
}
