using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Netralitas.Gateway.Security;
using static Netralitas.DevHost.DevelopmentCredentials;

namespace Netralitas.DevHost;

/// <summary>
/// <c>dev-credentials DIRECTORY [--force]</c>: a development CA, the gateway's server certificate,
/// a client certificate per sample member, a token signing key with its JWKS, and the settings
/// that start the gateway in secure mode with them. Exit code 0 when written, 2 when the
/// arguments are wrong or the directory already holds files (unless --force).
/// </summary>
public static class DevelopmentCredentialsCommand
{
    public const string Verb = "dev-credentials";
    private const string Usage = $"usage: {Verb} DIRECTORY [--force]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var unknown = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--force").ToList();
        if (positional.Count != 1 || unknown.Count > 0)
        {
            await error.WriteLineAsync(unknown.Count > 0 ? $"{Verb}: unknown option {unknown[0]}\n{Usage}" : Usage);
            return 2;
        }
        var directory = CallerPaths.Resolve(positional[0]);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !args.Contains("--force"))
        {
            await error.WriteLineAsync($"{Verb}: {directory} is not empty; choose another directory, or add --force to overwrite the credentials in it");
            return 2;
        }
        if (File.Exists(directory))
        {
            await error.WriteLineAsync($"{Verb}: {directory} is a file, not a directory");
            return 2;
        }

        Directory.CreateDirectory(Path.Combine(directory, MembersFolder));
        var thumbprints = WriteCertificates(directory);
        WriteTokenSigningKey(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, SettingsFile), SecureSettingsJson(directory, thumbprints) + "\n");
        await output.WriteAsync(Summary(directory, thumbprints));
        return 0;
    }

    /// <summary>Writes the CA, server and member certificates; returns each member's SHA-256 thumbprint.</summary>
    private static Dictionary<string, string> WriteCertificates(string directory)
    {
        using var authority = DevelopmentCertificateAuthority.Create();
        DevelopmentCertificates.WritePem(authority.Certificate, Path.Combine(directory, CaCertificateFile), Path.Combine(directory, CaKeyFile));
        using (var server = authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], CertificateValidity))
        {
            DevelopmentCertificates.WritePem(server, Path.Combine(directory, ServerCertificateFile), Path.Combine(directory, ServerKeyFile));
        }
        var thumbprints = new Dictionary<string, string>();
        foreach (var member in Members)
        {
            using var certificate = authority.IssueClientCertificate(member.Id, member.Organization, CertificateValidity);
            DevelopmentCertificates.WritePem(certificate, MemberCertificatePath(directory, member.Id), MemberKeyPath(directory, member.Id));
            thumbprints[member.Id] = DevelopmentCertificates.Sha256Thumbprint(certificate);
        }
        return thumbprints;
    }

    private static void WriteTokenSigningKey(string directory)
    {
        using var issuer = DevelopmentTokenIssuer.Create(Issuer);
        issuer.SaveSigningKey(Path.Combine(directory, TokenSigningKeyFile));
        File.WriteAllText(Path.Combine(directory, JwksFile), issuer.JwksJson() + "\n");
    }

    /// <summary>
    /// The HTTPS address, Kestrel's default certificate and Netralitas:Security, with absolute paths.
    /// Urls (not a Kestrel endpoint) so that --urls still picks another port.
    /// </summary>
    internal static string SecureSettingsJson(string directory, IReadOnlyDictionary<string, string> thumbprints)
    {
        var members = new JsonArray();
        foreach (var member in Members)
        {
            var entry = new JsonObject
            {
                ["Id"] = member.Id,
                ["Thumbprint"] = thumbprints[member.Id],
                ["Roles"] = new JsonArray(CallerRoles.NameOf(member.Role)),
            };
            if (member.Instansi.Count > 0)
            {
                entry["Instansi"] = new JsonArray(member.Instansi.Select(code => (JsonNode?)code).ToArray());
            }
            if (member.Province is { } province)
            {
                entry["Province"] = province;
            }
            members.Add(entry);
        }
        var settings = new JsonObject
        {
            ["Urls"] = GatewayUrl,
            ["Kestrel"] = new JsonObject
            {
                // TLS negotiates the HTTP version (ALPN): gRPC and REST over HTTP/2, REST over HTTP/1.1 too.
                ["EndpointDefaults"] = new JsonObject { ["Protocols"] = "Http1AndHttp2" },
                ["Certificates"] = new JsonObject
                {
                    ["Default"] = new JsonObject
                    {
                        ["Path"] = Path.Combine(directory, ServerCertificateFile),
                        ["KeyPath"] = Path.Combine(directory, ServerKeyFile),
                    },
                },
            },
            ["Netralitas"] = new JsonObject
            {
                ["Security"] = new JsonObject
                {
                    ["DevelopmentMode"] = false,
                    ["MutualTls"] = new JsonObject
                    {
                        ["ClientCaPath"] = Path.Combine(directory, CaCertificateFile),
                        ["Members"] = members,
                    },
                    ["Bearer"] = new JsonObject
                    {
                        ["Issuer"] = Issuer,
                        ["Audience"] = Audience,
                        ["SigningKeysPath"] = Path.Combine(directory, JwksFile),
                    },
                },
            },
        };
        return settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Summary(string directory, IReadOnlyDictionary<string, string> thumbprints)
    {
        string At(string path) => CallerPaths.ShellQuoted(Path.Combine(directory, path));
        var example = Members.Single(m => m.Role == Role.Bkn);
        var call = $"{CallerPaths.ShellQuoted(new Uri(GatewayUrl).Authority)} netralitas.v1.CatalogService/ListProvinces";
        var text = new System.Text.StringBuilder();
        text.AppendLine($"Wrote development credentials to {directory}:");
        void Entry(string names, string what) => text.AppendLine($"  {names,-34} {what}");
        Entry($"{CaCertificateFile}, {CaKeyFile}", "the CA; the gateway accepts client certificates it issued");
        Entry($"{ServerCertificateFile}, {ServerKeyFile}", "the gateway's TLS certificate for localhost, 127.0.0.1 and ::1");
        Entry($"{MembersFolder}/ID.crt, {MembersFolder}/ID.key", "a client certificate per member system:");
        foreach (var member in Members)
        {
            var scope = member.Instansi.Count > 0 ? $"instansi {string.Join(",", member.Instansi)}" : member.Province is { } p ? $"province {p}" : "";
            text.AppendLine($"      {member.Id,-20} {CallerRoles.NameOf(member.Role),-11} {scope,-14} SHA-256 {thumbprints[member.Id]}");
        }
        Entry($"{TokenSigningKeyFile}, {JwksFile}", "the bearer-token signing key (RS256) and its public key set");
        Entry(SettingsFile, $"gateway settings: HTTPS on {GatewayUrl} (HTTP/2), these members, issuer {Issuer}");
        text.AppendLine();
        text.AppendLine("DEVELOPMENT ONLY: the private keys above are unencrypted files and the CA is made up; do not use");
        text.AppendLine("them, or trust this CA, anywhere but on this machine.");
        text.AppendLine();
        text.AppendLine("Next steps (from the repository root):");
        // --no-launch-profile: the Production environment (the launch profile would make it Development),
        // and no "Using launch settings" line in front of the token on stdout.
        text.AppendLine("  # start the gateway in secure mode (the Production environment), with the demo data");
        text.AppendLine($"  dotnet run --project src/Netralitas.DevHost --no-launch-profile -- --demo --settings {At(SettingsFile)}");
        text.AppendLine($"  # call it as a member system with its client certificate ({example.Id})");
        text.AppendLine($"  grpcurl -cacert {At(CaCertificateFile)} -cert {At($"{MembersFolder}/{example.Id}.crt")} -key {At($"{MembersFolder}/{example.Id}.key")} {call}");
        text.AppendLine("  # or with a bearer token (roles: " + string.Join(", ", CallerRoles.Names) + ")");
        text.AppendLine($"  TOKEN=$(dotnet run --project src/Netralitas.DevHost --no-launch-profile -- {DevelopmentTokenCommand.Verb} {CallerPaths.ShellQuoted(directory)} --caller {example.Id} --roles {CallerRoles.NameOf(example.Role)})");
        text.AppendLine($"  grpcurl -cacert {At(CaCertificateFile)} -H \"authorization: Bearer $TOKEN\" {call}");
        return text.ToString();
    }
}
