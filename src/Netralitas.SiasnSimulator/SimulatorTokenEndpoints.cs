using Netralitas.Adapters.Siasn;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Netralitas.Simulator;

/// <summary>The two token endpoints: the API gateway's (WSO2, client credentials) and the SSO's (Keycloak, password grant).</summary>
internal static class SimulatorTokenEndpoints
{
    public const string GatewayTokenPath = "/oauth2/token";
    public const string SsoTokenPath = "/auth/realms/public-siasn/protocol/openid-connect/token";

    public static void Map(IEndpointRouteBuilder endpoints, SiasnSimulatorState state)
    {
        var options = state.Options;

        endpoints.MapPost(GatewayTokenPath, async (HttpRequest request) =>
        {
            if (SimulatorAnswers.Outage(state, request.HttpContext) is { } outage)
            {
                return outage;
            }
            if (BasicCredentials(request) != (options.ConsumerKey, options.ConsumerSecret))
            {
                return SimulatorAnswers.Json(new { error = "invalid_client" }, StatusCodes.Status401Unauthorized);
            }
            var form = await ReadForm(request);
            if (form["grant_type"] != "client_credentials")
            {
                return UnsupportedGrant();
            }
            var token = state.Tokens.Issue(TokenKind.Gateway, options.TokenLifetime);
            return SimulatorAnswers.Json(new { access_token = token, scope = "default", token_type = "Bearer", expires_in = ExpiresIn(options) });
        });

        endpoints.MapPost(SsoTokenPath, async (HttpRequest request) =>
        {
            if (SimulatorAnswers.Outage(state, request.HttpContext) is { } outage)
            {
                return outage;
            }
            var form = await ReadForm(request);
            if (form["grant_type"] != "password")
            {
                return UnsupportedGrant();
            }
            if (form["client_id"] != options.SsoClientId || form["username"] != options.SsoUsername || form["password"] != options.SsoPassword)
            {
                return SimulatorAnswers.Json(new { error = "invalid_grant", error_description = "Invalid user credentials" }, StatusCodes.Status401Unauthorized);
            }
            var token = state.Tokens.Issue(TokenKind.Sso, options.TokenLifetime);
            return SimulatorAnswers.Json(new { access_token = token, token_type = "Bearer", expires_in = ExpiresIn(options) });
        });
    }

    private static int ExpiresIn(SiasnSimulatorOptions options) => (int)options.TokenLifetime.TotalSeconds;

    private static IResult UnsupportedGrant() =>
        SimulatorAnswers.Json(new { error = "unsupported_grant_type" }, StatusCodes.Status400BadRequest);

    private static async Task<IFormCollection> ReadForm(HttpRequest request) =>
        request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : FormCollection.Empty;

    /// <summary>The user and password of an <c>Authorization: Basic</c> header, or nulls.</summary>
    private static (string?, string?) BasicCredentials(HttpRequest request)
    {
        const string Scheme = "Basic ";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[Scheme.Length..].Trim()));
            var colon = pair.IndexOf(':');
            return colon < 0 ? (null, null) : (pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }
}
