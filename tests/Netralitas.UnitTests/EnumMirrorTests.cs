using System.Reflection;
using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using Netralitas.Domain;
using Netralitas.Domain.Audit;
using Netralitas.Domain.Personnel;
using V1 = Netralitas.V1;

namespace Netralitas.UnitTests;

/// <summary>
/// The gRPC mapping converts these enums by number, so each domain enum must mirror its proto enum
/// value for value: same numbers, same names (REPORT_SOURCE_BAWASLU is ReportSource.Bawaslu). The
/// domain may leave out the UNSPECIFIED zero of a proto enum it never holds.
/// </summary>
public sealed class EnumMirrorTests
{
    public static TheoryData<Type, Type> Mirrors() => new()
    {
        { typeof(ReportSource), typeof(V1.ReportSource) },
        { typeof(CaseStatus), typeof(V1.CaseStatus) },
        { typeof(Outcome), typeof(V1.Outcome) },
        { typeof(ElectionKind), typeof(V1.ElectionKind) },
        { typeof(PositionKind), typeof(V1.PositionKind) },
        { typeof(SanctionLevel), typeof(V1.SanctionLevel) },
        { typeof(Track), typeof(V1.Track) },
        { typeof(Period), typeof(V1.Period) },
        { typeof(EnforcementKind), typeof(V1.EnforcementActionKind) },
        { typeof(OutboxKind), typeof(V1.OutboxMessageKind) },
        { typeof(OutboxState), typeof(V1.OutboxMessageState) },
        { typeof(RecommendationStatus), typeof(V1.RecommendationStatus) },
        { typeof(EscalationStage), typeof(V1.EscalationStage) },
        { typeof(FollowUpEventKind), typeof(V1.FollowUpEventKind) },
        { typeof(PersonnelSource), typeof(V1.PersonnelSource) },
        { typeof(PersonnelSyncState), typeof(V1.PersonnelSyncState) },
        { typeof(BlockReferenceState), typeof(V1.BlockReferenceState) },
        { typeof(AuditProblemKind), typeof(V1.AuditProblemKind) },
        { typeof(Domain.Statistics.FunnelStage), typeof(V1.FunnelStage) },
        { typeof(Domain.Statistics.Population), typeof(V1.Population) },
        { typeof(Domain.Statistics.Dimension), typeof(V1.Dimension) },
        { typeof(Domain.Statistics.Granularity), typeof(V1.Granularity) },
        { typeof(Domain.Statistics.FollowUpOutcome), typeof(V1.FollowUpOutcome) },
        { typeof(Domain.Monev.TeamRole), typeof(V1.TeamRole) },
        { typeof(Domain.Monev.DutyStatus), typeof(V1.DutyStatus) },
        { typeof(Domain.Monev.PpkDuty), typeof(V1.PpkDuty) },
        { typeof(Adapters.Reports.ReportFormat), typeof(V1.ExportFormat) },
    };

    /// <summary>Proto enums with no domain twin: request options the gRPC layer reads itself.</summary>
    // CallProtocol: the audit trail keeps the protocol as the text it hashes ("grpc", "rest").
    private static readonly string[] ProtoOnly = ["netralitas.v1.PersonnelView", "netralitas.v1.CallProtocol"];

    [Theory]
    [MemberData(nameof(Mirrors))]
    public void DomainEnumMirrorsProtoEnum(Type domain, Type proto)
    {
        var descriptor = ProtoEnums().Single(e => e.ClrType == proto);
        var prefix = UpperSnake(descriptor.Name) + "_";
        var protoValues = descriptor.Values
            .Where(v => !(v.Number == 0 && v.Name == prefix + "UNSPECIFIED") || Enum.IsDefined(domain, 0))
            .Select(v => (v.Number, Name: v.Name[prefix.Length..]))
            .ToArray();
        var domainValues = Enum.GetValues(domain).Cast<object>()
            .Select(v => (Number: Convert.ToInt32(v), Name: UpperSnake(Enum.GetName(domain, v)!)))
            .ToArray();

        Assert.Equal(protoValues.OrderBy(v => v.Number), domainValues.OrderBy(v => v.Number));
    }

    [Fact]
    public void EveryProtoEnumHasADomainTwinOrIsListedAsProtoOnly()
    {
        var mirrored = Mirrors().Select(row => (Type)row[1]).ToHashSet();
        var unaccounted = ProtoEnums()
            .Where(e => !mirrored.Contains(e.ClrType) && !ProtoOnly.Contains(e.FullName))
            .Select(e => e.FullName);
        Assert.Empty(unaccounted);
    }

    private static IEnumerable<EnumDescriptor> ProtoEnums() =>
        typeof(V1.CaseService).Assembly.GetTypes()
            .Where(t => t.Namespace == "Netralitas.V1" && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => (FileDescriptor)t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
            .SelectMany(file => file.EnumTypes.Concat(file.MessageTypes.SelectMany(NestedEnums)));

    private static IEnumerable<EnumDescriptor> NestedEnums(MessageDescriptor message) =>
        message.EnumTypes.Concat(message.NestedTypes.SelectMany(NestedEnums));

    private static string UpperSnake(string pascal) =>
        Regex.Replace(pascal, "(?<=[a-z0-9])(?=[A-Z])", "_").ToUpperInvariant();
}
