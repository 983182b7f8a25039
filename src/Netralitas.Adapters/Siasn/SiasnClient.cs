using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Netralitas.Adapters.Siasn;

/// <summary>What SIASN said to a write it accepted.</summary>
public sealed record SiasnWriteResult(string Message, string? MapDataJson);

/// <summary>
/// The calls the gateway makes to SIASN (reference/siasn-apimws-swagger.json), each unwrapping SIASN's
/// envelope: a read's <c>code</c> other than 200, or a write's <c>success: false</c>, is a
/// <see cref="SiasnException"/> carrying SIASN's message. Authentication and resilience are handlers
/// of the HttpClient (see <see cref="SiasnRegistration"/>); reads are retried there, writes never.
/// </summary>
public sealed class SiasnClient(HttpClient http, IOptions<SiasnOptions> options, SiasnMetrics metrics)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The personnel record, or null when SIASN has none for the NIP.</summary>
    public async Task<SiasnDataUtama?> GetDataUtamaAsync(string nip, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync<SiasnDataUtama>("data-utama", $"pns/data-utama/{nip}", cancellationToken);
        }
        catch (SiasnException e) when (e.Failure == SiasnFailure.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<SiasnRwJabatan>> GetPositionHistoryAsync(string nip, CancellationToken cancellationToken) =>
        await ReadAsync<List<SiasnRwJabatan>>("rw-jabatan", $"pns/rw-jabatan/{nip}", cancellationToken) ?? [];

    public async Task<IReadOnlyList<SiasnRwHukdis>> GetDisciplineHistoryAsync(string nip, CancellationToken cancellationToken) =>
        await ReadAsync<List<SiasnRwHukdis>>("rw-hukdis", $"pns/rw-hukdis/{nip}", cancellationToken) ?? [];

    public async Task<IReadOnlyList<SiasnRwCltn>> GetUnpaidLeaveHistoryAsync(string nip, CancellationToken cancellationToken) =>
        await ReadAsync<List<SiasnRwCltn>>("rw-cltn", $"pns/rw-cltn/{nip}", cancellationToken) ?? [];

    public Task<SiasnWriteResult> SaveDisciplineAsync(SiasnHukdisCreate entry, string idempotencyKey, CancellationToken cancellationToken) =>
        WriteAsync("hukdis-save", "hukdis/save", JsonSerializer.SerializeToUtf8Bytes(entry), idempotencyKey, cancellationToken);

    public Task<SiasnWriteResult> BlockAsync(string nip, string reference, string reason, string idempotencyKey, CancellationToken cancellationToken) =>
        WriteAsync("block", options.Value.BlockPath, BlockBody(nip, reference, reason), idempotencyKey, cancellationToken);

    public Task<SiasnWriteResult> ReleaseAsync(string nip, string reference, string reason, string idempotencyKey, CancellationToken cancellationToken) =>
        WriteAsync("release", options.Value.ReleasePath, BlockBody(nip, reference, reason), idempotencyKey, cancellationToken);

    private byte[] BlockBody(string nip, string reference, string reason) => Encoding.UTF8.GetBytes(options.Value.BlockBodyTemplate
        .Replace("{nip}", JsonEncodedText.Encode(nip).Value)
        .Replace("{reference}", JsonEncodedText.Encode(reference).Value)
        .Replace("{reason}", JsonEncodedText.Encode(reason).Value));

    private Task<T?> ReadAsync<T>(string operation, string path, CancellationToken cancellationToken) =>
        metrics.MeasureAsync(operation, () => ReadAsync<T>(path, cancellationToken));

    private async Task<T?> ReadAsync<T>(string path, CancellationToken cancellationToken)
    {
        var envelope = await SendAsync<SiasnReadEnvelope<T>>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        if (envelope is null)
        {
            throw new SiasnException(SiasnFailure.Rejected, $"SIASN {path}: an empty answer");
        }
        if (envelope.Code != 200)
        {
            throw new SiasnException(SiasnFailures.FromStatus(envelope.Code), $"SIASN {path}: {envelope.Message ?? "code " + envelope.Code}", envelope.Code);
        }
        return envelope.Data;
    }

    private Task<SiasnWriteResult> WriteAsync(string operation, string path, byte[] body, string idempotencyKey, CancellationToken cancellationToken) =>
        metrics.MeasureAsync(operation, () => WriteAsync(path, body, idempotencyKey, cancellationToken));

    private async Task<SiasnWriteResult> WriteAsync(string path, byte[] body, string idempotencyKey, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        var envelope = await SendAsync<SiasnWriteEnvelope>(request, cancellationToken);
        if (envelope is not { Success: true })
        {
            throw new SiasnException(SiasnFailure.Rejected, $"SIASN {path}: {envelope?.Message ?? "an empty answer"}");
        }
        return new SiasnWriteResult(envelope.Message ?? "", envelope.MapData?.GetRawText());
    }

    private async Task<TEnvelope?> SendAsync<TEnvelope>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using (request)
            using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken))
            {
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadFromJsonAsync<TEnvelope>(cancellationToken);
                }
                throw new SiasnException(SiasnFailures.FromStatus(status),
                    $"SIASN {request.RequestUri}: {status} {await MessageOfAsync(response, cancellationToken)}", status,
                    retryAfter: response.Headers.RetryAfter?.Delta);
            }
        }
        catch (JsonException e)
        {
            throw new SiasnException(SiasnFailure.Rejected, $"SIASN {request.RequestUri}: an answer that is not its envelope ({e.Message})", inner: e);
        }
        catch (Exception e) when (SiasnFailures.Translate(e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>SIASN's message from either envelope, or the start of the body.</summary>
    private static async Task<string> MessageOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
        return SiasnTokenProvider.Shorten(body);
    }
}
