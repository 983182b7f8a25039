using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Netralitas.Gateway.Security;

/// <summary>
/// Mutual TLS: a client certificate is a member's when it chains to the configured CA, is within
/// its validity, is meant for client authentication, is not revoked by configuration, and its
/// SHA-256 thumbprint or subject names a configured member. A certificate that passed is
/// remembered for a minute (at most until it expires), since every call on a connection presents it.
/// </summary>
public sealed class ClientCertificateMembers
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";
    private const int MaxRemembered = 10_000;
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (Caller Caller, DateTime Until)> _remembered = new(StringComparer.Ordinal);

    private readonly X509Certificate2Collection _authorities;
    private readonly HashSet<string> _revoked;
    private readonly Dictionary<string, MemberOptions> _byThumbprint;
    private readonly Dictionary<string, MemberOptions> _bySubject;
    private readonly TimeProvider _clock;

    private ClientCertificateMembers(X509Certificate2Collection authorities, MutualTlsOptions options, TimeProvider clock)
    {
        _authorities = authorities;
        _clock = clock;
        _revoked = options.RevokedThumbprints.Select(NormalizeThumbprint).ToHashSet(StringComparer.Ordinal);
        _byThumbprint = options.Members.Where(m => !string.IsNullOrWhiteSpace(m.Thumbprint))
            .ToDictionary(m => NormalizeThumbprint(m.Thumbprint!), StringComparer.Ordinal);
        _bySubject = options.Members.Where(m => string.IsNullOrWhiteSpace(m.Thumbprint) && !string.IsNullOrWhiteSpace(m.Subject))
            .ToDictionary(m => NormalizeSubject(m.Subject!), StringComparer.Ordinal);
    }

    /// <summary>Null when mutual TLS is not configured (no ClientCaPath).</summary>
    public static ClientCertificateMembers? Load(MutualTlsOptions options, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(options.ClientCaPath))
        {
            return null;
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(options.ClientCaPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"{SecurityOptions.Section}:MutualTls:ClientCaPath: cannot read a PEM certificate from {options.ClientCaPath}: {e.Message}", e);
        }
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"{SecurityOptions.Section}:MutualTls:ClientCaPath: {options.ClientCaPath} holds no certificate.");
        }
        return new ClientCertificateMembers(authorities, options, clock);
    }

    /// <summary>The member the certificate identifies, or why it is refused (for the log; the caller sees a generic answer).</summary>
    public (Caller? Caller, string? Refusal) Identify(X509Certificate2 certificate)
    {
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var now = _clock.GetUtcNow().UtcDateTime;
        if (_remembered.TryGetValue(thumbprint, out var known) && known.Until > now)
        {
            return (known.Caller, null);
        }
        var (caller, refusal) = Verify(certificate, thumbprint, now);
        if (caller is not null)
        {
            if (_remembered.Count >= MaxRemembered)
            {
                _remembered.Clear();
            }
            var until = now + RememberFor;
            _remembered[thumbprint] = (caller, certificate.NotAfter.ToUniversalTime() < until ? certificate.NotAfter.ToUniversalTime() : until);
        }
        return (caller, refusal);
    }

    private (Caller? Caller, string? Refusal) Verify(X509Certificate2 certificate, string thumbprint, DateTime now)
    {
        if (_revoked.Contains(thumbprint))
        {
            return (null, $"certificate {thumbprint} is revoked by configuration");
        }
        if (!IsForClientAuthentication(certificate))
        {
            return (null, $"certificate {thumbprint} is not issued for client authentication");
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Never fetch an issuer a presented certificate points to (its AIA address is the client's choice).
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(certificate))
        {
            var why = string.Join(", ", chain.ChainStatus.Select(s => s.Status));
            return (null, $"certificate {thumbprint} ({certificate.Subject}) does not chain to the configured CA: {why}");
        }
        var member = _byThumbprint.GetValueOrDefault(thumbprint) ?? _bySubject.GetValueOrDefault(NormalizeSubject(certificate.Subject));
        if (member is null)
        {
            return (null, $"certificate {thumbprint} ({certificate.Subject}) is valid but names no configured member");
        }
        return (CallerRoles.Create(member.Id, CallerProof.ClientCertificate, member.Roles, member.Instansi, member.Province), null);
    }

    private static bool IsForClientAuthentication(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return usages is null || usages.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == ClientAuthenticationOid);
    }

    private static string NormalizeThumbprint(string thumbprint) =>
        thumbprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>"CN=a, O=b" and "CN=a,O=b" are the same subject.</summary>
    private static string NormalizeSubject(string subject) =>
        string.Join(",", subject.Split(',').Select(part => part.Trim()));
}
