using Netralitas.Adapters.ReferenceData;
using Netralitas.Data.Demo;
using Netralitas.V1;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>
/// A gateway started with the demo data (Netralitas:DemoData:Enabled), called through the public API:
/// the whole loop is there — recommendations, PPK decrees on time, late and lighter, warnings,
/// reprimands, blocks and releases — with seed 001's figures, and a second start loads nothing again.
/// </summary>
public abstract class DemoDataContract<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly DemoData Expected = DemoDataSet.Build(
        ReferenceDataLoader.Load(new ReferenceDataOptions()), ReferenceDataLoader.LoadCalendar(new ReferenceDataOptions()));

    [Fact]
    public async Task The_demo_data_shows_the_whole_loop_through_the_api_and_loads_once()
    {
        await using var database = new TDatabase();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Netralitas:DemoData:Enabled"] = "true" };
        Snapshot first;
        await using (var host = await GatewayHost.StartAsync(settings))
        {
            await host.WaitUntilServingAsync();
            Assert.True(host.Logged("Demo data loaded in"), "no load logged");
            first = await SnapshotAsync(host);
            await TheLoopIsThereAsync(host, first);
        }

        await using var again = await GatewayHost.StartAsync(settings);
        await again.WaitUntilServingAsync();
        Assert.True(again.Logged("Demo data already present; not loaded again"));
        Assert.False(again.Logged("Demo data loaded in"));
        var second = await SnapshotAsync(again);
        Assert.Equal(first.Cases.Count, second.Cases.Count);
        Assert.Equal(first.Recommendations.Select(r => (r.Name, r.Status, r.EscalationStage, r.FollowUps.Count)),
            second.Recommendations.Select(r => (r.Name, r.Status, r.EscalationStage, r.FollowUps.Count)));
        Assert.Equal(first.Actions.Select(a => a.Name), second.Actions.Select(a => a.Name));
        Assert.Equal(first.OutboxMessages, second.OutboxMessages);
    }

    [Fact]
    public async Task A_load_stopped_half_way_is_finished_by_the_next_start_with_nothing_twice()
    {
        await using var database = new TDatabase();
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Netralitas:DemoData:Enabled"] = "true",
            ["Netralitas:Logging:Json"] = "false",
        };
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using (var gateway = GatewayProcess.Start(settings, log: log.Enqueue))
        {
            try
            {
                await Poll.UntilAsync(() => gateway.HasExited || log.Any(l => l.Contains("playing", StringComparison.Ordinal)), TimeSpan.FromSeconds(120));
                Assert.False(gateway.HasExited, string.Join(Environment.NewLine, log));
                // Some days into the timeline: letters, decrees and escalation steps of earlier days are committed.
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
            finally
            {
                gateway.Kill(entireProcessTree: true);
                await gateway.WaitForExitAsync();
            }
        }
        var finishedBeforeTheKill = log.Any(l => l.Contains("Demo data loaded in", StringComparison.Ordinal));

        await using var host = await GatewayHost.StartAsync(settings);
        await host.WaitUntilServingAsync();
        Assert.True(host.Logged(finishedBeforeTheKill
            ? "Demo data already present; not loaded again"
            : "Demo data partly present (an earlier start stopped while loading it); finishing the load"));
        await TheLoopIsThereAsync(host, await SnapshotAsync(host));
    }

    private static async Task TheLoopIsThereAsync(GatewayHost host, Snapshot snapshot)
    {
        var cases = new CaseService.CaseServiceClient(host.Channel);
        var recommendations = new RecommendationService.RecommendationServiceClient(host.Channel);
        var compliance = new ComplianceService.ComplianceServiceClient(host.Channel);
        var statistics = new StatisticsService.StatisticsServiceClient(host.Channel);
        var monev = new MonevService.MonevServiceClient(host.Channel);

        // The statistics agree with what the lists show (the seed's tables are checked by tests/interop/seed-figures.mjs).
        var funnel = (await statistics.GetFunnelAsync(new GetFunnelRequest { Filter = new StatisticsFilter { ElectionId = "pilkada-2020" } }))
            .Stages.ToDictionary(s => s.Stage);
        Assert.Equal((2034L, 1596L, 78.5, 1373L, 86.0), (funnel[FunnelStage.Reported].Count, funnel[FunnelStage.Proven].Count,
            funnel[FunnelStage.Proven].Percent, funnel[FunnelStage.FollowedUp].Count, funnel[FunnelStage.FollowedUp].Percent));
        var purbalingga2020 = await monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = "3303", ElectionId = "pilkada-2020" });
        Assert.Equal("Kabupaten Purbalingga", purbalingga2020.InstansiName);
        Assert.Equal(DutyStatus.Met, purbalingga2020.Checklist.Single(c => c.Duty == PpkDuty.IntegrityPact).Status);
        Assert.Equal(DutyStatus.Met, purbalingga2020.Checklist.Single(c => c.Duty == PpkDuty.InternalTeam).Status);
        Assert.Equal(DutyStatus.NotMet, purbalingga2020.Checklist.Single(c => c.Duty == PpkDuty.FollowUpRecommendations).Status);
        var semarang = await monev.GetAgencyMonevAsync(new GetAgencyMonevRequest { InstansiCode = "3374", ElectionId = "pilkada-2020" });
        Assert.Equal(DutyStatus.NotMet, semarang.Checklist.Single(c => c.Duty == PpkDuty.IntegrityPact).Status);
        Assert.Null(semarang.SupervisionTeam);

        // Seed 001's funnel, read back through the API.
        var pilkada2020 = snapshot.Cases.Where(c => c.ElectionId == "pilkada-2020").ToDictionary(c => c.Name);
        Assert.Equal(2034, pilkada2020.Count);
        Assert.Equal(1596, pilkada2020.Values.Count(c => c.Status is CaseStatus.Proven or CaseStatus.Sanctioned));
        Assert.Equal(181, snapshot.Cases.Count(c => c.ElectionId == "pilkada-2024"));
        var letters2020 = snapshot.Recommendations.Where(r => pilkada2020.ContainsKey(r.Case)).ToArray();
        Assert.Equal(1596, letters2020.Length);
        Assert.All(letters2020, r => Assert.Equal("KASN", r.AuthorityCode));
        Assert.Equal(1373, letters2020.Count(r => r.FollowUps.Count > 0));
        Assert.All(letters2020, r => Assert.True(r.DueOnProvisional)); // 2020-2021 have no official list
        Assert.Contains(snapshot.Recommendations, r => r.AuthorityCode == "BKN" && !r.DueOnProvisional);

        // Every recommendation ended where its PPK's answer puts it, as the sweep of each day left it.
        var expected = Expected.Reports.Where(r => r.Recommendation is not null)
            .GroupBy(r => r.Recommendation!.FollowUp).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected[DemoFollowUpKind.OnTime], snapshot.Recommendations.Count(r => r.EscalationStage == EscalationStage.NotEscalated));
        Assert.Equal(expected[DemoFollowUpKind.LateAfterWarning], snapshot.Recommendations.Count(r => r.EscalationStage == EscalationStage.Warned));
        Assert.Equal(expected[DemoFollowUpKind.LateAfterReprimand], snapshot.Recommendations.Count(r => r.EscalationStage == EscalationStage.Reprimanded));
        Assert.Equal(expected[DemoFollowUpKind.LateAfterBlock], snapshot.Recommendations.Count(r => r.EscalationStage == EscalationStage.Released));
        Assert.Equal(expected[DemoFollowUpKind.Lighter] + expected[DemoFollowUpKind.Unanswered],
            snapshot.Recommendations.Count(r => r.EscalationStage == EscalationStage.Blocked));
        Assert.Equal(expected[DemoFollowUpKind.Lighter], snapshot.Recommendations.Count(r => r.Status == RecommendationStatus.NonCompliant));
        Assert.Equal(expected[DemoFollowUpKind.Unanswered], snapshot.Recommendations.Count(r => r.Status == RecommendationStatus.AwaitingFollowUp));

        // Warnings, reprimands, blocks and releases, for the development PPKs' agencies too.
        foreach (var agency in new[] { "", "3303", "3374" })
        {
            foreach (var kind in new[] { EnforcementActionKind.Warning, EnforcementActionKind.Reprimand, EnforcementActionKind.Block, EnforcementActionKind.Release })
            {
                var actions = await compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest { PpkInstansiCode = agency, Kind = kind, PageSize = 1 });
                Assert.True(actions.Actions.Count == 1, $"no {kind} for '{agency}'");
            }
            if (agency.Length == 0)
            {
                continue;
            }
            var listed = await recommendations.ListRecommendationsAsync(new ListRecommendationsRequest { PpkInstansiCode = agency, PageSize = 1000 });
            Assert.NotEmpty(listed.Recommendations);
            Assert.Equal(
                [EscalationStage.NotEscalated, EscalationStage.Warned, EscalationStage.Reprimanded, EscalationStage.Blocked, EscalationStage.Released],
                listed.Recommendations.Select(r => r.EscalationStage).Distinct().Order());
        }

        var purbalingga = await compliance.CheckPpkComplianceAsync(new CheckPpkComplianceRequest { PpkInstansiCode = "3303" });
        Assert.Equal("Kabupaten Purbalingga", purbalingga.PpkInstansiName);
        Assert.True(purbalingga.Complied > 0 && purbalingga.CompliedLate > 0 && purbalingga.UnansweredOverdue > 0 && purbalingga.NonCompliant > 0,
            purbalingga.ToString());
        Assert.Equal(purbalingga.Total, purbalingga.Complied + purbalingga.UnansweredOverdue + purbalingga.NonCompliant);

        var table = await compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest { PageSize = 1000 });
        Assert.Contains(table.Agencies, a => a.PpkInstansiCode == "3303" && a.PpkInstansiName == "Kabupaten Purbalingga");
        Assert.Contains(table.Agencies, a => a.PpkInstansiCode == "3374" && a.PpkInstansiName == "Kota Semarang");
        Assert.NotEmpty((await compliance.ListNonCompliantPpkAsync(new ListNonCompliantPpkRequest { ElectionId = "pilkada-2024", ProvinceCode = "76" })).Agencies);

        // Nothing is left for today's sweep: the escalation ran its course on the historical days.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        var preview = await compliance.RunEscalationAsync(new RunEscalationRequest
            { ValidateOnly = true, AsOf = new Date { Year = today.Year, Month = today.Month, Day = today.Day } });
        Assert.Empty(preview.Steps);

        // A blocked ASN is blocked for HasOpenCase; a released one is not.
        var blocked = snapshot.Recommendations.First(r => r.EscalationStage == EscalationStage.Blocked);
        var answer = await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = blocked.Nip });
        Assert.True(answer.HasOpenCase && answer.Blocked);
        // The README's example: an ASN of Kabupaten Purbalingga whose PPK never answered.
        var example = await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = "196509071990011935" });
        Assert.True(example.HasOpenCase && example.Blocked);
        var released = snapshot.Recommendations.First(r => r.EscalationStage == EscalationStage.Released);
        Assert.False((await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = released.Nip })).Blocked);

        // The history of a released one tells the whole story, at its historical dates.
        var status = await recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = released.Name });
        Assert.Equal(
            [FollowUpEventKind.Issued, FollowUpEventKind.Overdue, FollowUpEventKind.Warned, FollowUpEventKind.Reprimanded, FollowUpEventKind.Blocked,
                FollowUpEventKind.FollowedUpCompliant, FollowUpEventKind.Released],
            status.History.Select(e => e.Kind).Where(k => k is not (FollowUpEventKind.DueSoon or FollowUpEventKind.FollowedUpLighter)));
        Assert.True(status.History[^1].BusinessDate.Year < today.Year);
    }

    private sealed record Snapshot(IReadOnlyList<Case> Cases, IReadOnlyList<Recommendation> Recommendations, IReadOnlyList<EnforcementAction> Actions, int OutboxMessages);

    private static async Task<Snapshot> SnapshotAsync(GatewayHost host)
    {
        var cases = new CaseService.CaseServiceClient(host.Channel);
        var recommendations = new RecommendationService.RecommendationServiceClient(host.Channel);
        var compliance = new ComplianceService.ComplianceServiceClient(host.Channel);
        var outbox = new OutboxService.OutboxServiceClient(host.Channel);
        return new Snapshot(
            await AllAsync(async token =>
            {
                var page = await cases.ListCasesAsync(new ListCasesRequest { PageSize = 1000, PageToken = token });
                return (page.Cases, page.NextPageToken);
            }),
            await AllAsync(async token =>
            {
                var page = await recommendations.ListRecommendationsAsync(new ListRecommendationsRequest { PageSize = 1000, PageToken = token });
                return (page.Recommendations, page.NextPageToken);
            }),
            await AllAsync(async token =>
            {
                var page = await compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest { PageSize = 1000, PageToken = token });
                return (page.Actions, page.NextPageToken);
            }),
            (await AllAsync(async token =>
            {
                var page = await outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest { PageSize = 1000, PageToken = token });
                return (page.Messages, page.NextPageToken);
            })).Count);
    }

    private static async Task<IReadOnlyList<T>> AllAsync<T>(Func<string, Task<(Google.Protobuf.Collections.RepeatedField<T> Items, string Next)>> page)
    {
        var all = new List<T>();
        var token = "";
        do
        {
            var (items, next) = await page(token);
            all.AddRange(items);
            token = next;
        }
        while (token != "");
        return all;
    }
}

public sealed class DemoDataOnSqlite : DemoDataContract<SqliteTestDatabase>;

public sealed class DemoDataOnPostgres : DemoDataContract<PostgresTestDatabase>;
