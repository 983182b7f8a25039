namespace Netralitas.Gateway.Security;

/// <summary>The institutions' mandates: what a caller may do follows from these alone (deny by default).</summary>
public enum Role
{
    /// <summary>Files cases.</summary>
    Bawaslu,

    /// <summary>The recommending authority: decides cases, issues recommendations.</summary>
    Authority,

    /// <summary>An agency head: its own instansi's cases and recommendations, and their follow-ups.</summary>
    Ppk,

    /// <summary>BKN: compliance, escalation, enforcement, personnel, and every read.</summary>
    Bkn,

    /// <summary>A provincial government: HasOpenCase and CheckOpenCases only.</summary>
    Provincial,

    /// <summary>Reads and verifies the audit trail.</summary>
    Auditor,
}

/// <summary>How the caller proved who it is.</summary>
public enum CallerProof
{
    ClientCertificate,
    BearerToken,

    /// <summary>No proof: development mode on loopback.</summary>
    Development,
}

/// <summary>An authenticated caller: a member system (certificate) or a token's client.</summary>
public sealed record Caller(
    string Id,
    CallerProof Proof,
    IReadOnlySet<Role> Roles,
    IReadOnlySet<string> Instansi,
    string? Province)
{
    public bool Has(Role role) => Roles.Contains(role);
}
