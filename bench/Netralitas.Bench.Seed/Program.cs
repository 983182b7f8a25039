using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Netralitas.Gateway;
using Netralitas.Data;
using Netralitas.Domain;
using Netralitas.Domain.Cases;

// Writes a large synthetic case set straight into a gateway database, through the gateway's own
// intake rules, so that benchmarks start from a realistic load without filing 100,000 calls.
//   Netralitas.Bench.Seed <data-directory> [cases=100000]
// Every case is Pilkada 2024, under one of 500 synthetic agencies; one in four is decided not proven.
var dataDirectory = args.ElementAtOrDefault(0) ?? throw new ArgumentException("usage: Netralitas.Bench.Seed <data-directory> [cases]");
var count = int.Parse(args.ElementAtOrDefault(1) ?? "100000");

var app = GatewayApplication.Build([$"--Netralitas:Database:DataDirectory={dataDirectory}", "--Netralitas:Logging:Json=false"]);
await using (var scope = app.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
    await db.Database.MigrateAsync();
    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
}

var clock = Stopwatch.StartNew();
const int batch = 10_000;
for (var offset = 0; offset < count; offset += batch)
{
    await using var scope = app.Services.CreateAsyncScope();
    var intake = scope.ServiceProvider.GetRequiredService<CaseIntake>();
    var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
    var now = DateTime.UtcNow;
    for (var i = offset; i < Math.Min(offset + batch, count); i++)
    {
        var admitted = intake.Admit(Report(i));
        if (i % 4 == 3)
        {
            admitted.Decide(Outcome.NotProven, $"BENCH/{i}", new DateOnly(2024, 11, 20), null, now);
        }
        db.Cases.Add(admitted);
        db.CaseChanges.Add(new CaseChange { Nip = admitted.Nip, ChangedAt = admitted.UpdatedAt });
    }
    await db.SaveChangesAsync();
}
Console.WriteLine($"seeded {count:N0} cases into {Path.GetFullPath(dataDirectory)} in {clock.Elapsed.TotalSeconds:F1} s");
return 0;

// Distinct valid NIPs: 10,000 birth dates (1965-1992) x sequence numbers from 800.
static FileCaseCommand Report(int i)
{
    var birth = new DateOnly(1965, 1, 1).AddDays(i % 10_000);
    var nip = $"{birth:yyyyMMdd}{birth.AddYears(23):yyyyMM}{1 + i % 2}{800 + i / 10_000:D3}";
    return new FileCaseCommand(nip, $"ASN Bench {i}", $"BENCH-{i % 500:D3}", $"Instansi Bench {i % 500:D3}",
        PositionKind.Fungsional, "", "pilkada-2024", "MEDSOS_KAMPANYE", new DateParts(2024, 10, 1 + i % 28), "33", "",
        ReportSource.Public, "", [], "");
}
