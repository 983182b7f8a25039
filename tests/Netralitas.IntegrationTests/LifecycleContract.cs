using Grpc.Core;
using Grpc.Health.V1;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>Start and restart, each on a fresh database of the provider (the demo data: DemoDataContract).</summary>
public abstract class LifecycleContract<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task A_restart_keeps_every_case_and_rebuilds_the_open_case_index()
    {
        await using var database = new TDatabase();
        var nip = Reports.NewNip();
        var closedNip = Reports.NewNip();
        string name;
        await using (var first = await GatewayHost.StartAsync(database.Settings))
        {
            await first.WaitUntilServingAsync();
            var cases = new CaseService.CaseServiceClient(first.Channel);
            name = (await cases.FileCaseAsync(new FileCaseRequest { Case = Reports.NewCase(nip) })).Name;
            var closed = await cases.FileCaseAsync(new FileCaseRequest { Case = Reports.NewCase(closedNip) });
            await cases.DecideCaseAsync(Reports.Decision(closed.Name, Outcome.NotProven));
        }

        await using var second = await GatewayHost.StartAsync(database.Settings);
        await second.WaitUntilServingAsync();
        var again = new CaseService.CaseServiceClient(second.Channel);
        Assert.Equal(nip, (await again.GetCaseAsync(new GetCaseRequest { Name = name })).Nip);
        Assert.True((await again.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip })).HasOpenCase);
        Assert.False((await again.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = closedNip })).HasOpenCase);
    }
}

public sealed class LifecycleOnSqlite : LifecycleContract<SqliteTestDatabase>;

public sealed class LifecycleOnPostgres : LifecycleContract<PostgresTestDatabase>;

public sealed class StartupTests
{
    [Fact]
    public async Task Until_the_database_answers_the_gateway_does_not_listen_logs_why_and_stops_cleanly_on_SIGTERM()
    {
        // A PostgreSQL address where nothing listens: the gateway keeps retrying and says why, and its
        // port stays closed, so that a load balancer passes every call to a replica that is ready.
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var port = GatewayProcess.FreePortBelowEphemeralRange();
        using var gateway = GatewayProcess.Start(new Dictionary<string, string?>
        {
            ["Netralitas:Database:Provider"] = "PostgreSql",
            ["Netralitas:Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=1",
            ["Netralitas:Logging:Json"] = "false",
        }, port, log.Enqueue);
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!log.Any(l => l.Contains("Database not ready (attempt 2)", StringComparison.Ordinal)))
            {
                Assert.False(gateway.HasExited, string.Join(Environment.NewLine, log));
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "no second attempt logged: " + string.Join(Environment.NewLine, log));
                await Task.Delay(100);
            }

            using var client = new System.Net.Sockets.TcpClient();
            var refused = await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => client.ConnectAsync("127.0.0.1", port));
            Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);

            // SIGTERM while it waits: it stops cleanly, without having listened.
            using (var terminate = System.Diagnostics.Process.Start("kill", ["-TERM", gateway.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await terminate.WaitForExitAsync();
            }
            await gateway.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(gateway.ExitCode == 0, $"exit code {gateway.ExitCode}: " + string.Join(Environment.NewLine, log.TakeLast(10)));
            Assert.Contains(log, l => l.Contains("Stopped before the gateway was ready", StringComparison.Ordinal));
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill(entireProcessTree: true);
                await gateway.WaitForExitAsync();
            }
        }
    }
}

public sealed class FailedStartTests
{
    [Fact]
    public async Task A_port_already_taken_stops_the_start_with_one_line_that_says_so_and_exit_code_1()
    {
        var port = GatewayProcess.FreePortBelowEphemeralRange();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        taken.Start();
        await using var database = new SqliteTestDatabase();
        await StopsWithOneLineAsync(GatewayProcess.StartInfo(PlainLog(database), port),
            $"netralitas: cannot listen: Failed to bind to address http://127.0.0.1:{port}");
    }

    [Fact]
    public async Task Development_mode_on_every_interface_stops_the_start_with_one_line_that_says_why_and_exit_code_1()
    {
        await using var database = new SqliteTestDatabase();
        var start = GatewayProcess.StartInfo(PlainLog(database));
        var urls = start.ArgumentList.IndexOf("--urls");
        start.ArgumentList[urls + 1] = $"http://0.0.0.0:{GatewayProcess.FreePortBelowEphemeralRange()}";
        await StopsWithOneLineAsync(start, "netralitas: cannot start: Netralitas:Security:DevelopmentMode accepts calls without credentials");
    }

    private static Dictionary<string, string?> PlainLog(SqliteTestDatabase database) =>
        new(database.Settings) { ["Netralitas:Logging:Json"] = "false" };

    /// <summary>The gateway exits 1 with exactly one line starting <paramref name="line"/>, and its workers end as on a stop: no faults, no crash dump.</summary>
    private static async Task StopsWithOneLineAsync(System.Diagnostics.ProcessStartInfo start, string line)
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var gateway = GatewayProcess.Start(start, log.Enqueue);
        try
        {
            await gateway.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(gateway.ExitCode == 1, $"exit code {gateway.ExitCode}: {string.Join(Environment.NewLine, log)}");
            Assert.Single(log, l => l.StartsWith(line, StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Contains("BackgroundService failed", StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Contains("Unhandled exception", StringComparison.Ordinal));
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill(entireProcessTree: true);
                await gateway.WaitForExitAsync();
            }
        }
    }
}

public sealed class ShutdownTests
{
    [Fact]
    public async Task A_bulk_check_in_progress_ends_with_UNAVAILABLE_when_the_gateway_stops()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings);
        await host.WaitUntilServingAsync();
        var cases = new CaseService.CaseServiceClient(host.Channel);
        using var call = cases.CheckOpenCases();
        await call.RequestStream.WriteAsync(new CheckOpenCasesRequest { Nips = { "198609262015051001" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var stopping = host.StopAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(10));
        // The gateway ends the call with UNAVAILABLE. Because this client's request stream is still
        // open, its HTTP/2 stack may see the connection close (GOAWAY, NO_ERROR) before it reads the
        // trailers, and report that instead; both tell the caller to resume elsewhere.
        var closedFirst = error.StatusCode == StatusCode.Internal && error.Status.Detail.Contains("server closed the connection");
        Assert.True(error.StatusCode == StatusCode.Unavailable || closedFirst, error.Status.ToString());
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(host.Logged("Error status code 'Unavailable' with detail 'The gateway is shutting down"),
            "The gateway did not end the call with UNAVAILABLE.");
    }

    [Fact]
    public async Task A_follow_up_watch_ends_with_UNAVAILABLE_when_the_gateway_stops()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings);
        await host.WaitUntilServingAsync();
        var recommendations = new RecommendationService.RecommendationServiceClient(host.Channel);
        using var watch = recommendations.WatchFollowUps(new WatchFollowUpsRequest());
        var next = watch.ResponseStream.MoveNext(CancellationToken.None);
        await Task.Delay(300); // the watch is reading the (empty) log

        var stopping = host.StopAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => next).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("resume_token", error.Status.Detail);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

/// <summary>Two gateway processes' worth of hosts on one database: each sees the other's writes.</summary>
public abstract class ReplicasContract<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly TimeSpan ReplicasConverge = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_replica_answers_HasOpenCase_for_writes_made_on_another()
    {
        await using var database = new TDatabase();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Netralitas:OpenCaseIndex:FollowInterval"] = "00:00:00.100" };
        await using var a = await GatewayHost.StartAsync(settings);
        await a.WaitUntilServingAsync();
        await using var b = await GatewayHost.StartAsync(settings);
        await b.WaitUntilServingAsync();
        var onA = new CaseService.CaseServiceClient(a.Channel);
        var onB = new CaseService.CaseServiceClient(b.Channel);

        var nips = Enumerable.Range(0, 20).Select(_ => Reports.NewNip()).ToArray();
        var filed = await Task.WhenAll(nips.Select((nip, i) =>
            (i % 2 == 0 ? onA : onB).FileCaseAsync(new FileCaseRequest { Case = Reports.NewCase(nip) }).ResponseAsync));
        await Poll.UntilAsync(async () =>
        {
            foreach (var client in new[] { onA, onB })
            {
                var answers = await CheckAsync(client, nips);
                if (!answers.All(x => x.HasOpenCase && x.OpenCaseCount == 1))
                {
                    return false;
                }
            }
            return true;
        }, ReplicasConverge);

        // Close half of them on B; A follows.
        await Task.WhenAll(filed.Where((_, i) => i < 10).Select(c => onB.DecideCaseAsync(Reports.Decision(c.Name, Outcome.NotProven)).ResponseAsync));
        await Poll.UntilAsync(async () =>
        {
            var answers = await CheckAsync(onA, nips);
            return answers.Select(x => x.HasOpenCase).SequenceEqual(nips.Select((_, i) => i >= 10));
        }, ReplicasConverge);
    }

    private static async Task<IReadOnlyList<OpenCaseAnswer>> CheckAsync(CaseService.CaseServiceClient client, IEnumerable<string> nips)
    {
        using var call = client.CheckOpenCases();
        await call.RequestStream.WriteAsync(new CheckOpenCasesRequest { Nips = { nips } });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.Answers;
    }
}

public sealed class ReplicasOnSqlite : ReplicasContract<SqliteTestDatabase>;

public sealed class ReplicasOnPostgres : ReplicasContract<PostgresTestDatabase>;
