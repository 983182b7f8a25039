using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Netralitas.Gateway;
using Netralitas.Data;
using Netralitas.Domain;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Recommendations;

// Writes a large synthetic case set straight into a gateway database, through the gateway's own
// intake rules and the same SaveChanges (so the statistics' facts are written too), so that
// benchmarks start from a realistic load without filing 100,000 calls.
//   Netralitas.Bench.Seed <data-directory> [cases=100000] [largest-agency=0] [gateway settings...]
// Cases spread over both 2024 elections, every province, 14 categories, the position kinds and
// sources, and 500 synthetic agencies; one in four is decided not proven, one in four proven.
// With largest-agency N > 0 the first N cases belong to agency BENCH-LARGEST and are proven and
// recommended, four in five followed up (the monev export's worst case). Settings such as
// --Netralitas:Database:Provider=PostgreSql --Netralitas:Database:ConnectionString=... seed PostgreSQL.
var dataDirectory = args.ElementAtOrDefault(0) ?? throw new ArgumentException("usage: Netralitas.Bench.Seed <data-directory> [cases] [largest-agency] [settings]");
var count = int.Parse(args.ElementAtOrDefault(1) ?? "100000");
var largest = int.Parse(args.ElementAtOrDefault(2) ?? "0");
var settings = args.Skip(3).ToArray();

var app = GatewayApplication.Build([$"--Netralitas:Database:DataDirectory={dataDirectory}", "--Netralitas:Logging:Json=false", .. settings]);
await using (var scope = app.Services.CreateAsyncScope())
{
    await Netralitas.Gateway.Workers.DatabaseInitializer.MigrateAsync(scope.ServiceProvider.GetRequiredService<NetralitasDbContext>(), CancellationToken.None);
}
var provinces = app.Services.GetRequiredService<ReferenceCatalog>().Provinces;
var violations = app.Services.GetRequiredService<ReferenceCatalog>().Violations;

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
        var admitted = intake.Admit(Report(i, i < largest));
        if (i < largest || i % 4 == 2)
        {
            admitted.Decide(Outcome.Proven, $"BENCH/{i}", new DateOnly(2024, 11, 20), null, now);
        }
        else if (i % 4 == 3)
        {
            admitted.Decide(Outcome.NotProven, $"BENCH/{i}", new DateOnly(2024, 11, 20), null, now);
        }
        db.Cases.Add(admitted);
        db.CaseChanges.Add(new CaseChange { Nip = admitted.Nip, ChangedAt = admitted.UpdatedAt });
    }
    await db.SaveChangesAsync();
}
Console.WriteLine($"seeded {count:N0} cases in {clock.Elapsed.TotalSeconds:F1} s");

if (largest > 0)
{
    clock.Restart();
    await using var scope = app.Services.CreateAsyncScope();
    var caseIds = await scope.ServiceProvider.GetRequiredService<NetralitasDbContext>().Cases
        .Where(c => c.InstansiCode == "BENCH-LARGEST").OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
    for (var i = 0; i < caseIds.Count; i++)
    {
        // One scope per letter: the desk's context would otherwise track every recommendation.
        await using var letterScope = app.Services.CreateAsyncScope();
        var desk = letterScope.ServiceProvider.GetRequiredService<RecommendationDesk>();
        var issued = await desk.IssueAsync(new IssueRecommendationCommand(NeutralityCase.ResourceNameOf(caseIds[i]), "KASN", $"B-{i}/BENCH/2024",
            new DateParts(2024, 11, 25), "BENCH-LARGEST", "Instansi Bench Terbesar", SanctionLevel.HdBerat, "", ""), CancellationToken.None);
        if (i % 5 != 4)
        {
            await desk.RecordFollowUpAsync(new RecordFollowUpCommand(issued.ResourceName, $"800/{i}/2024",
                new DateParts(2024, 12, 2 + i % 20), i % 7 == 0 ? SanctionLevel.HdSedang : SanctionLevel.HdBerat, "", ""), InstansiScope.All, CancellationToken.None);
        }
    }
    Console.WriteLine($"recommended {caseIds.Count:N0} cases of BENCH-LARGEST in {clock.Elapsed.TotalSeconds:F1} s");
}
return 0;

// Distinct valid NIPs: 10,000 birth dates (1965-1992) x sequence numbers from 800.
FileCaseCommand Report(int i, bool inLargest)
{
    var birth = new DateOnly(1965, 1, 1).AddDays(i % 10_000);
    var nip = $"{birth:yyyyMMdd}{birth.AddYears(23):yyyyMM}{1 + i % 2}{800 + i / 10_000:D3}";
    var pilkada = inLargest || i % 3 != 0;
    var province = provinces[i % provinces.Count];
    var violation = violations[i % violations.Count];
    var actDate = pilkada ? new DateOnly(2024, 5, 1).AddDays(i % 200) : new DateOnly(2023, 6, 1).AddDays(i % 250);
    var agency = inLargest ? "BENCH-LARGEST" : $"BENCH-{i % 500:D3}";
    return new FileCaseCommand(nip, $"ASN Bench {i}", agency, inLargest ? "Instansi Bench Terbesar" : $"Instansi Bench {i % 500:D3}",
        (PositionKind)(i % 6), "", pilkada ? "pilkada-2024" : "pemilu-2024", violation.Code,
        new DateParts(actDate.Year, actDate.Month, actDate.Day), province.Code, "", (ReportSource)(1 + i % 4), $"BENCH/{i}", [], "");
}
