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
