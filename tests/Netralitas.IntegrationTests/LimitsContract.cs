using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Netralitas.Gateway;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>A secure gateway with small limits, to reach them quickly.</summary>
public sealed class TightlyLimitedGateway : SecureGateway
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Netralitas:Security:Limits:CallsPerSecond"] = "2",
        ["Netralitas:Security:Limits:CallBurst"] = "5",
        ["Netralitas:Security:Limits:MaxReceiveMessageBytes"] = "65536",
        ["Netralitas:Security:Limits:MaxStreamDuration"] = "00:00:02",
        ["Netralitas:Security:Limits:MaxNipsPerStream"] = "10000",
        ["Netralitas:Security:Limits:MaxStreamsPerCaller"] = "2",
    };
}

public sealed class LimitsContract(TightlyLimitedGateway gateway) : IClassFixture<TightlyLimitedGateway>
{
    [Fact]
    public async Task ACallerOverItsRateIsToldToComeBackLaterAndOthersAreNotSlowed()
    {
        var catalog = new CatalogService.CatalogServiceClient(gateway.AsMember("bawaslu-ri"));
        var refused = new List<RpcException>();
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await catalog.ListProvincesAsync(new ListProvincesRequest());
            }
            catch (RpcException e)
            {
                refused.Add(e);
            }
        }
        Assert.InRange(refused.Count, 3, 5); // a burst of 5, then about 2 a second
        Assert.All(refused, e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
        var retry = refused[0].GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.Equal(TimeSpan.FromMilliseconds(500), retry.RetryDelay.ToTimeSpan());

        var other = new CatalogService.CatalogServiceClient(gateway.AsMember("inspektorat"));
        Assert.NotEmpty((await other.ListProvincesAsync(new ListProvincesRequest())).Provinces);
    }

    [Fact]
    public async Task CallsWithoutCredentialsAreRateLimitedByPeer()
    {
        var catalog = new CatalogService.CatalogServiceClient(gateway.Anonymous);
        var statuses = new List<StatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await Assert.ThrowsAsync<RpcException>(() => catalog.ListProvincesAsync(new ListProvincesRequest()).ResponseAsync)).StatusCode);
        }
        Assert.Contains(StatusCode.Unauthenticated, statuses);
        Assert.Contains(StatusCode.ResourceExhausted, statuses);
        Assert.All(statuses, s => Assert.True(s is StatusCode.Unauthenticated or StatusCode.ResourceExhausted, s.ToString()));
    }

    [Fact]
    public async Task AStreamBeyondTheNipsOneEntryMayHoldIsEnded()
    {
        var cases = new CaseService.CaseServiceClient(gateway.AsMember("bkn-siasn"));
        using var bulk = cases.CheckOpenCases();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            // 2,600 NIPs a message (about 52 KB, under the message limit)
            await bulk.RequestStream.SendAsync(Enumerable.Range(0, 4)
                .Select(_ => new CheckOpenCasesRequest { Nips = { Enumerable.Range(0, 2_600).Select(_ => Reports.NewNip()) } }));
            while (await bulk.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("at most 10,000 NIPs", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallerWithAllItsStreamsOpenMayOpenAnotherOnlyWhenOneEnds()
    {
        var province = new CaseService.CaseServiceClient(gateway.AsMember("pemprov-33"));
        using var first = await OpenBulkCheckAsync(province);
        using var second = await OpenBulkCheckAsync(province);

        var error = await Assert.ThrowsAsync<RpcException>(() => OpenBulkCheckAsync(province));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("TOO_MANY_STREAMS", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        // Another caller's streams are its own.
        using var other = await OpenBulkCheckAsync(new CaseService.CaseServiceClient(gateway.AsMember("kasn")));

        await first.RequestStream.CompleteAsync();
        Assert.False(await first.ResponseStream.MoveNext(CancellationToken.None));
        using var third = await OpenBulkCheckAsync(province);
    }

    /// <summary>A bulk check the gateway has admitted (it answered a first message), left open.</summary>
    private static async Task<AsyncDuplexStreamingCall<CheckOpenCasesRequest, CheckOpenCasesResponse>> OpenBulkCheckAsync(
        CaseService.CaseServiceClient cases)
    {
        var call = cases.CheckOpenCases();
        try
        {
            await call.RequestStream.SendAsync([new CheckOpenCasesRequest { Nips = { Reports.NewNip() } }], complete: false);
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                throw new InvalidOperationException("The bulk check ended without an answer.");
            }
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    [Fact]
    public async Task AMessageAboveTheLimitIsRefused()
    {
        var cases = new CaseService.CaseServiceClient(gateway.AsMember("bkn-siasn"));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = new string('1', 100_000) }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task AStreamEndsAtTheMaximumDurationWhateverDeadlineTheClientSet()
    {
        var desk = new RecommendationService.RecommendationServiceClient(gateway.AsMember("bkn-siasn"));
        var started = DateTime.UtcNow;
        using var watch = desk.WatchFollowUps(new WatchFollowUpsRequest(), deadline: DateTime.UtcNow.AddMinutes(10));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AStreamOverRestEndsAtTheMaximumDurationToo()
    {
        var started = DateTime.UtcNow;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await gateway.RestClient("kasn").GetAsync("/v1/recommendations:watch", HttpCompletionOption.ResponseHeadersRead, patience.Token);
        var body = await response.Content.ReadAsStringAsync(patience.Token);
        // The watch answers at once (200), so the cap arrives as the stream's last object: a status.
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var last = body.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal((int)Code.DeadlineExceeded, Rest.Parse<Google.Rpc.Status>(last).Code);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));
    }
}

/// <summary>Development mode, which needs no credentials, cannot be switched on where others could call.</summary>
public sealed class DevelopmentModeGuards
{
    [Fact]
    public void DevelopmentModeOutsideTheDevelopmentEnvironmentStopsTheStart()
    {
        foreach (var environment in new[] { "Production", "Staging" })
        {
            var error = Assert.Throws<InvalidOperationException>(() => GatewayApplication.Build(
                ["--environment", environment, "--Netralitas:Security:DevelopmentMode=true"]));
            Assert.Contains("DevelopmentMode", error.Message, StringComparison.Ordinal);
            Assert.Contains(environment, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConnectionsThatFallSilentArePingedAndClosedSoTheirStreamsEnd()
    {
        // A watch whose client vanished without closing its connection writes nothing, so only a
        // ping can tell; closing the connection ends the watch and frees its stream slot.
        foreach (var (args, delay, timeout) in new[]
        {
            (Array.Empty<string>(), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20)),
            (["--Netralitas:Security:Limits:IdleConnectionPing=00:01:00", "--Netralitas:Security:Limits:IdleConnectionPingTimeout=00:00:05"],
                TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5)),
        })
        {
            var app = GatewayApplication.Build(["--environment", "Production", .. args]);
            try
            {
                var http2 = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.Http2;
                Assert.Equal((delay, timeout), (http2.KeepAlivePingDelay, http2.KeepAlivePingTimeout));
            }
            finally
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task DevelopmentModeOnANonLoopbackAddressStopsTheStart()
    {
        await using var database = new SqliteTestDatabase();
        var app = GatewayApplication.Build(["--environment", "Development", "--urls", "http://0.0.0.0:0", "--Netralitas:Logging:Json=false"],
            builder => builder.Configuration.AddInMemoryCollection(database.Settings));
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
            Assert.Contains("loopback only", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
