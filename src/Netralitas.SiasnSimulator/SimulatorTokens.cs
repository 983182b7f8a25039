using Netralitas.Adapters.Siasn;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Netralitas.Simulator;

internal enum TokenKind
{
    /// <summary>The API gateway's token, sent as <c>Authorization: Bearer …</c>.</summary>
    Gateway,
    /// <summary>The SSO's token, sent as <c>Auth: bearer …</c>.</summary>
    Sso,
}

/// <summary>The tokens the simulator has issued; a token is good until it expires or all are revoked.</summary>
internal sealed class SimulatorTokens(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (TokenKind Kind, DateTimeOffset ExpiresAt)> _issued = new(StringComparer.Ordinal);
    private int _gatewayIssued;
    private int _ssoIssued;

    public int GatewayIssued => Volatile.Read(ref _gatewayIssued);
    public int SsoIssued => Volatile.Read(ref _ssoIssued);

    public string Issue(TokenKind kind, TimeSpan lifetime)
    {
        var token = RandomNumberGenerator.GetHexString(40, lowercase: true);
        _issued[token] = (kind, clock.GetUtcNow() + lifetime);
        Interlocked.Increment(ref kind == TokenKind.Gateway ? ref _gatewayIssued : ref _ssoIssued);
        return token;
    }

    /// <summary>Both headers carry a bearer token of the right kind that is still good.</summary>
    public bool Authorize(IHeaderDictionary headers) =>
        IsValid(BearerToken(headers.Authorization), TokenKind.Gateway) && IsValid(BearerToken(headers["Auth"]), TokenKind.Sso);

    public void RevokeAll() => _issued.Clear();

    private bool IsValid(string? token, TokenKind kind) =>
        token is not null && _issued.TryGetValue(token, out var issued) && issued.Kind == kind && clock.GetUtcNow() < issued.ExpiresAt;

    private static string? BearerToken(string? header)
    {
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? header[Scheme.Length..].Trim()
            : null;
    }
}
