using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Netralitas.Data;
using Netralitas.Domain;
using Netralitas.Domain.Cases;
using Netralitas.Gateway;
using Netralitas.Gateway.Workers;

// How fast other replicas may write before this replica's change-log follower falls behind.
//   Netralitas.Bench.Follower <postgres-connection-string> [seconds-per-rate=10] [rates=250,1000,2000,4000]
// One gateway (the follower) runs in this process on the PostgreSQL database; a writer here plays the
// other replicas: it commits cases with their change-log rows, as a replica's FileCase does, at each
// rate in turn. For every transaction the writer notes when it committed, and a probe notes when the
// follower's index first shows the transaction's last case: the lag. Extra gateway settings
// (e.g. --Netralitas:OpenCaseIndex:FollowInterval=00:00:00.250) follow the rates.
var connectionString = args.ElementAtOrDefault(0) ?? throw new ArgumentException("usage: Netralitas.Bench.Follower <connection-string> [seconds] [rates]");
var seconds = int.Parse(args.ElementAtOrDefault(1) ?? "10");
var rates = (args.ElementAtOrDefault(2) ?? "250,1000,2000,4000").Split(',').Select(int.Parse).ToArray();

var app = GatewayApplication.Build([
    "--environment", "Development", "--urls", "http://127.0.0.1:0",
    "--Netralitas:Database:Provider=PostgreSql", $"--Netralitas:Database:ConnectionString={connectionString}",
    "--Netralitas:Logging:Json=false", "--Logging:LogLevel:Default=Warning", "--Netralitas:Escalation:SweepEnabled=false",
    .. args.Skip(3)]);
await app.StartAsync(); // returns once the gateway is ready (database migrated, index built)
var index = app.Services.GetRequiredService<OpenCaseIndex>();
var interval = app.Services.GetRequiredService<IOptions<OpenCaseIndexOptions>>().Value.FollowInterval;
Console.WriteLine($"follower: FollowInterval {interval.TotalMilliseconds:F0} ms; writer: one transaction every 20 ms, {seconds} s per rate");
Console.WriteLine("rate (cases/s)  achieved  transactions  lag p50 ms  p99 ms  max ms  not seen 5 s after the end");

var next = 0;
foreach (var rate in rates)
{
    var commits = new ConcurrentQueue<(Nip Last, long CommittedAt)>();
    var lags = new List<double>();
    using var writing = new CancellationTokenSource();
    var probe = ProbeAsync(index, commits, lags, writing.Token);
    var run = Stopwatch.StartNew();
    var written = 0;
    var transactions = 0;
    while (run.Elapsed < TimeSpan.FromSeconds(seconds))
    {
        var due = (int)Math.Min(500, rate * run.Elapsed.TotalSeconds - written);
        if (due > 0)
        {
            var last = await WriteCasesAsync(due);
            commits.Enqueue((Nip.FromValidated(last), Stopwatch.GetTimestamp()));
            written += due;
            transactions++;
        }
        await Task.Delay(20);
    }
    var achieved = written / run.Elapsed.TotalSeconds;
    await writing.CancelAsync();
    var unseen = await probe;
    var seen = lags.Order().ToArray();
    Console.WriteLine($"{rate,14:N0}  {achieved,8:N0}  {transactions,12:N0}  {Percentile(seen, 0.50),10:F0}  {Percentile(seen, 0.99),6:F0}  {(seen.Length > 0 ? seen[^1] : double.NaN),6:F0}  {unseen,5}");
}
// The follower's own capacity, apart from the writer's: a backlog written as fast as possible in
// transactions of 1,000, then one catch-up timed (the follower may have applied part of it meanwhile).
const int Backlog = 50_000;
var sync = app.Services.GetRequiredService<OpenCaseIndexSync>();
var backlogWrite = Stopwatch.StartNew();
for (var written = 0; written < Backlog; written += 1_000)
{
    await WriteCasesAsync(1_000);
}
backlogWrite.Stop();
var catchUp = Stopwatch.StartNew();
var applied = await sync.CatchUpAsync(CancellationToken.None);
catchUp.Stop();
Console.WriteLine($"backlog: {Backlog:N0} cases written in {backlogWrite.Elapsed.TotalSeconds:F1} s ({Backlog / backlogWrite.Elapsed.TotalSeconds:N0}/s); " +
    $"one catch-up then applied the {applied:N0} entries not yet followed in {catchUp.Elapsed.TotalMilliseconds:F0} ms " +
    $"({applied / catchUp.Elapsed.TotalSeconds:N0} entries/s)");

await app.StopAsync();
return 0;

// Commits `count` new cases with their change-log rows in one transaction, as a replica's FileCase
// does; returns the last case's NIP.
async Task<string> WriteCasesAsync(int count)
{
    await using var scope = app.Services.CreateAsyncScope();
    var intake = scope.ServiceProvider.GetRequiredService<CaseIntake>();
    var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
    NeutralityCase? last = null;
    for (var i = 0; i < count; i++)
    {
        last = intake.Admit(Report(next++));
        db.Cases.Add(last);
        db.CaseChanges.Add(new CaseChange { Nip = last.Nip, ChangedAt = last.UpdatedAt });
    }
    await db.SaveChangesAsync();
    return last!.Nip;
}

// Polls the index every millisecond for each committed transaction's last case until it shows, while the
// writer runs and up to 5 s after it stops; returns how many never showed.
static async Task<int> ProbeAsync(OpenCaseIndex index, ConcurrentQueue<(Nip Last, long CommittedAt)> commits, List<double> lags, CancellationToken writing)
{
    await Task.Yield();
    var pending = new List<(Nip Last, long CommittedAt)>();
    long? giveUpAt = null;
    while (true)
    {
        while (commits.TryDequeue(out var commit))
        {
            pending.Add(commit);
        }
        pending.RemoveAll(commit =>
        {
            if (index.StandingOf(commit.Last).OpenCount == 0)
            {
                return false;
            }
            lags.Add(Stopwatch.GetElapsedTime(commit.CommittedAt).TotalMilliseconds);
            return true;
        });
        if (writing.IsCancellationRequested)
        {
            giveUpAt ??= Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
            if (commits.IsEmpty && (pending.Count == 0 || Stopwatch.GetTimestamp() > giveUpAt))
            {
                return pending.Count;
            }
        }
        await Task.Delay(1, CancellationToken.None);
    }
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

// Distinct valid NIPs: 10,000 birth dates (1965-1992) x sequence numbers from 100.
static FileCaseCommand Report(int i)
{
    var birth = new DateOnly(1965, 1, 1).AddDays(i % 10_000);
    var nip = $"{birth:yyyyMMdd}{birth.AddYears(23):yyyyMM}{1 + i % 2}{100 + i / 10_000:D3}";
    return new FileCaseCommand(nip, $"ASN Follower {i}", $"BENCH-{i % 500:D3}", $"Instansi Bench {i % 500:D3}",
        PositionKind.Fungsional, "", "pilkada-2024", "MEDSOS_KAMPANYE", new DateParts(2024, 10, 1 + i % 28), "33", "",
        ReportSource.Public, "", [], "");
}
