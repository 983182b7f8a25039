using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Netralitas.Adapters.Siasn;

/// <summary>The two tokens every SIASN call carries: the API gateway's and the SSO's.</summary>
public readonly record struct SiasnTokens(string Gateway, string Sso);

/// <summary>
/// Obtains and caches both tokens until shortly before they expire; one refresh at a time, so a
/// burst of calls at expiry asks the token endpoints once.
/// </summary>
public sealed class SiasnTokenProvider(
    IHttpClientFactory httpClients, IOptions<SiasnOptions> options, TimeProvider clock, ILogger<SiasnTokenProvider> logger)
{
    public const string HttpClientName = "siasn-token";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private CachedToken? _gateway;
    private CachedToken? _sso;

    private sealed record CachedToken(string Value, DateTimeOffset RenewAfter);

    public async ValueTask<SiasnTokens> GetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_gateway is { } g && _sso is { } s && now < g.RenewAfter && now < s.RenewAfter)
        {
            return new SiasnTokens(g.Value, s.Value);
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            now = clock.GetUtcNow();
            if (_gateway is null || now >= _gateway.RenewAfter)
            {
                _gateway = await RequestAsync("gateway", options.Value.GatewayTokenUrl!, GatewayTokenRequest(), cancellationToken);
            }
            if (_sso is null || now >= _sso.RenewAfter)
            {
                _sso = await RequestAsync("SSO", options.Value.SsoTokenUrl!, SsoTokenRequest(), cancellationToken);
            }
            return new SiasnTokens(_gateway.Value, _sso.Value);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// SIASN refused these tokens (401): forget them, unless another call has already replaced them.
    /// Both go, because a 401 does not say which one SIASN refused.
    /// </summary>
    public void Invalidate(SiasnTokens refused)
    {
        var gateway = _gateway;
        if (gateway?.Value == refused.Gateway)
        {
            Interlocked.CompareExchange(ref _gateway, null, gateway);
        }
        var sso = _sso;
        if (sso?.Value == refused.Sso)
        {
            Interlocked.CompareExchange(ref _sso, null, sso);
        }
    }

    private HttpRequestMessage GatewayTokenRequest()
    {
        var o = options.Value;
        var request = new HttpRequestMessage(HttpMethod.Post, o.GatewayTokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.ConsumerKey}:{o.ConsumerSecret}")));
        return request;
    }

    private HttpRequestMessage SsoTokenRequest()
    {
        var o = options.Value;
        return new HttpRequestMessage(HttpMethod.Post, o.SsoTokenUrl)
        {
            Content = new FormUrlEncodedContent([
                new("grant_type", "password"),
                new("client_id", o.SsoClientId),
                new("username", o.SsoUsername),
                new("password", o.SsoPassword),
            ]),
        };
    }

    private async Task<CachedToken> RequestAsync(string which, Uri endpoint, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        SiasnTokenResponse? token;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var code = (int)response.StatusCode;
                throw new SiasnException(
                    code >= 500 || code == 429 ? SiasnFailure.Unavailable : SiasnFailure.Rejected,
                    $"SIASN {which} token endpoint {endpoint} answered {code}: {Shorten(body)}", code);
            }
            token = await response.Content.ReadFromJsonAsync<SiasnTokenResponse>(cancellationToken);
        }
        catch (Exception e) when (SiasnFailures.Translate(e, cancellationToken) is { } translated)
        {
            throw translated;
        }
        if (token?.AccessToken is not { Length: > 0 } value || token.ExpiresIn <= 0)
        {
            throw new SiasnException(SiasnFailure.Rejected, $"SIASN {which} token endpoint {endpoint} answered without a token and its lifetime");
        }
        var lifetime = TimeSpan.FromSeconds(token.ExpiresIn);
        var margin = TimeSpan.FromTicks(Math.Min(options.Value.TokenRefreshMargin.Ticks, lifetime.Ticks / 2));
        logger.LogInformation("Obtained a SIASN {Which} token valid for {Lifetime}", which, lifetime);
        return new CachedToken(value, clock.GetUtcNow() + lifetime - margin);
    }

    internal static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
