using Netralitas.DevHost;
using Grpc.Core;
using Netralitas.Gateway.Security;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>Credentials the gateway must refuse with UNAUTHENTICATED, and why it says so.</summary>
public sealed class CredentialContract(SecureGateway gateway) : IClassFixture<SecureGateway>
{
    private static readonly ListViolationsRequest AnyRequest = new();

    [Fact]
    public async Task ACertificateFromAnotherAuthorityIsRefused()
    {
        using var stranger = DevelopmentCertificateAuthority.Create("Some Other CA");
        using var certificate = stranger.IssueClientCertificate("bkn-siasn", "Not BKN", TimeSpan.FromDays(1));
        await AssertUnauthenticated(gateway.WithCertificate("other-ca", certificate), default, "client certificate was not accepted");
    }

    [Fact]
    public async Task ACertificateOfTheRightAuthorityThatNamesNoMemberIsRefused()
    {
        using var certificate = gateway.Authority.IssueClientCertificate("unknown-system", "Netralitas test members", TimeSpan.FromDays(1));
        await AssertUnauthenticated(gateway.WithCertificate("unknown", certificate), default, "client certificate was not accepted");
        Assert.True(gateway.Host.Logged("names no configured member"));
    }

    [Fact]
    public async Task AnExpiredCertificateIsRefused()
    {
        using var certificate = gateway.Authority.IssueClientCertificate(
            "expired-system", "Netralitas test members", TimeSpan.FromDays(1), DateTimeOffset.UtcNow.AddDays(-3));
        await AssertUnauthenticated(gateway.WithCertificate("expired", certificate), default, "client certificate was not accepted");
    }

    [Fact]
    public async Task TokensThatDoNotCheckOutAreRefusedWithTheReason()
    {
        await AssertToken(c => c with { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), Lifetime = TimeSpan.FromHours(1) }, "expired");
        await AssertToken(c => c with { NotBefore = DateTimeOffset.UtcNow.AddHours(1) }, "not valid yet");
        await AssertToken(c => c with { Issuer = "https://elsewhere.example/realms/asn" }, "issuer");
        await AssertToken(c => c with { Audience = "another-service" }, "audience");
        // Another JWT of the same provider that names this audience: an ID token, a logout token.
        await AssertToken(c => c with { TokenUse = "ID" }, "not an access token");
        await AssertToken(c => c with { HeaderType = "logout+jwt" }, "not an access token");

        using var forger = DevelopmentTokenIssuer.Create(SecureGateway.Issuer);
        var forged = forger.Issue(new TokenClaims { Caller = "bkn-siasn", Roles = ["bkn"] });
        await AssertUnauthenticated(gateway.Anonymous, SecureGateway.WithToken(forged), "signature");
        await AssertUnauthenticated(gateway.Anonymous, SecureGateway.WithToken("not.a.jwt"), "malformed");
        await AssertUnauthenticated(gateway.Anonymous,
            new CallOptions(new Metadata { { "authorization", "Basic YmtuOnNlY3JldA==" } }), "Bearer <token>");
    }

    [Fact]
    public async Task AnAccessTokenIsAcceptedWithAnAccessTokensTypHeader()
    {
        var catalog = new CatalogService.CatalogServiceClient(gateway.Anonymous);
        foreach (var type in new[] { "at+jwt", "application/at+jwt", "JWT" })
        {
            var bearer = gateway.BearerFor("bkn-siasn", c => c with { HeaderType = type });
            Assert.NotEmpty((await catalog.ListViolationsAsync(AnyRequest, bearer)).Violations);
        }
    }

    [Fact]
    public async Task AValidTokenIsAcceptedOnEveryCallItIsReusedFor()
    {
        var bearer = gateway.BearerFor("bkn-siasn");
        var catalog = new CatalogService.CatalogServiceClient(gateway.Anonymous);
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEmpty((await catalog.ListViolationsAsync(AnyRequest, bearer)).Violations);
        }
    }

    private Task AssertToken(Func<TokenClaims, TokenClaims> change, string reason) =>
        AssertUnauthenticated(gateway.Anonymous, gateway.BearerFor("bkn-siasn", change), reason);

    private static async Task AssertUnauthenticated(CallInvoker invoker, CallOptions options, string reason)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new CatalogService.CatalogServiceClient(invoker).ListViolationsAsync(AnyRequest, options).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains(reason, error.Status.Detail, StringComparison.Ordinal);
    }
}
