using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;

namespace Netralitas.IntegrationTests;

/// <summary>
/// REST/JSON calls to the gateway (JSON transcoding of the google.api.http rules) and their answers
/// read back as the proto messages they carry: proto3 JSON, parsed strictly (a field the message
/// does not have fails the test), errors as google.rpc.Status with their details.
/// </summary>
internal static class Rest
{
    private static readonly TypeRegistry ErrorDetails = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor);

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(ErrorDetails));

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(ErrorDetails));

    /// <summary>
    /// A client of a development gateway's cleartext port: h2c only (a cleartext port speaks one
    /// HTTP version, and the gateway's speaks HTTP/2, as gRPC needs).
    /// </summary>
    public static HttpClient Cleartext(GatewayHost host) => new(new SocketsHttpHandler())
    {
        BaseAddress = host.Address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>A request in the client's HTTP version (a request made by hand does not take it from the client).</summary>
    public static HttpRequestMessage Request(this HttpClient client, HttpMethod method, string path, HttpContent? body = null) =>
        new(method, path) { Version = client.DefaultRequestVersion, VersionPolicy = client.DefaultVersionPolicy, Content = body };

    /// <summary>The message as proto3 JSON (JSON names, enums by name, 64-bit integers as strings).</summary>
    public static string Json(IMessage message) => Formatter.Format(message);

    public static T Parse<T>(string json) where T : IMessage, new() => Parser.Parse<T>(json);

    /// <summary>A body of exactly these bytes and this Content-Type (no charset added).</summary>
    public static HttpContent Body(byte[] content, string contentType)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return body;
    }

    public static HttpContent Body(string content, string contentType = "application/json") => Body(Encoding.UTF8.GetBytes(content), contentType);

    public static HttpContent Body(IMessage message) => Body(Json(message));

    /// <summary>A body sent without Content-Length (chunked over HTTP/1.1, unsized DATA frames over HTTP/2).</summary>
    public static HttpContent Unsized(byte[] content, string contentType)
    {
        var body = new UnsizedContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return body;
    }

    public static async Task<T> GetAsync<T>(this HttpClient client, string path) where T : IMessage, new() =>
        await (await client.GetAsync(path)).ReadAsync<T>();

    public static async Task<T> PostAsync<T>(this HttpClient client, string path, IMessage body) where T : IMessage, new() =>
        await (await client.PostAsync(path, Body(body))).ReadAsync<T>();

    /// <summary>Asserts 200 with a JSON body, and reads it as <typeparamref name="T"/>.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) where T : IMessage, new()
    {
        using var _ = response;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return Parser.Parse<T>(body);
    }

    /// <summary>
    /// Asserts an error answer: this HTTP status, a JSON google.rpc.Status whose code agrees with
    /// it and whose message gives away no internals; returns that status.
    /// </summary>
    public static async Task<Google.Rpc.Status> ErrorAsync(this HttpResponseMessage response, HttpStatusCode expected, Code code)
    {
        using var _ = response;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = Parser.Parse<Google.Rpc.Status>(body);
        Assert.Equal((int)code, status.Code);
        Assert.DoesNotContain("   at ", status.Message);
        Assert.DoesNotContain("Exception", status.Message);
        return status;
    }

    /// <summary>Asserts 400 INVALID_ARGUMENT whose BadRequest names exactly these fields; returns the violations.</summary>
    public static async Task<IReadOnlyList<BadRequest.Types.FieldViolation>> BadRequestAsync(this HttpResponseMessage response, params string[] fields)
    {
        var status = await response.ErrorAsync(HttpStatusCode.BadRequest, Code.InvalidArgument);
        var badRequest = status.Details.Select(d => d.Is(BadRequest.Descriptor) ? d.Unpack<BadRequest>() : null).SingleOrDefault(d => d is not null);
        Assert.True(badRequest is not null, $"no BadRequest in {status}");
        Assert.Equal(fields, badRequest!.FieldViolations.Select(v => v.Field));
        Assert.All(badRequest.FieldViolations, v => Assert.NotEmpty(v.Description));
        return badRequest.FieldViolations;
    }

    /// <summary>The reason of the ErrorInfo among the status's details.</summary>
    public static string? Reason(this Google.Rpc.Status status) =>
        status.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Select(d => d.Unpack<ErrorInfo>().Reason).SingleOrDefault();

    /// <summary>
    /// Reads a REST server stream: the transcoder writes each message as one line of JSON.
    /// Returns null when the stream ends.
    /// </summary>
    public static async Task<T?> NextAsync<T>(this StreamReader stream, CancellationToken cancellation) where T : class, IMessage, new()
    {
        while (await stream.ReadLineAsync(cancellation) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                return Parser.Parse<T>(line);
            }
        }
        return null;
    }

    private sealed class UnsizedContent(byte[] content) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(content).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
