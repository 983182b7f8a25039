using Netralitas.Gateway.Audit;
using Grpc.Core;
using Netralitas.V1;
using MethodDescriptor = Google.Protobuf.Reflection.MethodDescriptor;

namespace Netralitas.IntegrationTests;

/// <summary>
/// Every method of the API, called as every role — by client certificate and by bearer token —
/// and as nobody, against the gateway over real TLS: allowed exactly where the roles' mandates
/// say, refused everywhere else. "Allowed" means the call got past the guard (its answer may
/// still be INVALID_ARGUMENT for the empty request); refused means PERMISSION_DENIED.
/// </summary>
public sealed partial class AccessMatrixContract(SecureGateway gateway) : IClassFixture<SecureGateway>
{
    /// <summary>The mandates, written out independently of the gateway's own table.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["CaseService/FileCase"] = ["bawaslu", "authority"],
        ["CaseService/GetCase"] = ["authority", "bkn", "ppk"],
        ["CaseService/ListCases"] = ["authority", "bkn", "ppk"],
        ["CaseService/DecideCase"] = ["authority"],
        ["CaseService/HasOpenCase"] = ["provincial", "bkn", "authority"],
        ["CaseService/CheckOpenCases"] = ["provincial", "bkn", "authority"],
        ["CaseService/BatchCheckOpenCases"] = ["provincial", "bkn", "authority"],
        ["RecommendationService/IssueRecommendation"] = ["authority"],
        ["RecommendationService/RecordFollowUp"] = ["ppk", "authority"],
        ["RecommendationService/GetRecommendation"] = ["authority", "bkn", "ppk"],
        ["RecommendationService/ListRecommendations"] = ["authority", "bkn", "ppk"],
        ["RecommendationService/GetFollowUpStatus"] = ["authority", "bkn", "ppk"],
        ["RecommendationService/WatchFollowUps"] = ["authority", "bkn", "ppk"],
        ["ComplianceService/CheckPpkCompliance"] = ["bkn", "authority"],
        ["ComplianceService/ListNonCompliantPpk"] = ["bkn", "authority"],
        ["ComplianceService/ListEnforcementActions"] = ["bkn", "authority"],
        ["ComplianceService/RunEscalation"] = ["bkn"],
        ["OutboxService/ListOutboxMessages"] = ["bkn"],
        ["OutboxService/GetOutboxMessage"] = ["bkn"],
        ["OutboxService/RetryOutboxMessage"] = ["bkn"],
        ["PersonnelService/GetPersonnel"] = ["bkn"],
        ["PersonnelService/GetBlockStatus"] = ["bkn"],
        ["PersonnelService/ImportPersonnel"] = ["bkn"],
        ["PersonnelService/UploadPersonnelExport"] = ["bkn"],
        ["CatalogService/ListViolations"] = ["bawaslu", "authority", "ppk", "bkn", "provincial", "auditor"],
        ["CatalogService/ListElections"] = ["bawaslu", "authority", "ppk", "bkn", "provincial", "auditor"],
        ["CatalogService/GetElection"] = ["bawaslu", "authority", "ppk", "bkn", "provincial", "auditor"],
        ["CatalogService/ListProvinces"] = ["bawaslu", "authority", "ppk", "bkn", "provincial", "auditor"],
        ["CatalogService/ListAuthorities"] = ["bawaslu", "authority", "ppk", "bkn", "provincial", "auditor"],
        ["CatalogService/GetCalendarYear"] = ["bawaslu", "authority", "ppk", "bkn", "provincial", "auditor"],
        ["CatalogService/ListCalendarYears"] = ["bawaslu", "authority", "ppk", "bkn", "provincial", "auditor"],
        ["CatalogService/PublishCalendarYear"] = ["bkn"],
        ["StatisticsService/GetFunnel"] = ["authority", "bkn", "auditor", "ppk"],
        ["StatisticsService/GetBreakdown"] = ["authority", "bkn", "auditor", "ppk"],
        ["StatisticsService/GetTimeSeries"] = ["authority", "bkn", "auditor", "ppk"],
        ["StatisticsService/ExportStatistics"] = ["authority", "bkn", "auditor", "ppk"],
        ["MonevService/RecordIntegrityPact"] = ["ppk", "authority"],
        ["MonevService/RecordSupervisionTeam"] = ["ppk", "authority"],
        ["MonevService/GetAgencyMonev"] = ["authority", "bkn", "auditor", "ppk"],
        ["MonevService/ListAgencyMonev"] = ["authority", "bkn", "auditor"],
        ["MonevService/ExportAgencyMonev"] = ["authority", "bkn", "auditor", "ppk"],
        ["AuditService/ListAuditEntries"] = ["auditor"],
        ["AuditService/VerifyAuditTrail"] = ["auditor"],
    };

    public static IEnumerable<MethodDescriptor> ApiMethods =>
    [
        .. CaseService.Descriptor.Methods, .. RecommendationService.Descriptor.Methods, .. ComplianceService.Descriptor.Methods,
        .. OutboxService.Descriptor.Methods, .. PersonnelService.Descriptor.Methods, .. CatalogService.Descriptor.Methods,
        .. AuditService.Descriptor.Methods, .. StatisticsService.Descriptor.Methods, .. MonevService.Descriptor.Methods,
    ];

    [Fact]
    public void TheMandatesNameEveryMethodOfTheApi()
    {
        var methods = ApiMethods.Select(Key).Order().ToArray();
        Assert.Equal(Allowed.Keys.Order().ToArray(), methods);
        // Every service of the netralitas.v1 package is in ApiMethods: found by reflection over the
        // generated code, so that a new proto file cannot be forgotten here.
        var services = typeof(CaseService).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(CaseService).Namespace && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => (Google.Protobuf.Reflection.FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!)
            .Where(f => f.Package == "netralitas.v1")
            .SelectMany(f => f.Services).SelectMany(s => s.Methods).Select(Key).Order();
        Assert.Equal(methods, services);
    }

    [Fact]
    public async Task EveryMethodAsEveryMemberByClientCertificate()
    {
        var failures = new List<string>();
        foreach (var member in SecureGateway.Members)
        {
            foreach (var method in ApiMethods)
            {
                var status = await AnyMethod.CallAsync(gateway.AsMember(member.Id), method, Options(method, default));
                Check(failures, $"{member.Id} (certificate)", member.Role, method, status);
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task EveryMethodAsEveryMemberByBearerToken()
    {
        var failures = new List<string>();
        foreach (var member in SecureGateway.Members)
        {
            var bearer = gateway.BearerFor(member.Id);
            foreach (var method in ApiMethods)
            {
                var status = await AnyMethod.CallAsync(gateway.Anonymous, method, Options(method, bearer));
                Check(failures, $"{member.Id} (token)", member.Role, method, status);
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task EveryMethodWithoutCredentialsIsUnauthenticated()
    {
        foreach (var method in ApiMethods)
        {
            Assert.Equal(StatusCode.Unauthenticated, await AnyMethod.CallAsync(gateway.Anonymous, method, Options(method, default)));
        }
    }

    [Fact]
    public async Task ATokenWithoutAKnownRoleMayCallNothing()
    {
        var bearer = gateway.BearerFor("bkn-siasn", c => c with { Roles = ["offline_access", "uma_authorization"] });
        foreach (var method in ApiMethods)
        {
            Assert.Equal(StatusCode.PermissionDenied, await AnyMethod.CallAsync(gateway.Anonymous, method, Options(method, bearer)));
        }
    }

    [Fact]
    public async Task HealthChecksNeedNoCredentials()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(gateway.Anonymous);
        var answer = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
    }

    private static void Check(List<string> failures, string who, string role, MethodDescriptor method, StatusCode status)
    {
        var allowed = Allowed[Key(method)].Contains(role);
        var refused = status == StatusCode.PermissionDenied;
        if (status == StatusCode.Unauthenticated || allowed == refused)
        {
            failures.Add($"{who} → {Key(method)}: {status}, expected {(allowed ? "allowed" : "PERMISSION_DENIED")}");
        }
    }

    /// <summary>A watch never ends by itself: a short deadline ends the allowed ones.</summary>
    private static CallOptions Options(MethodDescriptor method, CallOptions options) =>
        method.IsServerStreaming && !method.IsClientStreaming ? options.WithDeadline(DateTime.UtcNow.AddSeconds(1)) : options;

    private static string Key(MethodDescriptor method) => $"{method.Service.Name}/{method.Name}";
}
