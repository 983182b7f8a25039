using System.Net;

namespace Netralitas.IntegrationTests;

/// <summary>What operators and load balancers rely on: where the gateway listens, and its HTTP health endpoints.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task The_address_in_ASPNETCORE_URLS_is_where_the_gateway_listens_and_answers_its_HTTP_health_endpoints()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var database = new SqliteTestDatabase();
        var port = GatewayProcess.FreePortBelowEphemeralRange();
        using var gateway = GatewayProcess.Start(new Dictionary<string, string?>(database.Settings)
        {
            ["Netralitas:Logging:Json"] = "false",
        }, port, log.Enqueue, urlsFromEnvironment: true);
        try
        {
            using var http = H2c();
            var ready = await PollAsync(http, $"http://127.0.0.1:{port}/health/ready", gateway, log);
            Assert.Equal((HttpStatusCode.OK, "Healthy"), ready);
            using var live = await http.GetAsync($"http://127.0.0.1:{port}/health/live");
            Assert.Equal((HttpStatusCode.OK, "Healthy"), (live.StatusCode, await live.Content.ReadAsStringAsync()));
            Assert.Contains(log, l => l.Contains($"Now listening on: http://127.0.0.1:{port}", StringComparison.Ordinal));
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task The_HTTP_health_endpoints_need_no_credentials_in_secure_mode()
    {
        var gateway = new SecureGateway();
        await gateway.InitializeAsync();
        try
        {
            var anonymous = gateway.RestClient(null); // the gateway fixture owns its clients
            foreach (var path in new[] { "/health/live", "/health/ready" })
            {
                using var response = await anonymous.GetAsync(path);
                Assert.Equal((HttpStatusCode.OK, "Healthy"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASPNETCORE_HTTP_PORTS_and_Kestrel_Endpoints_are_where_the_gateway_listens_as_in_any_ASP_NET_Core_service()
    {
        await using var database = new SqliteTestDatabase();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Netralitas:Logging:Json"] = "false" };

        var port = GatewayProcess.FreePortBelowEphemeralRange();
        // Every interface, so not in development mode (which refuses that): production, no credentials configured.
        var byPorts = WithoutUrlsSwitch(GatewayProcess.StartInfo(settings, environment: "Production"));
        byPorts.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await AnswersHealthAsync(byPorts, ($"http://127.0.0.1:{port}", H2c()));

        var (grpcPort, restPort) = (GatewayProcess.FreePortBelowEphemeralRange(), GatewayProcess.FreePortBelowEphemeralRange());
        var byEndpoints = GatewayProcess.StartInfo(new Dictionary<string, string?>(settings)
        {
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Rest:Url"] = $"http://127.0.0.1:{restPort}",
            ["Kestrel:Endpoints:Rest:Protocols"] = "Http1",
        });
        Assert.DoesNotContain("--urls", byEndpoints.ArgumentList);
        using var http1 = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await AnswersHealthAsync(byEndpoints, ($"http://127.0.0.1:{grpcPort}", H2c()), ($"http://127.0.0.1:{restPort}", http1));
    }

    /// <summary>
    /// systemd itself cannot run here, so the test plays its part: the gateway's parent process is
    /// named systemd (as the service manager's children see it) and NOTIFY_SOCKET names a datagram
    /// socket the test reads, as systemd does for a Type=notify unit (deploy/systemd/netralitas.service).
    /// </summary>
    [Fact]
    public async Task Started_by_systemd_it_notifies_READY_once_it_listens_STOPPING_on_SIGTERM_and_logs_levels_as_journal_priorities()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        await using var database = new SqliteTestDatabase();
        var directory = Directory.CreateTempSubdirectory("netralitas-systemd-").FullName;
        try
        {
            var serviceManager = Path.Combine(directory, "systemd");
            File.CreateSymbolicLink(serviceManager, "/bin/sh"); // a process's name is its program file's
            var notifySocketPath = Path.Combine(directory, "notify");
            using var notifySocket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix,
                System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
            notifySocket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(notifySocketPath));

            var port = GatewayProcess.FreePortBelowEphemeralRange();
            var gateway = GatewayProcess.StartInfo(database.Settings, port); // no logging setting: the default
            var command = gateway.ArgumentList.Prepend(gateway.FileName).ToArray();
            gateway.FileName = serviceManager;
            gateway.ArgumentList.Clear();
            // sh stays the parent ("exit" after the command keeps it from exec'ing the gateway in its place).
            foreach (var argument in new[] { "-c", "\"$@\"; exit $?", "sh" }.Concat(command))
            {
                gateway.ArgumentList.Add(argument);
            }
            gateway.Environment["NOTIFY_SOCKET"] = notifySocketPath;
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var shell = GatewayProcess.Start(gateway, log.Enqueue);
            try
            {
                Assert.Equal("READY=1", await ReceiveAsync(notifySocket, TimeSpan.FromSeconds(60), log));
                // READY=1 comes once the port is open, and the port opens once the gateway is ready.
                using (var http = H2c())
                using (var ready = await http.GetAsync($"http://127.0.0.1:{port}/health/ready"))
                {
                    Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                }
                Assert.Contains(log, l => l.StartsWith("<6>Microsoft.Hosting.Lifetime", StringComparison.Ordinal) && l.Contains($"Now listening on: http://127.0.0.1:{port}", StringComparison.Ordinal));
                Assert.Contains(log, l => l.StartsWith("<6>Netralitas.Gateway.Workers.DatabaseInitializer", StringComparison.Ordinal) && l.Contains("Gateway ready", StringComparison.Ordinal));
                Assert.DoesNotContain(log, l => l.StartsWith('{'));

                var gatewayPid = int.Parse(File.ReadAllText($"/proc/{shell.Id}/task/{shell.Id}/children").Trim(), System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(0, Kill(gatewayPid, Sigterm));
                Assert.Equal("STOPPING=1", await ReceiveAsync(notifySocket, TimeSpan.FromSeconds(30), log));
                await shell.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(shell.ExitCode == 0, $"exit code {shell.ExitCode}: {string.Join(Environment.NewLine, log)}");
            }
            finally
            {
                if (!shell.HasExited)
                {
                    shell.Kill(entireProcessTree: true);
                    await shell.WaitForExitAsync();
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private const int Sigterm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static async Task<string> ReceiveAsync(System.Net.Sockets.Socket socket, TimeSpan timeout, IEnumerable<string> log)
    {
        var buffer = new byte[512];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var length = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, cancel.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no notification within {timeout}: {string.Join(Environment.NewLine, log)}");
        }
    }

    private static System.Diagnostics.ProcessStartInfo WithoutUrlsSwitch(System.Diagnostics.ProcessStartInfo start)
    {
        var at = start.ArgumentList.IndexOf("--urls");
        start.ArgumentList.RemoveAt(at + 1);
        start.ArgumentList.RemoveAt(at);
        return start;
    }

    /// <summary>Starts the gateway, waits until each address answers /health/ready with 200, then kills it.</summary>
    private static async Task AnswersHealthAsync(System.Diagnostics.ProcessStartInfo start, params (string Address, HttpClient Client)[] addresses)
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var gateway = GatewayProcess.Start(start, log.Enqueue);
        try
        {
            foreach (var (address, client) in addresses)
            {
                using (client)
                {
                    Assert.Equal((HttpStatusCode.OK, "Healthy"), await PollAsync(client, $"{address}/health/ready", gateway, log));
                }
            }
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
    }

    private static HttpClient H2c() => new()
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static async Task<(HttpStatusCode, string)> PollAsync(HttpClient http, string url, System.Diagnostics.Process gateway,
        System.Collections.Concurrent.ConcurrentQueue<string> log)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            Assert.False(gateway.HasExited, string.Join(Environment.NewLine, log));
            try
            {
                using var response = await http.GetAsync(url);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100); // not listening yet: the port opens once the gateway is ready
            }
        }
    }
}
