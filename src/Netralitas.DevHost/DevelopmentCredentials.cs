using Netralitas.Gateway.Security;

namespace Netralitas.DevHost;

/// <summary>A sample member system of the development credentials, with its client certificate's organization.</summary>
public sealed record DevelopmentMember(string Id, string Organization, Role Role, IReadOnlyList<string> Instansi, string? Province = null);

/// <summary>What <c>dev-credentials</c> writes and <c>dev-token</c> reads: file names, members, issuer.</summary>
public static class DevelopmentCredentials
{
    public const string Issuer = "https://dev-idp.netralitas.invalid/realms/asn";
    public const string Audience = DevelopmentTokenIssuer.DefaultAudience;
    public const string GatewayUrl = "https://127.0.0.1:5443";

    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string ServerCertificateFile = "server.crt";
    public const string ServerKeyFile = "server.key";
    public const string MembersFolder = "members";
    public const string TokenSigningKeyFile = "token-signing.key";
    public const string JwksFile = "jwks.json";
    public const string SettingsFile = "secure.settings.json";

    public static readonly TimeSpan CertificateValidity = TimeSpan.FromDays(365);

    public static readonly IReadOnlyList<DevelopmentMember> Members =
    [
        new("bawaslu-ri", "Bawaslu RI", Role.Bawaslu, []),
        new("kasn", "KASN", Role.Authority, []),
        new("ppk-3303", "Pemerintah Kabupaten Purbalingga", Role.Ppk, ["3303"]),
        new("ppk-3374", "Pemerintah Kota Semarang", Role.Ppk, ["3374"]),
        new("bkn-siasn", "BKN", Role.Bkn, []),
        new("pemprov-33", "Pemerintah Provinsi Jawa Tengah", Role.Provincial, [], Province: "33"),
        new("auditor-inspektorat", "Inspektorat", Role.Auditor, []),
    ];


    public static string MemberCertificatePath(string directory, string memberId) => Path.Combine(directory, MembersFolder, memberId + ".crt");

    public static string MemberKeyPath(string directory, string memberId) => Path.Combine(directory, MembersFolder, memberId + ".key");
}
