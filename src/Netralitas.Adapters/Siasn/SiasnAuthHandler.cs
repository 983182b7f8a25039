using System.Net;
using System.Net.Http.Headers;

namespace Netralitas.Adapters.Siasn;

/// <summary>
/// Puts both tokens on every SIASN call (<c>Authorization: Bearer</c> and <c>Auth: bearer</c>);
/// on a 401, renews them and sends the call once more. It sits inside the resilience handler, so
/// every retry carries valid tokens too.
/// </summary>
public sealed class SiasnAuthHandler(SiasnTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var used = await tokens.GetAsync(cancellationToken);
        var response = await SendWithAsync(request, used, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        response.Dispose();
        tokens.Invalidate(used);
        return await SendWithAsync(request, await tokens.GetAsync(cancellationToken), cancellationToken);
    }

    private Task<HttpResponseMessage> SendWithAsync(HttpRequestMessage request, SiasnTokens with, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", with.Gateway);
        request.Headers.Remove("Auth");
        request.Headers.TryAddWithoutValidation("Auth", $"bearer {with.Sso}");
        return base.SendAsync(request, cancellationToken);
    }
}
