namespace Netralitas.Gateway.Security;

/// <summary>
/// Netralitas:Security — who may call the gateway and how much. Outside Development every call
/// needs a client certificate from <see cref="MutualTlsOptions.ClientCaPath"/> or a bearer token
/// from <see cref="BearerOptions.Issuer"/>; anything else is UNAUTHENTICATED.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Netralitas:Security";

    /// <summary>
    /// Accepts calls without credentials from loopback as the all-roles <c>developer</c> caller.
    /// Only in the Development environment, only when every endpoint is bound to loopback; the
    /// gateway refuses to start otherwise. appsettings.Development.json turns it on.
    /// </summary>
    public bool DevelopmentMode { get; set; }

    public MutualTlsOptions MutualTls { get; set; } = new();

    public BearerOptions Bearer { get; set; } = new();

    public CallLimitOptions Limits { get; set; } = new();

    /// <summary>
    /// The reverse proxies (addresses or CIDR ranges, e.g. "10.20.0.5" or "10.20.0.0/28") that
    /// terminate TLS in front of the gateway: from these, and only these, the gateway takes the
    /// client certificate the proxy verified (<see cref="TrustedProxyHeaders.CertificateHeader"/>)
    /// and X-Forwarded-Proto/-For. Empty (the default): those headers are never trusted.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}

/// <summary>Member systems that present a client certificate issued by the configured CA.</summary>
public sealed class MutualTlsOptions
{
    /// <summary>PEM file of the CA (one or more certificates) that issues member certificates; empty turns mTLS off.</summary>
    public string? ClientCaPath { get; set; }

    /// <summary>Certificates that must no longer be accepted, by SHA-256 thumbprint (hex).</summary>
    public List<string> RevokedThumbprints { get; set; } = [];

    public List<MemberOptions> Members { get; set; } = [];
}

/// <summary>
/// One member system. A certificate matches by SHA-256 <see cref="Thumbprint"/> (hex) when set,
/// otherwise by its exact <see cref="Subject"/> distinguished name (e.g. "CN=bkn-siasn, O=BKN").
/// </summary>
public sealed class MemberOptions
{
    /// <summary>The caller's name in the audit trail and in rate limits.</summary>
    public string Id { get; set; } = "";

    public string? Thumbprint { get; set; }

    public string? Subject { get; set; }

    /// <summary>bawaslu, authority, ppk, bkn, provincial, auditor.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>For the ppk role: the instansi codes whose cases and recommendations it may see.</summary>
    public List<string> Instansi { get; set; } = [];

    /// <summary>For the provincial role: the province code (two digits, BPS).</summary>
    public string? Province { get; set; }
}

/// <summary>OAuth2 bearer tokens (JWT) from the agencies' identity provider, e.g. a Keycloak realm.</summary>
public sealed class BearerOptions
{
    /// <summary>The token's required <c>iss</c>; empty turns bearer tokens off.</summary>
    public string? Issuer { get; set; }

    /// <summary>The token's required <c>aud</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Where the signing keys come from: an OpenID Connect metadata address
    /// (e.g. https://sso.example/realms/asn/.well-known/openid-configuration), read and refreshed
    /// as the provider rotates keys…
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>…or a JWKS file (the identity provider's published keys), read at start.</summary>
    public string? SigningKeysPath { get; set; }

    /// <summary>Tolerated clock difference for exp and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Claim naming the caller; a dotted path reads nested JSON (Keycloak: azp for a client, sub for a user).</summary>
    public string CallerClaim { get; set; } = "azp";

    /// <summary>Claim holding the roles (Keycloak puts realm roles in realm_access.roles).</summary>
    public string RolesClaim { get; set; } = "realm_access.roles";

    public string InstansiClaim { get; set; } = "instansi";

    public string ProvinceClaim { get; set; } = "province";
}

/// <summary>Limits on each call, the same for every caller.</summary>
public sealed class CallLimitOptions
{
    public int MaxReceiveMessageBytes { get; set; } = 4 * 1024 * 1024;

    public int MaxSendMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The largest SIASN/SAPK export UploadPersonnelExport takes (its REST body); every other
    /// message is bounded by <see cref="MaxReceiveMessageBytes"/>.
    /// </summary>
    public int MaxUploadBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Calls per second each caller may start, on average (a token bucket).</summary>
    public int CallsPerSecond { get; set; } = 1000;

    /// <summary>Calls a caller may start at once after being idle.</summary>
    public int CallBurst { get; set; } = 2000;

    /// <summary>A streaming call ends with DEADLINE_EXCEEDED after this long, whatever deadline the client set.</summary>
    public TimeSpan MaxStreamDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// NIPs one request stream may carry (RESOURCE_EXHAUSTED beyond): its audit entry holds them
    /// all, 8 bytes each until the stream ends. Twice the national ASN count.
    /// </summary>
    public int MaxNipsPerStream { get; set; } = 10_000_000;

    /// <summary>Streaming calls (watches, bulk checks, imports) one caller may have open at once.</summary>
    public int MaxStreamsPerCaller { get; set; } = 32;

    /// <summary>An HTTP/2 connection silent this long is pinged…</summary>
    public TimeSpan IdleConnectionPing { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>…and closed, ending its calls, when the ping is not answered within this.</summary>
    public TimeSpan IdleConnectionPingTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
