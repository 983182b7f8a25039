using Netralitas.Gateway.Workers;
using Grpc.Core;
using Netralitas.V1;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>
/// Escalation, the outbox and the follow-up feed over real gRPC, each test on its own database with
/// a gateway whose clock is moved through May 2024. The dates are the ones counted by hand in the
/// unit tests: letter Fri 5 Apr 2024, due Mon 6 May; warning 7 May, reprimand 16 May, block 27 May.
/// </summary>
public abstract class EscalationContract<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly DateOnly Decided = new(2024, 3, 21);
    private static readonly DateOnly Issued = new(2024, 4, 5);
    private static readonly (DateOnly Day, FollowUpEventKind[] Steps)[] Ladder =
    [
        (new DateOnly(2024, 4, 30), [FollowUpEventKind.DueSoon]),
        (new DateOnly(2024, 5, 7), [FollowUpEventKind.Overdue, FollowUpEventKind.Warned]),
        (new DateOnly(2024, 5, 16), [FollowUpEventKind.Reprimanded]),
        (new DateOnly(2024, 5, 27), [FollowUpEventKind.Blocked]),
    ];

    [Fact]
    public async Task Each_step_is_taken_once_on_its_day_and_a_compliant_decree_releases_the_block_through_the_outbox()
    {
        await using var database = new TDatabase();
        var clock = GatewayHost.ShiftedClock.At(Decided);
        var settings = new Dictionary<string, string?>(database.Settings) { ["Netralitas:FollowUpFeed:PollInterval"] = "00:00:00.100" };
        await using var host = await GatewayHost.StartAsync(settings, clock);
        await host.WaitUntilServingAsync();
        var (cases, recommendations, compliance, outbox) = Clients(host);
        var instansi = $"E-{Guid.NewGuid():N}"[..20];
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var watch = recommendations.WatchFollowUps(new WatchFollowUpsRequest { PpkInstansiCode = instansi }, cancellationToken: watching.Token);
        // Open before the first write: a watch without a token starts a grace back from the gateway's
        // clock when it opens, and this test moves that clock by days.
        await watch.ResponseHeadersAsync;

        var (proven, _) = await RecommendationSteps.ProvenCaseAsync(cases, instansi: instansi);
        clock.MoveTo(Issued);
        var recommendation = await recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi));
        Assert.Equal(EscalationStage.NotEscalated, recommendation.EscalationStage);

        foreach (var (day, steps) in Ladder)
        {
            clock.MoveTo(day);
            var preview = await compliance.RunEscalationAsync(new RunEscalationRequest { ValidateOnly = true, PpkInstansiCode = instansi });
            Assert.Equal(steps, preview.Steps.Select(s => s.Kind));
            Assert.Equal(ToDate(day), preview.AsOf);
            var run = await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi });
            Assert.Equal(steps, run.Steps.Select(s => s.Kind));
            Assert.All(run.Steps, s => Assert.Equal(recommendation.Name, s.Recommendation));
            var again = await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi });
            Assert.Empty(again.Steps);
            Assert.Equal(day == Ladder[^1].Day ? 0 : 1, again.Examined); // a blocked recommendation has nothing left to examine
        }

        // A dry run writes nothing, and a real run cannot be dated.
        var dated = await RpcAssert.InvalidArgumentAsync(() => compliance.RunEscalationAsync(new RunEscalationRequest
            { AsOf = ToDate(new DateOnly(2024, 6, 3)), PpkInstansiCode = instansi }).ResponseAsync, "as_of");
        Assert.Contains("validate_only", dated[0].Description);

        var actions = (await compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest { PpkInstansiCode = instansi })).Actions;
        Assert.Equal([EnforcementActionKind.Warning, EnforcementActionKind.Reprimand, EnforcementActionKind.Block], actions.Select(a => a.Kind));
        Assert.Equal([ToDate(new(2024, 5, 7)), ToDate(new(2024, 5, 16)), ToDate(new(2024, 5, 27))], actions.Select(a => a.BusinessDate));
        Assert.Equal("", actions[0].OutboxMessage);
        var blockCommand = await outbox.GetOutboxMessageAsync(new GetOutboxMessageRequest { Name = actions[2].OutboxMessage });
        Assert.Equal((OutboxMessageKind.Block, OutboxMessageState.Pending, proven.Nip, actions[2].Name),
            (blockCommand.Kind, blockCommand.State, blockCommand.Nip, blockCommand.EnforcementAction));
        Assert.Contains(proven.Nip, blockCommand.PayloadJson);

        var blocked = await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = proven.Nip });
        Assert.True(blocked.HasOpenCase);
        Assert.True(blocked.Blocked);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, blocked.BlockedSince.ToDateTime(), TimeSpan.FromMinutes(1));
        var bulk = await CheckAsync(cases, proven.Nip);
        Assert.True(bulk.Blocked);
        Assert.Equal(blocked.BlockedSince, bulk.BlockedSince);

        // A lighter decree keeps the block; a compliant one lifts it, in the same transaction as the decree.
        clock.MoveTo(new DateOnly(2024, 5, 28));
        await recommendations.RecordFollowUpAsync(RecommendationSteps.FollowUp(recommendation.Name, SanctionLevel.HdSedang, 5, 28));
        Assert.True((await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = proven.Nip })).Blocked);
        clock.MoveTo(new DateOnly(2024, 5, 29));
        var complied = await recommendations.RecordFollowUpAsync(RecommendationSteps.FollowUp(recommendation.Name, SanctionLevel.HdBerat, 5, 29));
        Assert.Equal((RecommendationStatus.Complied, EscalationStage.Released), (complied.Status, complied.EscalationStage));
        var released = await cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = proven.Nip });
        Assert.False(released.Blocked);
        Assert.Null(released.BlockedSince);
        Assert.False(released.HasOpenCase);

        var commands = (await outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest { Nip = proven.Nip })).Messages;
        Assert.Equal([OutboxMessageKind.Block, OutboxMessageKind.Release, OutboxMessageKind.SanctionWriteBack], commands.Select(m => m.Kind));
        Assert.All(commands, m => Assert.Equal(OutboxMessageState.Pending, m.State));
        Assert.Equal(commands.Count, commands.Select(m => m.IdempotencyKey).Distinct().Count());
        var release = (await compliance.ListEnforcementActionsAsync(new ListEnforcementActionsRequest
            { Recommendation = recommendation.Name, Kind = EnforcementActionKind.Release })).Actions.Single();
        Assert.Equal(commands[1].Name, release.OutboxMessage);

        FollowUpEventKind[] history =
        [
            FollowUpEventKind.Issued, FollowUpEventKind.DueSoon, FollowUpEventKind.Overdue, FollowUpEventKind.Warned,
            FollowUpEventKind.Reprimanded, FollowUpEventKind.Blocked, FollowUpEventKind.FollowedUpLighter,
            FollowUpEventKind.FollowedUpCompliant, FollowUpEventKind.Released,
        ];
        var status = await recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = recommendation.Name });
        Assert.Equal(history, status.History.Select(e => e.Kind));
        Assert.Equal(EscalationStage.Released, status.EscalationStage);

        // The watch saw every change in order, each with the state right after it; a resume token goes on after its change.
        var seen = await TakeAsync(watch.ResponseStream, history.Length);
        Assert.Equal(history, seen.Select(c => c.Kind));
        Assert.Equal(EscalationStage.Blocked, seen[5].EscalationStage);
        Assert.Equal((RecommendationStatus.Complied, EscalationStage.Released), (seen[^1].Status, seen[^1].EscalationStage));
        using var resumed = recommendations.WatchFollowUps(new WatchFollowUpsRequest { Recommendation = recommendation.Name, ResumeToken = seen[2].ResumeToken },
            cancellationToken: watching.Token);
        Assert.Equal(history[3..], (await TakeAsync(resumed.ResponseStream, history.Length - 3)).Select(c => c.Kind));
    }

    [Fact]
    public async Task Two_replicas_sweeping_one_database_at_once_take_each_step_exactly_once()
    {
        await using var database = new TDatabase();
        var clock = GatewayHost.ShiftedClock.At(Decided);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Netralitas:Escalation:SweepEnabled"] = "true",
            ["Netralitas:Escalation:SweepInterval"] = "00:00:00.020",
        };
        await using var first = await GatewayHost.StartAsync(settings, clock);
        await using var second = await GatewayHost.StartAsync(settings, clock);
        await Task.WhenAll(first.WaitUntilServingAsync(), second.WaitUntilServingAsync());
        var (cases, recommendations, _, outbox) = Clients(first);
        var instansi = $"E-{Guid.NewGuid():N}"[..20];
        const int Count = 12;
        var names = new List<string>();
        var nips = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            clock.MoveTo(Decided);
            var (proven, _) = await RecommendationSteps.ProvenCaseAsync(cases, instansi: instansi);
            clock.MoveTo(Issued);
            names.Add((await recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi))).Name);
            nips.Add(proven.Nip);
        }

        var expectedActions = 0;
        foreach (var (day, steps) in Ladder)
        {
            clock.MoveTo(day);
            // Both background sweeps race, and so do explicit runs on both replicas.
            var runs = await Task.WhenAll(new[] { first, second, first, second }.Select(h =>
                new ComplianceService.ComplianceServiceClient(h.Channel).RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi }).ResponseAsync));
            Assert.All(runs, r => Assert.Equal(new Date { Year = day.Year, Month = day.Month, Day = day.Day }, r.AsOf));
            expectedActions += Count * steps.Count(s => s is FollowUpEventKind.Warned or FollowUpEventKind.Reprimanded or FollowUpEventKind.Blocked);
            await Poll.UntilAsync(async () => await AllAtAsync(recommendations, names, steps[^1]), TimeSpan.FromSeconds(30));
        }
        await Task.Delay(300); // more sweeps on the last day: they must find nothing left to do

        var actions = await AllActionsAsync(new ComplianceService.ComplianceServiceClient(second.Channel), instansi);
        Assert.Equal(expectedActions, actions.Count);
        Assert.All(actions.GroupBy(a => (a.Recommendation, a.Kind)), g => Assert.Single(g));
        foreach (var name in names)
        {
            var history = (await recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = name })).History.Select(e => e.Kind);
            Assert.Equal([FollowUpEventKind.Issued, .. Ladder.SelectMany(l => l.Steps)], history);
        }
        var blocks = (await outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest { Kind = OutboxMessageKind.Block })).Messages;
        Assert.Equal(nips.Order(), blocks.Select(m => m.Nip).Order());

        // Both replicas answer "blocked": the other one learns it from the change log.
        foreach (var host in new[] { first, second })
        {
            var client = new CaseService.CaseServiceClient(host.Channel);
            await Poll.UntilAsync(async () => (await Task.WhenAll(nips.Select(async n => (await client.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = n })).Blocked))).All(b => b), TimeSpan.FromSeconds(30));
        }
        Assert.False(first.Logged("Escalation sweep failed") || second.Logged("Escalation sweep failed"));
    }

    private static (CaseService.CaseServiceClient, RecommendationService.RecommendationServiceClient, ComplianceService.ComplianceServiceClient, OutboxService.OutboxServiceClient) Clients(GatewayHost host) =>
        (new(host.Channel), new(host.Channel), new(host.Channel), new(host.Channel));

    private static Date ToDate(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    private static async Task<OpenCaseAnswer> CheckAsync(CaseService.CaseServiceClient cases, string nip)
    {
        using var call = cases.CheckOpenCases();
        await call.RequestStream.WriteAsync(new CheckOpenCasesRequest { Nips = { nip } });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.Answers.Single();
    }

    private static async Task<List<FollowUpChange>> TakeAsync(IAsyncStreamReader<FollowUpChange> stream, int count)
    {
        var taken = new List<FollowUpChange>();
        while (taken.Count < count && await stream.MoveNext(CancellationToken.None))
        {
            taken.Add(stream.Current);
        }
        return taken;
    }

    private static async Task<bool> AllAtAsync(RecommendationService.RecommendationServiceClient recommendations, IEnumerable<string> names, FollowUpEventKind lastStep)
    {
        foreach (var name in names)
        {
            var history = (await recommendations.GetFollowUpStatusAsync(new GetFollowUpStatusRequest { Name = name })).History;
            if (history[^1].Kind != lastStep)
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<List<EnforcementAction>> AllActionsAsync(ComplianceService.ComplianceServiceClient compliance, string instansi)
    {
        var all = new List<EnforcementAction>();
        var request = new ListEnforcementActionsRequest { PpkInstansiCode = instansi, PageSize = 7 };
        do
        {
            var page = await compliance.ListEnforcementActionsAsync(request);
            all.AddRange(page.Actions);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return all;
    }
}

public sealed class EscalationOnSqlite : EscalationContract<SqliteTestDatabase>;

public sealed class EscalationOnPostgres : EscalationContract<PostgresTestDatabase>;
