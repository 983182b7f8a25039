using Netralitas.DevHost;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Netralitas.Gateway.Security;
using Netralitas.Gateway.Tools;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>The README's secure mode: dev-credentials, then the gateway with --settings, outside Development.</summary>
public sealed class DevelopmentCredentialsSecureModeTests
{
    [Fact]
    public async Task TheGatewayStartedWithTheWrittenSettingsAcceptsTheMembersAndTheirTokensAndNobodyElse()
    {
        var folder = Directory.CreateTempSubdirectory("netralitas-devcred-");
        try
        {
            var directory = Path.Combine(folder.FullName, "dev");
            Assert.Equal(0, await DevelopmentCredentialsCommand.RunAsync([directory], TextWriter.Null, TextWriter.Null));
            await using var database = new SqliteTestDatabase();
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, DevelopmentCredentials.CaCertificateFile)));
            await using var host = await GatewayHost.StartAsync(database.Settings, environment: "Production", url: "https://127.0.0.1:0",
                handler: SecureGateway.TrustingHandler(ca, null), arguments: ["--settings", Path.Combine(directory, DevelopmentCredentials.SettingsFile)]);
            await host.WaitUntilServingAsync();

            var member = X509Certificate2.CreateFromPemFile(
                DevelopmentCredentials.MemberCertificatePath(directory, "pemprov-33"), DevelopmentCredentials.MemberKeyPath(directory, "pemprov-33"));
            using var asProvince = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { HttpHandler = SecureGateway.TrustingHandler(ca, member) });
            var answer = await new CaseService.CaseServiceClient(asProvince).HasOpenCaseAsync(new HasOpenCaseRequest { Nip = Reports.NewNip() });
            Assert.False(answer.HasOpenCase);

            using var tokens = DevelopmentTokenIssuer.Load(Path.Combine(directory, DevelopmentCredentials.TokenSigningKeyFile), DevelopmentCredentials.Issuer);
            var token = tokens.Issue(new TokenClaims { Caller = "kasn", Roles = ["authority"] });
            using var anonymous = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { HttpHandler = SecureGateway.TrustingHandler(ca, null) });
            var cases = new CaseService.CaseServiceClient(anonymous);
            await cases.ListCasesAsync(new ListCasesRequest(), SecureGateway.WithToken(token));

            var refused = await Assert.ThrowsAsync<RpcException>(() => cases.ListCasesAsync(new ListCasesRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
