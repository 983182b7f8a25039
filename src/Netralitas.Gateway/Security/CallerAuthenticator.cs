using System.Net;

namespace Netralitas.Gateway.Security;

/// <summary>
/// Who is calling: a bearer token when the call carries one, otherwise a client certificate,
/// otherwise — in development mode, from loopback only — the all-roles developer.
/// </summary>
public sealed partial class CallerAuthenticator(
    SecurityOptions options, ClientCertificateMembers? members, BearerTokens? tokens, ILogger<CallerAuthenticator> logger)
{
    public const string DeveloperId = "developer";

    private static readonly Caller Developer = new(
        DeveloperId, CallerProof.Development, Enum.GetValues<Role>().ToHashSet(), new HashSet<string>(), null);

    /// <summary>The caller, or the reason to answer UNAUTHENTICATED (safe to show the client).</summary>
    public async ValueTask<(Caller? Caller, string? Refusal)> AuthenticateAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            return await FromTokenAsync(http, authorization, cancellationToken);
        }
        if (http.Connection.ClientCertificate is { } certificate)
        {
            if (members is null)
            {
                return (null, "This gateway does not accept client certificates; send a bearer token.");
            }
            var (caller, refusal) = members.Identify(certificate);
            if (caller is null)
            {
                LogCertificateRefused(http.Connection.RemoteIpAddress, refusal!);
                return (null, "The client certificate was not accepted.");
            }
            return (caller, null);
        }
        if (options.DevelopmentMode && http.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer))
        {
            return (Developer, null);
        }
        return (null, "This call needs credentials: a client certificate issued by the gateway's CA, or a bearer token.");
    }

    private async ValueTask<(Caller?, string?)> FromTokenAsync(HttpContext http, string authorization, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == scheme.Length)
        {
            return (null, "The authorization header must be 'Bearer <token>'.");
        }
        if (tokens is null)
        {
            return (null, "This gateway does not accept bearer tokens; present a client certificate.");
        }
        if (!http.Request.IsHttps)
        {
            return (null, "A bearer token is accepted over TLS only.");
        }
        var (caller, refusal) = await tokens.IdentifyAsync(authorization[scheme.Length..].Trim(), cancellationToken);
        if (caller is null)
        {
            LogTokenRefused(http.Connection.RemoteIpAddress, refusal!);
            return (null, $"The bearer token was not accepted: {refusal}.");
        }
        return (caller, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client certificate from {Peer} refused: {Reason}")]
    private partial void LogCertificateRefused(IPAddress? peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bearer token from {Peer} refused: {Reason}")]
    private partial void LogTokenRefused(IPAddress? peer, string reason);
}
