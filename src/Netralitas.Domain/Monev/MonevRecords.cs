using Netralitas.Domain.Cases;

namespace Netralitas.Domain.Monev;

public enum TeamRole { Unspecified = 0, Chair = 1, Secretary = 2, Member = 3 }

/// <summary>An agency's integrity pact (pakta integritas) on neutrality for one election.</summary>
public sealed class IntegrityPact
{
    public required string InstansiCode { get; init; }
    public required string ElectionId { get; init; }
    public DateOnly SignedOn { get; set; }
    public required string DocumentReference { get; set; }
    public int SignatoryCount { get; set; }
    public int AsnCount { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }

    public string ResourceName => MonevNames.Of(InstansiCode, ElectionId, "integrityPact");

    /// <summary>Every ASN of the agency signed.</summary>
    public bool SignedByAll => SignatoryCount >= AsnCount;
}

/// <summary>An agency's internal team (tim internal) that supervises neutrality for one election.</summary>
public sealed class SupervisionTeam
{
    public const int MaxMembers = 200;

    public required string InstansiCode { get; init; }
    public required string ElectionId { get; init; }
    public required string DecreeNumber { get; set; }
    public DateOnly DecreeDate { get; set; }
    public List<TeamMember> Members { get; set; } = [];
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }

    public string ResourceName => MonevNames.Of(InstansiCode, ElectionId, "supervisionTeam");
}

public sealed class TeamMember
{
    public required string Nip { get; init; }
    public TeamRole Role { get; init; }
}

public static class MonevNames
{
    public static string Of(string instansiCode, string electionId, string record) =>
        $"agencies/{instansiCode}/elections/{electionId}/{record}";
}

public sealed record RecordIntegrityPactCommand(
    string InstansiCode, string ElectionId, DateParts? SignedOn, string DocumentReference, int SignatoryCount, int AsnCount);

public sealed record RecordSupervisionTeamCommand(
    string InstansiCode, string ElectionId, string DecreeNumber, DateParts? DecreeDate, IReadOnlyList<(string Nip, TeamRole Role)> Members);
