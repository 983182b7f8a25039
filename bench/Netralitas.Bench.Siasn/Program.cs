using System.Diagnostics;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Netralitas.Simulator;
using Netralitas.Gateway;
using Netralitas.V1;
using Date = Google.Type.Date;

// SIASN adapter benchmarks.
//   export FILE [rows=1000000]      writes a synthetic SIASN/SAPK export (the simulator's personnel set)
//   relay DATA_DIR [commands=2000]  block commands decided through the API, then delivered to the simulator: commands/s
return args.ElementAtOrDefault(0) switch
{
    "export" => Export(args[1], int.Parse(args.ElementAtOrDefault(2) ?? "1000000")),
    "relay" => await RelayAsync(args[1], int.Parse(args.ElementAtOrDefault(2) ?? "2000")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Netralitas.Bench.Siasn export FILE [rows] | relay DATA_DIR [commands]");
    return 2;
}

static int Export(string path, int rows)
{
    var watch = Stopwatch.StartNew();
    using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
    {
        SyntheticPersonnel.WriteCsv(writer, rows);
    }
    Console.WriteLine($"export: {rows:N0} rows, {new FileInfo(path).Length / 1048576.0:F0} MB, written in {watch.Elapsed.TotalSeconds:F1} s");
    return 0;
}

static async Task<int> RelayAsync(string dataDirectory, int commands)
{
    // The ladder of the integration tests: letter 5 Apr 2024, block on 27 May 2024.
    var clock = new ShiftedClock();
    string[] common = [$"--Netralitas:Database:DataDirectory={dataDirectory}", "--Netralitas:Logging:Json=false",
        "--Netralitas:Escalation:SweepEnabled=false", "--Logging:LogLevel:Default=Warning"];
    var instansi = "BENCH-RELAY";
    await using (var offline = await StartAsync(common, clock))
    {
        using var channel = GrpcChannel.ForAddress(offline.Address);
        var cases = new CaseService.CaseServiceClient(channel);
        var recommendations = new RecommendationService.RecommendationServiceClient(channel);
        var compliance = new ComplianceService.ComplianceServiceClient(channel);
        var setup = Stopwatch.StartNew();
        // Appointed before the act (10 Jan 2024): the intake refuses an act before the TMT CPNS.
        var nips = SyntheticPersonnel.Nips(commands * 2, seed: 7).Where(n => string.CompareOrdinal(n[8..14], "202312") <= 0).Take(commands).ToArray();
        var proven = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(nips, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (nip, _) =>
        {
            var filed = await cases.FileCaseAsync(new FileCaseRequest { Case = Report(nip, instansi) });
            proven.Add((await cases.DecideCaseAsync(new DecideCaseRequest
            {
                Name = filed.Name, Outcome = Outcome.Proven, DecisionReference = $"BENCH/{nip}", DecidedOn = new Date { Year = 2024, Month = 3, Day = 20 },
            })).Name);
        });
        clock.MoveTo(new DateOnly(2024, 4, 5));
        await Parallel.ForEachAsync(proven, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, _) =>
            await recommendations.IssueRecommendationAsync(new IssueRecommendationRequest
            {
                Case = name,
                Recommendation = new Recommendation
                {
                    AuthorityCode = "KASN", LetterNumber = $"B-{name[^8..]}/KASN/4/2024", IssuedOn = new Date { Year = 2024, Month = 4, Day = 5 },
                    PpkInstansiCode = instansi, PpkInstansiName = "Kabupaten Bench",
                    Sanction = new Sanction { Level = SanctionLevel.HdBerat, Form = "penurunan jabatan" },
                },
            }));
        foreach (var day in new[] { new DateOnly(2024, 4, 30), new(2024, 5, 7), new(2024, 5, 16), new(2024, 5, 27) })
        {
            clock.MoveTo(day);
            await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi });
        }
        Console.WriteLine($"relay: {commands:N0} block commands decided through the API in {setup.Elapsed.TotalSeconds:F1} s");
    }

    await using var simulator = await SiasnSimulator.StartAsync(new SiasnSimulatorOptions());
    var watch = Stopwatch.StartNew();
    await using var online = await StartAsync([.. common, "--Netralitas:Siasn:Mode=Remote",
        .. simulator.ClientSettings().Select(s => $"--{s.Key}={s.Value}"),
        "--Netralitas:Siasn:Relay:PollInterval=00:00:00.050"], clock);
    while (simulator.State.Deliveries.Count(d => d.Applied) < commands)
    {
        await Task.Delay(20);
    }
    var seconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine($"relay: {commands:N0} blocks delivered to the simulator in {seconds:F2} s (including gateway start): {commands / seconds:N0} commands/s");
    return 0;
}

static async Task<Running> StartAsync(string[] args, TimeProvider clock)
{
    // Development mode (the bench calls without credentials), with the per-caller rate limit lifted.
    var app = GatewayApplication.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0",
        "--Netralitas:Security:Limits:CallsPerSecond=100000000", "--Netralitas:Security:Limits:CallBurst=100000000", .. args],
        b => b.Services.AddSingleton(clock));
    await app.StartAsync();
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    var readiness = app.Services.GetRequiredService<Netralitas.Gateway.Health.GatewayReadiness>();
    while (!readiness.IsReady)
    {
        await Task.Delay(20);
    }
    return new Running(app, address);
}

static Case Report(string nip, string instansi) => new()
{
    Nip = nip, ReportedName = "Sintetis Bench", InstansiCode = instansi, InstansiName = "Kabupaten Bench",
    ReportedPosition = new ReportedPosition { Kind = PositionKind.Fungsional, Title = "Guru" },
    ElectionId = "pemilu-2024", ViolationCode = "MEDSOS_KAMPANYE", ActDate = new Date { Year = 2024, Month = 1, Day = 10 },
    Place = new Place { ProvinceCode = "33", Regency = "Kabupaten Purbalingga" }, Source = ReportSource.Bawaslu, SourceReference = $"BENCH/{nip}",
};

sealed record Running(WebApplication App, Uri Address) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>The real clock moved to 09:00 WIB of a chosen day, still ticking.</summary>
sealed class ShiftedClock : TimeProvider
{
    private TimeSpan _offset;

    public ShiftedClock() => MoveTo(new DateOnly(2024, 3, 21));

    public void MoveTo(DateOnly day) =>
        _offset = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(7)) - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
