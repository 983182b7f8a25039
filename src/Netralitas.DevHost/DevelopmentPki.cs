using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Netralitas.DevHost;

/// <summary>
/// A certificate authority for trying the secure mode locally and for tests: issues the gateway's
/// server certificate and member systems' client certificates (ECDSA P-256). Development only —
/// its key sits in a file next to the certificates it issues.
/// </summary>
public sealed class DevelopmentCertificateAuthority : IDisposable
{
    public const string DefaultCommonName = "Netralitas Development CA";

    /// <summary>How long a created CA is valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(2 * 365);

    /// <summary>
    /// A created CA is valid from this long ago, so that tests can issue certificates that have
    /// already expired (an issued certificate cannot start before its issuer).
    /// </summary>
    public static readonly TimeSpan Backdating = TimeSpan.FromDays(7);

    /// <summary>Issued certificates start this long before now unless told otherwise (clock skew).</summary>
    public static readonly TimeSpan IssuedClockSkew = TimeSpan.FromMinutes(5);

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private DevelopmentCertificateAuthority(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    /// <summary>The CA's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static DevelopmentCertificateAuthority Create(string commonName = DefaultCommonName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        subject.AddOrganizationName("Netralitas Development");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(pathLengthConstraint: 0));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now - Backdating, now + Validity);
        return new DevelopmentCertificateAuthority(DevelopmentCertificates.WithImportedKey(certificate));
    }

    /// <summary>Loads a CA written by <see cref="DevelopmentCertificates.WritePem"/>.</summary>
    /// <exception cref="InvalidDataException">The certificate is not a CA, or the key does not belong to it.</exception>
    public static DevelopmentCertificateAuthority Load(string certificatePemPath, string keyPemPath)
    {
        X509Certificate2 loaded;
        try
        {
            loaded = X509Certificate2.CreateFromPemFile(certificatePemPath, keyPemPath);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{certificatePemPath} with {keyPemPath}: not a certificate and its private key ({e.Message})", e);
        }
        using (loaded)
        {
            var constraints = loaded.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (constraints is not { CertificateAuthority: true })
            {
                throw new InvalidDataException($"{certificatePemPath}: {loaded.Subject} is not a certificate authority");
            }
            return new DevelopmentCertificateAuthority(DevelopmentCertificates.WithImportedKey(loaded));
        }
    }

    /// <summary>The gateway's TLS certificate: serverAuth, with the names and addresses clients connect to.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, TimeSpan validity)
    {
        var names = dnsNames.ToList();
        var ips = addresses.ToList();
        if (names.Count == 0 && ips.Count == 0)
        {
            throw new ArgumentException("A server certificate needs at least one DNS name or IP address.", nameof(dnsNames));
        }
        var alternativeNames = new SubjectAlternativeNameBuilder();
        names.ForEach(alternativeNames.AddDnsName);
        ips.ForEach(alternativeNames.AddIpAddress);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(names.Count > 0 ? names[0] : ips[0].ToString());
        subject.AddOrganizationName("Netralitas Development");
        return Issue(subject.Build(), ServerAuthentication, validity, notBefore: null, alternativeNames.Build());
    }

    /// <summary>A member system's client certificate: clientAuth, subject "CN={memberId}, O={organization}".</summary>
    /// <param name="notBefore">When it starts; default <see cref="IssuedClockSkew"/> ago. It ends <paramref name="validity"/> later.</param>
    public X509Certificate2 IssueClientCertificate(string memberId, string organization, TimeSpan validity, DateTimeOffset? notBefore = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(memberId);
        ArgumentException.ThrowIfNullOrWhiteSpace(organization);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(memberId);
        subject.AddOrganizationName(organization);
        return Issue(subject.Build(), ClientAuthentication, validity, notBefore, alternativeNames: null);
    }

    public void Dispose() => Certificate.Dispose();

    private X509Certificate2 Issue(X500DistinguishedName subject, Oid purpose, TimeSpan validity, DateTimeOffset? notBefore, X509Extension? alternativeNames)
    {
        if (validity <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), validity, "The validity must be positive.");
        }
        var start = notBefore ?? DateTimeOffset.UtcNow - IssuedClockSkew;
        var end = start + validity;
        if (start < Certificate.NotBefore.ToUniversalTime() || end > Certificate.NotAfter.ToUniversalTime())
        {
            throw new ArgumentOutOfRangeException(nameof(validity),
                $"{start:O} to {end:O} is outside the CA's validity ({Certificate.NotBefore.ToUniversalTime():O} to {Certificate.NotAfter.ToUniversalTime():O}).");
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([purpose], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }
        using var issued = request.Create(Certificate, start, end, UniqueSerialNumber());
        using var withKey = issued.CopyWithPrivateKey(key);
        return DevelopmentCertificates.WithImportedKey(withKey);
    }

    /// <summary>126 random bits, positive, with no leading zero byte (DER integers are minimal).</summary>
    private static byte[] UniqueSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        return serial;
    }
}

/// <summary>PEM files and thumbprints of the development certificates.</summary>
public static class DevelopmentCertificates
{
    /// <summary>
    /// The SHA-256 hash of the certificate's DER encoding, upper-case hex: what a member's
    /// <see cref="MemberOptions.Thumbprint"/> holds.
    /// </summary>
    public static string Sha256Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>Writes the certificate to <paramref name="certificatePath"/> and its private key (PKCS#8) to <paramref name="keyPath"/>, readable by the owner only.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        WritePrivateFile(keyPath, PrivateKeyPem(certificate) + "\n");
    }

    /// <summary>Writes a file that only its owner may read or write (mode 0600 on Unix), replacing one that exists.</summary>
    public static void WritePrivateFile(string path, string contents)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        if (!OperatingSystem.IsWindows())
        {
            // Before the key is written, and also when the file existed with a wider mode.
            File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        file.Write(Encoding.ASCII.GetBytes(contents));
    }

    private static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using var ecdsa = certificate.GetECDsaPrivateKey();
        if (ecdsa is not null)
        {
            return ecdsa.ExportPkcs8PrivateKeyPem();
        }
        using var rsa = certificate.GetRSAPrivateKey();
        return rsa?.ExportPkcs8PrivateKeyPem()
            ?? throw new ArgumentException($"{certificate.Subject}: no ECDSA or RSA private key", nameof(certificate));
    }

    /// <summary>
    /// A copy whose private key came from a PKCS#12 import instead of the in-memory key that
    /// CertificateRequest made. On Linux (OpenSSL) Kestrel and SslStream take either, as server and
    /// as client certificate; Windows' TLS (SChannel) cannot use such an ephemeral key, and the
    /// round trip is its usual remedy.
    /// </summary>
    internal static X509Certificate2 WithImportedKey(X509Certificate2 certificate)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var pkcs12 = certificate.Export(X509ContentType.Pkcs12, password);
        return X509CertificateLoader.LoadPkcs12(pkcs12, password, X509KeyStorageFlags.Exportable);
    }
}

/// <summary>The claims of a development bearer token; the names the gateway reads by default.</summary>
public sealed record TokenClaims
{
    /// <summary>The client the token was issued to: <c>azp</c>.</summary>
    public required string Caller { get; init; }

    /// <summary><c>sub</c>; default <c>service-account-{Caller}</c>, as Keycloak names a client's service account.</summary>
    public string? Subject { get; init; }

    /// <summary><c>aud</c>.</summary>
    public string Audience { get; init; } = DevelopmentTokenIssuer.DefaultAudience;

    /// <summary><c>realm_access.roles</c>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary><c>instansi</c>: a JSON array, written even when empty.</summary>
    public IReadOnlyList<string> Instansi { get; init; } = [];

    /// <summary><c>province</c>; left out when null.</summary>
    public string? Province { get; init; }

    /// <summary><c>exp</c> − <c>nbf</c>.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>iat</c>; default now. A time in the past makes an expired token.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary><c>nbf</c>; default <see cref="IssuedAt"/>. A time in the future makes a not-yet-valid token.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary><c>iss</c> instead of the issuer's own, for tests of a token from elsewhere.</summary>
    public string? Issuer { get; init; }

    /// <summary>The <c>typ</c> claim: <c>Bearer</c>, as in a Keycloak access token (its ID tokens say <c>ID</c>).</summary>
    public string TokenUse { get; init; } = "Bearer";

    /// <summary>The header's <c>typ</c>; null leaves the handler's <c>JWT</c>.</summary>
    public string? HeaderType { get; init; }
}

/// <summary>
/// Issues bearer tokens shaped like a Keycloak realm's, signed RS256 with an RSA 2048 key, and
/// publishes the key as a JWKS. Development only.
/// </summary>
public sealed class DevelopmentTokenIssuer : IDisposable
{
    public const string DefaultAudience = "netralitas";
    public const string Algorithm = SecurityAlgorithms.RsaSha256;

    private readonly RSA _key;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    private DevelopmentTokenIssuer(RSA key, string issuer, string? keyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        _key = key;
        Issuer = issuer;
        KeyId = string.IsNullOrWhiteSpace(keyId) ? JwkThumbprint(key) : keyId;
        _credentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = KeyId }, Algorithm);
    }

    /// <summary>The <c>iss</c> of every token unless <see cref="TokenClaims.Issuer"/> overrides it.</summary>
    public string Issuer { get; }

    /// <summary>The <c>kid</c> of the tokens' header and of the JWKS entry.</summary>
    public string KeyId { get; }

    /// <param name="keyId">Default: the key's RFC 7638 thumbprint, so that a reloaded key keeps its kid.</param>
    public static DevelopmentTokenIssuer Create(string issuer, string? keyId = null) => new(RSA.Create(2048), issuer, keyId);

    /// <summary>Loads a key written by <see cref="SaveSigningKey"/>.</summary>
    /// <exception cref="InvalidDataException">The file holds no RSA private key.</exception>
    public static DevelopmentTokenIssuer Load(string keyPemPath, string issuer, string? keyId = null)
    {
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(keyPemPath));
            key.ExportParameters(includePrivateParameters: true); // a public key alone cannot sign
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidDataException($"{keyPemPath}: not an RSA private key in PEM ({e.Message})", e);
        }
        return new DevelopmentTokenIssuer(key, issuer, keyId);
    }

    /// <summary>Writes the private key (PKCS#8 PEM), readable by the owner only.</summary>
    public void SaveSigningKey(string path) => DevelopmentCertificates.WritePrivateFile(path, _key.ExportPkcs8PrivateKeyPem() + "\n");

    /// <summary>The public key as a JSON Web Key Set (kty, use=sig, alg, kid, n, e): the gateway's <see cref="BearerOptions.SigningKeysPath"/>.</summary>
    public string JwksJson()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        var set = new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = Algorithm, kid = KeyId, n = Base64Url.EncodeToString(parameters.Modulus), e = Base64Url.EncodeToString(parameters.Exponent) },
            },
        };
        return JsonSerializer.Serialize(set, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A signed JWT (compact form) with these claims.</summary>
    public string Issue(TokenClaims claims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claims.Caller, nameof(claims));
        if (claims.Lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(claims), claims.Lifetime, "The token's lifetime must be positive.");
        }
        var issuedAt = claims.IssuedAt ?? DateTimeOffset.UtcNow;
        var notBefore = claims.NotBefore ?? issuedAt;
        var payload = new Dictionary<string, object>
        {
            ["azp"] = claims.Caller,
            [JwtRegisteredClaimNames.Sub] = claims.Subject ?? $"service-account-{claims.Caller}",
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = claims.Roles.ToArray() },
            ["instansi"] = claims.Instansi.ToArray(),
            ["typ"] = claims.TokenUse,
        };
        if (claims.Province is { } province)
        {
            payload["province"] = province;
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = claims.Issuer ?? Issuer,
            Audience = claims.Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = (notBefore + claims.Lifetime).UtcDateTime,
            Claims = payload,
            SigningCredentials = _credentials,
            TokenType = claims.HeaderType,
        });
    }

    public void Dispose() => _key.Dispose();

    /// <summary>RFC 7638: SHA-256 of the required members in lexicographic order, base64url.</summary>
    private static string JwkThumbprint(RSA key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var canonical = $"{{\"e\":\"{Base64Url.EncodeToString(parameters.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64Url.EncodeToString(parameters.Modulus)}\"}}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
