using Netralitas.DevHost;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Netralitas.Gateway.Security;

namespace Netralitas.UnitTests;

public sealed class DevelopmentPkiTests : IDisposable
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private readonly DevelopmentCertificateAuthority _authority = DevelopmentCertificateAuthority.Create();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("netralitas-pki-");

    public void Dispose()
    {
        _authority.Dispose();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public void The_CA_is_a_CA_that_signs_certificates_and_CRLs_for_two_years()
    {
        var ca = _authority.Certificate;

        Assert.True(ca.HasPrivateKey);
        Assert.Equal("CN=Netralitas Development CA, O=Netralitas Development", ca.Subject);
        Assert.Equal(ca.Subject, ca.Issuer);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var usage = ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages;
        Assert.True(usage.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.True(usage.HasFlag(X509KeyUsageFlags.CrlSign));
        Assert.NotNull(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
        Assert.InRange(ca.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(729), TimeSpan.FromDays(731));
    }

    [Fact]
    public void A_client_certificate_chains_to_its_CA_and_not_to_another()
    {
        using var client = _authority.IssueClientCertificate("bkn-siasn", "BKN", TimeSpan.FromDays(1));
        using var otherAuthority = DevelopmentCertificateAuthority.Create("Another CA");

        Assert.True(Chains(client, _authority.Certificate, out var status), string.Join(", ", status));
        Assert.False(Chains(client, otherAuthority.Certificate, out _));
    }

    [Fact]
    public void A_client_certificate_names_the_member_is_for_client_authentication_and_has_its_key()
    {
        using var client = _authority.IssueClientCertificate("bkn-siasn", "BKN", TimeSpan.FromDays(30));

        Assert.Equal("CN=bkn-siasn, O=BKN", client.Subject);
        Assert.Equal(_authority.Certificate.Subject, client.Issuer);
        Assert.True(client.HasPrivateKey);
        Assert.Equal([ClientAuthentication], PurposesOf(client));
        Assert.False(client.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var authorityKey = client.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier;
        var caKey = _authority.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier;
        Assert.Equal(caKey, Convert.ToHexString(authorityKey!.Value.Span));
        Assert.InRange(client.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(29), TimeSpan.FromDays(30));
    }

    [Fact]
    public void Every_issued_certificate_has_its_own_serial_number()
    {
        var serials = Enumerable.Range(0, 20).Select(_ =>
        {
            using var certificate = _authority.IssueClientCertificate("kasn", "KASN", TimeSpan.FromDays(1));
            return certificate.SerialNumber;
        }).ToList();

        Assert.Equal(serials.Count, serials.Distinct().Count());
    }

    [Fact]
    public void A_client_certificate_that_started_two_days_ago_for_one_day_has_expired()
    {
        using var expired = _authority.IssueClientCertificate("kasn", "KASN", TimeSpan.FromDays(1), DateTimeOffset.UtcNow.AddDays(-2));

        Assert.False(Chains(expired, _authority.Certificate, out var status));
        Assert.Contains(X509ChainStatusFlags.NotTimeValid, status);
    }

    [Fact]
    public void A_certificate_cannot_outlive_its_CA()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _authority.IssueClientCertificate("kasn", "KASN", TimeSpan.FromDays(3 * 365)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _authority.IssueClientCertificate("kasn", "KASN", TimeSpan.FromDays(1), DateTimeOffset.UtcNow.AddDays(-30)));
    }

    [Fact]
    public void The_server_certificate_names_its_hosts_and_addresses_and_is_for_server_authentication()
    {
        using var server = _authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], TimeSpan.FromDays(30));

        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        Assert.Equal([ServerAuthentication], PurposesOf(server));
        Assert.True(server.HasPrivateKey);
        Assert.True(server.MatchesHostname("localhost"));
        Assert.True(server.MatchesHostname("127.0.0.1"));
        Assert.False(server.MatchesHostname("example.org"));
        Assert.True(Chains(server, _authority.Certificate, out var status), string.Join(", ", status));
    }

    [Fact]
    public void The_thumbprint_is_the_upper_case_hex_SHA_256_of_the_certificate()
    {
        using var client = _authority.IssueClientCertificate("kasn", "KASN", TimeSpan.FromDays(1));

        var thumbprint = DevelopmentCertificates.Sha256Thumbprint(client);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(client.RawData)), thumbprint);
        Assert.Matches("^[0-9A-F]{64}$", thumbprint);
    }

    [Fact]
    public void A_CA_written_as_PEM_loads_back_with_its_key_and_issues_certificates_that_chain_to_the_original()
    {
        var certificatePath = Path.Combine(_folder.FullName, "ca.crt");
        var keyPath = Path.Combine(_folder.FullName, "ca.key");
        DevelopmentCertificates.WritePem(_authority.Certificate, certificatePath, keyPath);

        using var loaded = DevelopmentCertificateAuthority.Load(certificatePath, keyPath);
        using var client = loaded.IssueClientCertificate("kasn", "KASN", TimeSpan.FromDays(1));

        Assert.Equal(_authority.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(certificatePath));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(keyPath));
        Assert.True(Chains(client, _authority.Certificate, out var status), string.Join(", ", status));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }
    }

    [Fact]
    public void A_key_file_that_existed_with_a_wider_mode_is_narrowed_when_rewritten()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix file modes to check
        }
        var keyPath = Path.Combine(_folder.FullName, "wide.key");
        File.WriteAllText(keyPath, "old");
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        DevelopmentCertificates.WritePem(_authority.Certificate, Path.Combine(_folder.FullName, "wide.crt"), keyPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
    }

    [Fact]
    public void Loading_a_certificate_that_is_not_a_CA_as_a_CA_fails_with_its_name()
    {
        using var client = _authority.IssueClientCertificate("kasn", "KASN", TimeSpan.FromDays(1));
        var certificatePath = Path.Combine(_folder.FullName, "kasn.crt");
        var keyPath = Path.Combine(_folder.FullName, "kasn.key");
        DevelopmentCertificates.WritePem(client, certificatePath, keyPath);

        var error = Assert.Throws<InvalidDataException>(() => DevelopmentCertificateAuthority.Load(certificatePath, keyPath));

        Assert.Contains("CN=kasn", error.Message);
    }

    private static bool Chains(X509Certificate2 certificate, X509Certificate2 trustedRoot, out X509ChainStatusFlags[] status)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            CustomTrustStore = { trustedRoot },
            RevocationMode = X509RevocationMode.NoCheck,
        };
        var built = chain.Build(certificate);
        status = chain.ChainStatus.Select(s => s.Status).ToArray();
        return built;
    }

    private static string[] PurposesOf(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? "").ToArray();
}
