using Microsoft.Extensions.DependencyInjection;
using Netralitas.Data;
using Netralitas.Domain;
using Netralitas.Domain.Cases;
using Netralitas.Gateway.Workers;
using Netralitas.V1;
using DomainOutcome = Netralitas.Domain.Outcome;

namespace Netralitas.IntegrationTests;

/// <summary>
/// The change-log follower against a real database, driven step by step. Other replicas' writes
/// are simulated by writing cases and change-log rows straight into the database, with the ids
/// a concurrent commit order would leave: holes, late commits, a write the log never shows.
/// </summary>
public abstract class IndexSyncContract<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task The_follower_applies_late_commits_expires_holes_and_reconciliation_heals_the_rest()
    {
        await using var database = new TDatabase();
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            // The background loop stays idle; the test drives the sync itself.
            ["Netralitas:OpenCaseIndex:FollowInterval"] = "01:00:00",
            ["Netralitas:OpenCaseIndex:GapGrace"] = "00:00:00.300",
        };
        await using var host = await GatewayHost.StartAsync(settings);
        await host.WaitUntilServingAsync();
        var sync = host.Services.GetRequiredService<OpenCaseIndexSync>();
        var statistics = host.Services.GetRequiredService<Domain.Statistics.StatisticsIndex>();
        var cases = new CaseService.CaseServiceClient(host.Channel);
        async Task<bool> IsOpen(string nip) => (await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip })).HasOpenCase;
        var before = statistics.CaseCount;

        // Another replica commits change 2 before change 1: 1 is a hole.
        var (x, y, z, w) = (Reports.NewNip(), Reports.NewNip(), Reports.NewNip(), Reports.NewNip());
        await WriteElsewhereAsync(host, x, changeId: 2);
        Assert.Equal(1, await sync.CatchUpAsync(CancellationToken.None));
        Assert.True(await IsOpen(x));
        Assert.Equal(1, sync.OpenHoles);

        // Change 1 commits late: it fills the hole and is applied.
        await WriteElsewhereAsync(host, y, changeId: 1);
        Assert.Equal(1, await sync.CatchUpAsync(CancellationToken.None));
        Assert.True(await IsOpen(y));
        Assert.Equal(0, sync.OpenHoles);

        // Changes 3 and 4 never commit (rolled back): after the grace they are no longer awaited.
        await WriteElsewhereAsync(host, z, changeId: 5);
        Assert.Equal(1, await sync.CatchUpAsync(CancellationToken.None));
        Assert.True(await IsOpen(z));
        Assert.Equal(2, sync.OpenHoles);
        await Task.Delay(400);
        Assert.Equal(0, await sync.CatchUpAsync(CancellationToken.None));
        Assert.Equal(0, sync.OpenHoles);
        Assert.Equal(5, sync.ReadCursor);
        Assert.Equal(before + 3, statistics.CaseCount); // the statistics ride on the same log

        // A write the log does not show (slower than the grace), and a case closed the same way:
        // the follower cannot see them; reconciliation corrects both.
        await WriteElsewhereAsync(host, w, changeId: null);
        await CloseElsewhereAsync(host, x);
        Assert.Equal(0, await sync.CatchUpAsync(CancellationToken.None));
        Assert.False(await IsOpen(w));
        Assert.True(await IsOpen(x));
        Assert.Equal(before + 3, statistics.CaseCount);
        Assert.Equal(2, await sync.ReconcileAsync(CancellationToken.None));
        Assert.True(await IsOpen(w));
        Assert.False(await IsOpen(x));
        // The reconciliation reloaded the statistics too: the case the log never showed, and x's decision.
        Assert.Equal(before + 4, statistics.CaseCount);
        var everything = new Domain.Statistics.StatisticsQuery("", null, null, null, null, "", "", Domain.ReportSource.Unspecified);
        Assert.Equal(1, statistics.Funnel(everything, DateOnly.FromDateTime(DateTime.UtcNow)).Where(c => c.Status == Domain.CaseStatus.NotProven).Sum(c => c.Count));
        Assert.Equal(0, await sync.ReconcileAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Catching_up_reads_the_log_and_the_standings_in_batches_until_nothing_is_left()
    {
        await using var database = new TDatabase();
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Netralitas:OpenCaseIndex:FollowInterval"] = "01:00:00",
        };
        await using var host = await GatewayHost.StartAsync(settings);
        await host.WaitUntilServingAsync();
        var sync = host.Services.GetRequiredService<OpenCaseIndexSync>();
        var index = host.Services.GetRequiredService<OpenCaseIndex>();

        // More entries than one read of the log takes (2,000) and more NIPs than one standings read (1,000).
        var nips = Enumerable.Range(0, 2_345).Select(_ => Reports.NewNip()).ToArray();
        await WriteManyElsewhereAsync(host, nips);
        Assert.All(nips, nip => Assert.Equal(0, index.StandingOf(Nip.FromValidated(nip)).OpenCount));

        Assert.Equal(nips.Length, await sync.CatchUpAsync(CancellationToken.None));
        Assert.All(nips, nip => Assert.Equal(1, index.StandingOf(Nip.FromValidated(nip)).OpenCount));
        Assert.Equal(0, await sync.CatchUpAsync(CancellationToken.None));
    }

    private static async Task WriteManyElsewhereAsync(GatewayHost host, IReadOnlyList<string> nips)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
        var intake = scope.ServiceProvider.GetRequiredService<CaseIntake>();
        foreach (var nip in nips)
        {
            var written = intake.Admit(ElsewhereReport(nip));
            db.Cases.Add(written);
            db.CaseChanges.Add(new CaseChange { Nip = nip, ChangedAt = written.UpdatedAt });
        }
        await db.SaveChangesAsync();
    }

    private static FileCaseCommand ElsewhereReport(string nip) =>
        new(nip, "Written Elsewhere", "3303", "Kabupaten Purbalingga", Domain.PositionKind.Unspecified, "",
            "pilkada-2024", "APK", new DateParts(2024, 10, 3), "33", "", Domain.ReportSource.Public, "", [], "");

    private static async Task WriteElsewhereAsync(GatewayHost host, string nip, long? changeId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
        var intake = scope.ServiceProvider.GetRequiredService<CaseIntake>();
        var written = intake.Admit(ElsewhereReport(nip));
        db.Cases.Add(written);
        if (changeId is { } id)
        {
            db.CaseChanges.Add(new CaseChange { Id = id, Nip = nip, ChangedAt = written.UpdatedAt });
        }
        await db.SaveChangesAsync();
    }

    private static async Task CloseElsewhereAsync(GatewayHost host, string nip)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
        var open = db.Cases.Single(c => c.Nip == nip);
        open.Decide(DomainOutcome.NotProven, "BA/ELSEWHERE", new DateOnly(2024, 10, 20), null, DateTime.UtcNow);
        await db.SaveChangesAsync();
    }
}

public sealed class IndexSyncOnSqlite : IndexSyncContract<SqliteTestDatabase>;

public sealed class IndexSyncOnPostgres : IndexSyncContract<PostgresTestDatabase>;
