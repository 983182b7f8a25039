using Netralitas.DevHost;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Netralitas.Gateway.Security;
using Netralitas.Gateway.Tools;

namespace Netralitas.UnitTests;

public sealed class DevelopmentPkiCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("netralitas-dev-credentials-");

    private string Credentials => Path.Combine(_folder.FullName, "dev");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Dev_credentials_writes_the_CA_the_server_every_member_the_signing_key_and_the_settings()
    {
        var (exit, output, error) = await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials);

        Assert.True(exit == 0, error);
        string[] expected =
        [
            "ca.crt", "ca.key", "server.crt", "server.key", "token-signing.key", "jwks.json", "secure.settings.json",
            .. DevelopmentCredentials.Members.SelectMany(m => new[] { $"members/{m.Id}.crt", $"members/{m.Id}.key" }),
        ];
        Assert.Equal(expected.Order(), Directory.EnumerateFiles(Credentials, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Credentials, f).Replace('\\', '/')).Order());
        Assert.Equal(
            ["auditor-inspektorat", "bawaslu-ri", "bkn-siasn", "kasn", "pemprov-33", "ppk-3303", "ppk-3374"],
            DevelopmentCredentials.Members.Select(m => m.Id).Order());
        Assert.Contains("DEVELOPMENT ONLY", output);
        Assert.Contains($"--settings {Path.Combine(Credentials, "secure.settings.json")}", output);
        if (!OperatingSystem.IsWindows())
        {
            foreach (var key in Directory.EnumerateFiles(Credentials, "*.key", SearchOption.AllDirectories))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            }
        }
    }

    [Fact]
    public async Task The_settings_bind_to_the_security_options_with_the_member_certificates_thumbprints_and_scopes()
    {
        await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials);
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(Credentials, "secure.settings.json")).Build();

        var security = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>()!;

        Assert.False(security.DevelopmentMode);
        Assert.Equal(Path.Combine(Credentials, "ca.crt"), security.MutualTls.ClientCaPath);
        Assert.Equal(DevelopmentCredentials.Members.Select(m => m.Id), security.MutualTls.Members.Select(m => m.Id));
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(security.MutualTls.ClientCaPath!));
        foreach (var member in security.MutualTls.Members)
        {
            using var certificate = X509Certificate2.CreateFromPemFile(
                DevelopmentCredentials.MemberCertificatePath(Credentials, member.Id), DevelopmentCredentials.MemberKeyPath(Credentials, member.Id));
            Assert.Equal(DevelopmentCertificates.Sha256Thumbprint(certificate), member.Thumbprint);
            var organization = DevelopmentCredentials.Members.Single(m => m.Id == member.Id).Organization;
            Assert.Equal($"CN={member.Id}, O={organization}", certificate.Subject);
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(ca.Subject, certificate.Issuer);
        }
        var ppk = security.MutualTls.Members.Single(m => m.Id == "ppk-3374");
        Assert.Equal(["3374"], ppk.Instansi);
        Assert.Null(ppk.Province);
        var provincial = security.MutualTls.Members.Single(m => m.Id == "pemprov-33");
        Assert.Empty(provincial.Instansi);
        Assert.Equal("33", provincial.Province);
        Assert.Equal(["bawaslu", "authority", "ppk", "ppk", "bkn", "provincial", "auditor"], security.MutualTls.Members.Select(m => m.Roles.Single()));
        Assert.Equal(("https://dev-idp.netralitas.invalid/realms/asn", "netralitas", Path.Combine(Credentials, "jwks.json")),
            (security.Bearer.Issuer, security.Bearer.Audience, security.Bearer.SigningKeysPath));
        Assert.Equal("https://127.0.0.1:5443", configuration["Urls"]);
        Assert.True(File.Exists(configuration["Kestrel:Certificates:Default:Path"]));
        Assert.True(File.Exists(configuration["Kestrel:Certificates:Default:KeyPath"]));
    }

    [Fact]
    public async Task A_second_run_into_the_same_directory_refuses_without_force_and_replaces_the_credentials_with_it()
    {
        await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials);
        var firstCa = await File.ReadAllTextAsync(Path.Combine(Credentials, "ca.crt"));

        var refused = await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--force", refused.Error);
        Assert.Contains(Credentials, refused.Error);
        Assert.Equal(firstCa, await File.ReadAllTextAsync(Path.Combine(Credentials, "ca.crt")));

        var forced = await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials, "--force");
        Assert.Equal(0, forced.Exit);
        Assert.NotEqual(firstCa, await File.ReadAllTextAsync(Path.Combine(Credentials, "ca.crt")));
    }

    [Fact]
    public async Task Dev_credentials_into_an_existing_empty_directory_writes_there()
    {
        Directory.CreateDirectory(Credentials);

        var (exit, _, error) = await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials);

        Assert.True(exit == 0, error);
        Assert.True(File.Exists(Path.Combine(Credentials, "secure.settings.json")));
    }

    [Theory]
    [InlineData()]
    [InlineData("a", "b")]
    [InlineData("dev", "--overwrite")]
    public async Task Dev_credentials_with_wrong_arguments_prints_its_usage_and_fails(params string[] args)
    {
        var (exit, output, error) = await RunAsync(DevelopmentCredentialsCommand.RunAsync, args);

        Assert.Equal(2, exit);
        Assert.Contains("usage: dev-credentials", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Dev_token_prints_one_token_that_validates_against_the_directory_s_key_set()
    {
        await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials);

        var (exit, output, error) = await RunAsync(DevelopmentTokenCommand.RunAsync,
            Credentials, "--caller", "ppk-3303", "--roles", "ppk", "--instansi", "3303, 3304", "--lifetime", "30m");

        Assert.True(exit == 0, error);
        var token = output.TrimEnd('\n');
        Assert.DoesNotContain('\n', token);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = DevelopmentCredentials.Issuer,
            ValidAudience = "netralitas",
            IssuerSigningKeys = new JsonWebKeySet(await File.ReadAllTextAsync(Path.Combine(Credentials, "jwks.json"))).GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("ppk-3303", jwt.GetPayloadValue<string>("azp"));
        Assert.Equal(["3303", "3304"], jwt.GetPayloadValue<string[]>("instansi"));
        Assert.Equal(TimeSpan.FromMinutes(30), jwt.ValidTo - jwt.ValidFrom);
    }

    [Fact]
    public async Task Dev_token_with_an_unknown_role_fails_naming_the_roles_there_are()
    {
        await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials);

        var (exit, output, error) = await RunAsync(DevelopmentTokenCommand.RunAsync, Credentials, "--caller", "x", "--roles", "bkn,admin");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("unknown role 'admin'", error);
        Assert.Contains("bawaslu, authority, ppk, bkn, provincial, auditor", error);
    }

    [Theory]
    [InlineData("--roles", "bkn")]
    [InlineData("--caller", "x")]
    [InlineData("--caller", "x", "--roles", "ppk")]
    [InlineData("--caller", "x", "--roles", "provincial")]
    [InlineData("--caller", "x", "--roles", "provincial", "--province", "3")]
    [InlineData("--caller", "x", "--roles", "bkn", "--lifetime", "forever")]
    [InlineData("--caller", "x", "--roles", "bkn", "--lifetime", "0h")]
    [InlineData("--caller", "x", "--roles", "bkn", "--audience", "y")]
    [InlineData("--caller", "x", "--roles")]
    [InlineData("--caller", "x", "--roles", ",")]
    public async Task Dev_token_with_wrong_arguments_fails_with_its_usage(params string[] options)
    {
        await RunAsync(DevelopmentCredentialsCommand.RunAsync, Credentials);

        var (exit, output, error) = await RunAsync(DevelopmentTokenCommand.RunAsync, [Credentials, .. options]);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("usage: dev-token", error);
    }

    [Fact]
    public async Task Dev_token_without_credentials_says_to_write_them_first()
    {
        var (exit, _, error) = await RunAsync(DevelopmentTokenCommand.RunAsync, Credentials, "--caller", "x", "--roles", "bkn");

        Assert.Equal(2, exit);
        Assert.Contains($"dev-credentials {Credentials}", error);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    public void Lifetimes_are_a_number_and_a_unit(string text, int seconds)
    {
        Assert.True(DevelopmentTokenCommand.TryParseLifetime(text, out var lifetime));
        Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("h")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("1H")]
    [InlineData("3651d")]
    [InlineData("999999999d")]
    public void Other_lifetimes_are_refused(string text)
    {
        Assert.False(DevelopmentTokenCommand.TryParseLifetime(text, out _));
    }

    [Fact]
    public void Relative_paths_are_taken_from_the_shell_s_directory_when_it_exists_and_the_process_s_otherwise()
    {
        var shell = _folder.FullName;
        var process = Path.GetTempPath();

        Assert.Equal(Path.Combine(shell, "dev"), CallerPaths.Resolve("dev", shell, process));
        Assert.Equal(Path.Combine(process, "dev"), CallerPaths.Resolve("dev", null, process));
        Assert.Equal(Path.Combine(process, "dev"), CallerPaths.Resolve("dev", Path.Combine(shell, "gone"), process));
        Assert.Equal(Path.Combine(process, "dev"), CallerPaths.Resolve("dev", "relative", process));
        Assert.Equal(Path.Combine(shell, "abs"), CallerPaths.Resolve(Path.Combine(shell, "abs"), process, process));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(
        Func<string[], TextWriter, TextWriter, Task<int>> command, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await command(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
