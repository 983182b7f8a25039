using Netralitas.Domain;

namespace Netralitas.Gateway.Security;

/// <summary>What a call may do: everything its method allows, or only one set of agencies' records.</summary>
public sealed record CallAccess(Caller Caller, InstansiScope Scope);

/// <summary>
/// Who may call each method. Deny by default: a method not listed here (a new one someone forgot
/// to classify) is refused to everyone. The ppk role reaches a method only scoped to its own
/// instansi codes; every other role listed reaches it whole.
/// </summary>
public static class MethodPolicy
{
    private const string Api = "/netralitas.v1.";

    private static readonly Role[] EveryRole = Enum.GetValues<Role>();

    private static readonly Role[] Supervisors = [Role.Authority, Role.Bkn, Role.Auditor, Role.Ppk];

    private static readonly Dictionary<string, Role[]> AllowedRoles = new(StringComparer.Ordinal)
    {
        [Api + "CaseService/FileCase"] = [Role.Bawaslu, Role.Authority],
        [Api + "CaseService/GetCase"] = [Role.Authority, Role.Bkn, Role.Ppk],
        [Api + "CaseService/ListCases"] = [Role.Authority, Role.Bkn, Role.Ppk],
        [Api + "CaseService/DecideCase"] = [Role.Authority],
        [Api + "CaseService/HasOpenCase"] = [Role.Provincial, Role.Bkn, Role.Authority],
        [Api + "CaseService/CheckOpenCases"] = [Role.Provincial, Role.Bkn, Role.Authority],
        [Api + "CaseService/BatchCheckOpenCases"] = [Role.Provincial, Role.Bkn, Role.Authority],

        [Api + "RecommendationService/IssueRecommendation"] = [Role.Authority],
        // The authority also records a decree that a PPK sent it by letter.
        [Api + "RecommendationService/RecordFollowUp"] = [Role.Ppk, Role.Authority],
        [Api + "RecommendationService/GetRecommendation"] = [Role.Authority, Role.Bkn, Role.Ppk],
        [Api + "RecommendationService/ListRecommendations"] = [Role.Authority, Role.Bkn, Role.Ppk],
        [Api + "RecommendationService/GetFollowUpStatus"] = [Role.Authority, Role.Bkn, Role.Ppk],
        [Api + "RecommendationService/WatchFollowUps"] = [Role.Authority, Role.Bkn, Role.Ppk],

        // The authority supervises the PPKs' compliance; only BKN escalates.
        [Api + "ComplianceService/CheckPpkCompliance"] = [Role.Bkn, Role.Authority],
        [Api + "ComplianceService/ListNonCompliantPpk"] = [Role.Bkn, Role.Authority],
        [Api + "ComplianceService/ListEnforcementActions"] = [Role.Bkn, Role.Authority],
        [Api + "ComplianceService/RunEscalation"] = [Role.Bkn],

        [Api + "OutboxService/ListOutboxMessages"] = [Role.Bkn],
        [Api + "OutboxService/GetOutboxMessage"] = [Role.Bkn],
        [Api + "OutboxService/RetryOutboxMessage"] = [Role.Bkn],

        [Api + "PersonnelService/GetPersonnel"] = [Role.Bkn],
        [Api + "PersonnelService/GetBlockStatus"] = [Role.Bkn],
        [Api + "PersonnelService/ImportPersonnel"] = [Role.Bkn],
        [Api + "PersonnelService/UploadPersonnelExport"] = [Role.Bkn],

        // Reference data that every caller needs to build its forms.
        [Api + "CatalogService/ListViolations"] = EveryRole,
        [Api + "CatalogService/ListElections"] = EveryRole,
        [Api + "CatalogService/GetElection"] = EveryRole,
        [Api + "CatalogService/ListProvinces"] = EveryRole,
        [Api + "CatalogService/ListAuthorities"] = EveryRole,
        [Api + "CatalogService/GetCalendarYear"] = EveryRole,
        [Api + "CatalogService/ListCalendarYears"] = EveryRole,
        [Api + "CatalogService/PublishCalendarYear"] = [Role.Bkn],

        // Figures and monev: the supervisors read everything, a PPK its own agencies; the national
        // ranking of agencies is the supervisors' only. A PPK records its own pact and team; the
        // authority records them for any agency (from a letter).
        [Api + "StatisticsService/GetFunnel"] = Supervisors,
        [Api + "StatisticsService/GetBreakdown"] = Supervisors,
        [Api + "StatisticsService/GetTimeSeries"] = Supervisors,
        [Api + "StatisticsService/ExportStatistics"] = Supervisors,
        [Api + "MonevService/RecordIntegrityPact"] = [Role.Ppk, Role.Authority],
        [Api + "MonevService/RecordSupervisionTeam"] = [Role.Ppk, Role.Authority],
        [Api + "MonevService/GetAgencyMonev"] = Supervisors,
        [Api + "MonevService/ExportAgencyMonev"] = Supervisors,
        [Api + "MonevService/ListAgencyMonev"] = [Role.Authority, Role.Bkn, Role.Auditor],

        [Api + "AuditService/ListAuditEntries"] = [Role.Auditor],
        [Api + "AuditService/VerifyAuditTrail"] = [Role.Auditor],

        // Server reflection describes the API, which is public; any authenticated caller may ask.
        ["/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = EveryRole,
        ["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = EveryRole,
    };

    /// <summary>Health checks answer load balancers and orchestrators, which carry no credentials.</summary>
    public static bool IsPublic(string method) => method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal);

    /// <summary>The access the caller has to the method, or null when it has none.</summary>
    public static CallAccess? Decide(Caller caller, string method)
    {
        if (!AllowedRoles.TryGetValue(method, out var roles))
        {
            return null;
        }
        if (roles.Any(r => r != Role.Ppk && caller.Has(r)))
        {
            return new CallAccess(caller, InstansiScope.All);
        }
        if (roles.Contains(Role.Ppk) && caller.Has(Role.Ppk) && caller.Instansi.Count > 0)
        {
            return new CallAccess(caller, InstansiScope.Only(caller.Instansi));
        }
        return null;
    }
}
