using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Netralitas.Gateway.Security;

/// <summary>
/// OAuth2 bearer tokens: a JWT whose signature, issuer, audience and lifetime check out names the
/// caller (<see cref="BearerOptions.CallerClaim"/>), its roles and its scope. A token that passed
/// is remembered until it expires, so that a client reusing it does not pay the signature check
/// on every call.
/// </summary>
public sealed class BearerTokens
{
    private const int MaxRemembered = 10_000;

    private readonly BearerOptions _options;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly IReadOnlyList<SecurityKey>? _fileKeys;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly ConcurrentDictionary<string, (Caller Caller, DateTime Expires)> _remembered = new(StringComparer.Ordinal);

    private BearerTokens(BearerOptions options, TimeProvider clock, IReadOnlyList<SecurityKey>? fileKeys,
        ConfigurationManager<OpenIdConnectConfiguration>? metadata)
    {
        _options = options;
        _clock = clock;
        _fileKeys = fileKeys;
        _metadata = metadata;
    }

    /// <summary>Null when bearer tokens are not configured (no Issuer).</summary>
    public static BearerTokens? Load(BearerOptions options, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            return null;
        }
        const string at = SecurityOptions.Section + ":Bearer";
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            throw new InvalidOperationException($"{at}:Audience is required with an Issuer.");
        }
        var hasFile = !string.IsNullOrWhiteSpace(options.SigningKeysPath);
        var hasMetadata = !string.IsNullOrWhiteSpace(options.MetadataAddress);
        if (hasFile == hasMetadata)
        {
            throw new InvalidOperationException($"{at}: set exactly one of SigningKeysPath (a JWKS file) and MetadataAddress (OpenID Connect discovery).");
        }
        if (hasMetadata)
        {
            var metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
                options.MetadataAddress, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
            return new BearerTokens(options, clock, null, metadata);
        }
        JsonWebKeySet keys;
        try
        {
            keys = new JsonWebKeySet(File.ReadAllText(options.SigningKeysPath!));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"{at}:SigningKeysPath: cannot read a JWKS from {options.SigningKeysPath}: {e.Message}", e);
        }
        var signingKeys = keys.GetSigningKeys();
        if (signingKeys.Count == 0)
        {
            throw new InvalidOperationException($"{at}:SigningKeysPath: {options.SigningKeysPath} holds no signing key.");
        }
        return new BearerTokens(options, clock, signingKeys.ToArray(), null);
    }

    /// <summary>The caller the token names, or why it is refused (short enough to tell the client).</summary>
    public async Task<(Caller? Caller, string? Refusal)> IdentifyAsync(string token, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        if (_remembered.TryGetValue(token, out var known))
        {
            if (known.Expires > now)
            {
                return (known.Caller, null);
            }
            _remembered.TryRemove(token, out _);
        }

        var result = await ValidateAsync(token, cancellationToken);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && _metadata is not null)
        {
            _metadata.RequestRefresh(); // the provider may have rotated its keys since they were read
            result = await ValidateAsync(token, cancellationToken);
        }
        if (!result.IsValid)
        {
            return (null, Describe(result.Exception));
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        var id = Text(payload.RootElement, _options.CallerClaim) ?? Text(payload.RootElement, "sub");
        if (string.IsNullOrWhiteSpace(id))
        {
            return (null, $"the token names no caller ({_options.CallerClaim} or sub)");
        }
        var caller = CallerRoles.Create(id, CallerProof.BearerToken,
            Strings(payload.RootElement, _options.RolesClaim), Strings(payload.RootElement, _options.InstansiClaim),
            Text(payload.RootElement, _options.ProvinceClaim));
        if (_remembered.Count >= MaxRemembered)
        {
            _remembered.Clear();
        }
        _remembered[token] = (caller, jwt.ValidTo);
        return (caller, null);
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var keys = _fileKeys;
        if (_metadata is not null)
        {
            var configuration = await _metadata.GetConfigurationAsync(cancellationToken);
            keys = configuration.SigningKeys.ToArray();
        }
        return await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            // Public keys only: a key set (file or discovery) yields its RSA and EC keys, never a shared
            // secret, so an HS256 token finds no key, and an unsigned one is refused by RequireSignedTokens.
            IssuerSigningKeys = keys,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            TypeValidator = AccessTokenType,
            ClockSkew = _options.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, parameters) => WithinLifetime(notBefore, expires, parameters.ClockSkew),
        });
    }

    /// <summary>The <c>typ</c> headers of access tokens (RFC 9068's, the generic one), without the optional <c>application/</c> (RFC 7515 §4.1.9).</summary>
    private static readonly string[] AccessTokenHeaderTypes = ["JWT", "at+jwt"];

    /// <summary>
    /// An access token, not another JWT from the same provider that happens to name this audience:
    /// the header's <c>typ</c> (RFC 8725 §3.11) is an access token's or absent, and a <c>typ</c> claim,
    /// which Keycloak writes (<c>Bearer</c>, <c>ID</c>, <c>Refresh</c>, <c>Logout</c>), says Bearer.
    /// </summary>
    private static string AccessTokenType(string? type, SecurityToken token, TokenValidationParameters parameters)
    {
        var mediaType = type is not null && type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? type["application/".Length..] : type;
        if (!string.IsNullOrEmpty(mediaType) && !AccessTokenHeaderTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            throw new SecurityTokenInvalidTypeException($"typ {type}") { InvalidType = type };
        }
        if (token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("typ", out var claimed)
            && !string.Equals(claimed, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new SecurityTokenInvalidTypeException($"typ claim {claimed}") { InvalidType = claimed };
        }
        return type ?? "";
    }

    /// <summary>The lifetime check on the gateway's clock (tests move it), with the configured skew.</summary>
    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        if (expires is null || expires.Value.ToUniversalTime() + skew < now)
        {
            throw new SecurityTokenExpiredException("expired");
        }
        if (notBefore is { } start && start.ToUniversalTime() - skew > now)
        {
            throw new SecurityTokenNotYetValidException("not yet valid");
        }
        return true;
    }

    private static string Describe(Exception? error) => error switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidIssuerException => "the token's issuer is not the configured one",
        SecurityTokenInvalidAudienceException => "the token is not meant for this gateway (audience)",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token's signature does not verify",
        SecurityTokenNoExpirationException => "the token has no expiry",
        SecurityTokenInvalidTypeException => "the token is not an access token (typ)",
        _ => "the token is malformed or not accepted",
    };

    /// <summary>A claim by dotted path (realm_access.roles) in the token's payload.</summary>
    private static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }
        return current;
    }

    private static string? Text(JsonElement root, string path) =>
        Find(root, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>A JSON array of strings, or one string of space- or comma-separated values (as OAuth2 scope is).</summary>
    private static IEnumerable<string> Strings(JsonElement root, string path) => Find(root, path) switch
    {
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray()
            .Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray(),
        { ValueKind: JsonValueKind.String } text => text.GetString()!.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries),
        _ => [],
    };
}
