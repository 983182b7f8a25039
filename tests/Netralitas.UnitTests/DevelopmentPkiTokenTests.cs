using Netralitas.DevHost;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Netralitas.Gateway.Security;

namespace Netralitas.UnitTests;

public sealed class DevelopmentPkiTokenTests : IDisposable
{
    private const string Issuer = "https://dev-idp.netralitas.invalid/realms/asn";

    private readonly DevelopmentTokenIssuer _issuer = DevelopmentTokenIssuer.Create(Issuer);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("netralitas-tokens-");

    public void Dispose()
    {
        _issuer.Dispose();
        _folder.Delete(recursive: true);
    }

    private static TokenClaims Ppk => new() { Caller = "ppk-3303", Roles = ["ppk"], Instansi = ["3303", "3304"], Province = "33" };

    [Fact]
    public async Task A_token_validates_against_the_published_key_set_issuer_and_audience()
    {
        var jwksPath = Path.Combine(_folder.FullName, "jwks.json");
        await File.WriteAllTextAsync(jwksPath, _issuer.JwksJson());

        var result = await ValidateAsync(_issuer.Issue(Ppk), await File.ReadAllTextAsync(jwksPath));

        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal(_issuer.KeyId, token.Kid);
        Assert.Equal("RS256", token.Alg);
        Assert.Equal("ppk-3303", token.GetPayloadValue<string>("azp"));
        Assert.Equal("service-account-ppk-3303", token.Subject);
        Assert.Equal(["netralitas"], token.Audiences);
    }

    [Fact]
    public void Roles_are_nested_under_realm_access_and_instansi_is_an_array_as_Keycloak_writes_them()
    {
        var payload = Payload(_issuer.Issue(Ppk));

        Assert.Equal(["ppk"], payload.GetProperty("realm_access").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["3303", "3304"], payload.GetProperty("instansi").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("33", payload.GetProperty("province").GetString());
        var issuedAt = payload.GetProperty("iat").GetInt64();
        Assert.Equal(issuedAt, payload.GetProperty("nbf").GetInt64());
        Assert.Equal(issuedAt + 3600, payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void A_token_without_instansi_or_province_still_has_an_instansi_array_and_no_province()
    {
        var payload = Payload(_issuer.Issue(new TokenClaims { Caller = "bkn-siasn", Roles = ["bkn"] }));

        Assert.Equal(JsonValueKind.Array, payload.GetProperty("instansi").ValueKind);
        Assert.Equal(0, payload.GetProperty("instansi").GetArrayLength());
        Assert.False(payload.TryGetProperty("province", out _));
    }

    [Fact]
    public async Task An_expired_token_does_not_validate()
    {
        var token = _issuer.Issue(Ppk with { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), Lifetime = TimeSpan.FromHours(1) });

        var result = await ValidateAsync(token, _issuer.JwksJson());

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(result.Exception);
    }

    [Fact]
    public async Task A_token_not_valid_yet_does_not_validate()
    {
        var token = _issuer.Issue(Ppk with { NotBefore = DateTimeOffset.UtcNow.AddHours(1) });

        var result = await ValidateAsync(token, _issuer.JwksJson());

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenNotYetValidException>(result.Exception);
    }

    [Fact]
    public async Task A_token_from_another_issuer_does_not_validate()
    {
        var token = _issuer.Issue(Ppk with { Issuer = "https://elsewhere.invalid/realms/asn" });

        var result = await ValidateAsync(token, _issuer.JwksJson());

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidIssuerException>(result.Exception);
    }

    [Fact]
    public async Task A_token_for_another_audience_does_not_validate()
    {
        var result = await ValidateAsync(_issuer.Issue(Ppk with { Audience = "another-service" }), _issuer.JwksJson());

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidAudienceException>(result.Exception);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_does_not_validate_even_under_the_same_kid()
    {
        using var impostor = DevelopmentTokenIssuer.Create(Issuer, keyId: _issuer.KeyId);
        using var stranger = DevelopmentTokenIssuer.Create(Issuer);

        var sameKid = await ValidateAsync(impostor.Issue(Ppk), _issuer.JwksJson());
        var otherKid = await ValidateAsync(stranger.Issue(Ppk), _issuer.JwksJson());

        Assert.False(sameKid.IsValid);
        Assert.IsType<SecurityTokenInvalidSignatureException>(sameKid.Exception);
        Assert.False(otherKid.IsValid);
        Assert.IsAssignableFrom<SecurityTokenInvalidSignatureException>(otherKid.Exception);
    }

    [Fact]
    public async Task A_saved_signing_key_loads_back_with_the_same_kid_and_its_tokens_validate_against_the_original_key_set()
    {
        var keyPath = Path.Combine(_folder.FullName, "token-signing.key");
        _issuer.SaveSigningKey(keyPath);

        using var loaded = DevelopmentTokenIssuer.Load(keyPath, Issuer);
        var result = await ValidateAsync(loaded.Issue(Ppk), _issuer.JwksJson());

        Assert.Equal(_issuer.KeyId, loaded.KeyId);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(keyPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }
    }

    [Fact]
    public void The_key_set_holds_only_the_public_key_marked_for_signatures()
    {
        var key = Assert.Single(new JsonWebKeySet(_issuer.JwksJson()).Keys);

        Assert.Equal(("RSA", "sig", "RS256", _issuer.KeyId), (key.Kty, key.Use, key.Alg, key.Kid));
        Assert.False(key.HasPrivateKey);
        Assert.Null(key.D);
    }

    [Fact]
    public void Loading_a_file_that_holds_no_RSA_private_key_fails_with_the_file_name()
    {
        var path = Path.Combine(_folder.FullName, "jwks.json");
        File.WriteAllText(path, _issuer.JwksJson());

        var error = Assert.Throws<InvalidDataException>(() => DevelopmentTokenIssuer.Load(path, Issuer));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_token_needs_a_caller_and_a_positive_lifetime()
    {
        Assert.Throws<ArgumentException>(() => _issuer.Issue(Ppk with { Caller = " " }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _issuer.Issue(Ppk with { Lifetime = TimeSpan.Zero }));
    }

    private static async Task<TokenValidationResult> ValidateAsync(string token, string jwksJson) =>
        await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = "netralitas",
            IssuerSigningKeys = new JsonWebKeySet(jwksJson).GetSigningKeys(),
            ClockSkew = TimeSpan.FromSeconds(30),
        });

    private static JsonElement Payload(string token)
    {
        var payload = token.Split('.')[1];
        return JsonDocument.Parse(Base64UrlEncoder.Decode(payload)).RootElement;
    }
}
