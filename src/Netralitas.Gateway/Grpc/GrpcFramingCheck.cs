using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using System.IO.Pipelines;
using Netralitas.Gateway.Security;

namespace Netralitas.Gateway.Grpc;

/// <summary>
/// Checks the framing of a unary or server-streaming gRPC request before grpc-dotnet reads it: one
/// length-prefixed message (flag 0 or 1, a length below 2^31, the bytes it announces, nothing
/// after). grpc-dotnet answers those faults UNKNOWN with an Error line and a stack trace (a flag
/// that is neither 0 nor 1, a length of 2^31 or more) or INTERNAL (a truncated message, data after
/// it); here they are INVALID_ARGUMENT, counted and reported like an unparsable message. The
/// caller is not admitted yet, so they are not in the audit trail. The check only looks at the
/// bytes grpc-dotnet reads next (nothing is consumed or copied); request streams are checked as
/// they are read (<see cref="CallGuardInterceptor"/>).
/// </summary>
public sealed class GrpcFramingCheck(RequestDelegate next, MalformedRequests malformed)
{
    private const int HeaderSize = 5;

    public Task InvokeAsync(HttpContext http)
    {
        // The content type first: it is the cheapest way to pass REST calls by (their endpoints carry
        // the same gRPC method metadata).
        if (!IsGrpc(http.Request.ContentType)
            || http.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method is not { } method
            || method.Type is MethodType.ClientStreaming or MethodType.DuplexStreaming)
        {
            return next(http);
        }
        // A unary request has usually arrived whole with its headers: judged without waiting.
        var body = http.Request.BodyReader;
        if (body.TryRead(out var read))
        {
            if (read.Buffer.Length >= HeaderSize || read.IsCompleted)
            {
                return Judge(http, method, read);
            }
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End); // too short yet: wait for more
        }
        return CheckAsync(http, method);
    }

    private async Task CheckAsync(HttpContext http, IMethod method)
    {
        var read = await http.Request.BodyReader.ReadAtLeastAsync(HeaderSize, http.RequestAborted);
        await Judge(http, method, read);
    }

    private Task Judge(HttpContext http, IMethod method, ReadResult read)
    {
        var fault = FaultOf(read.Buffer, read.IsCompleted, http.Request.Headers["grpc-encoding"].ToString());
        http.Request.BodyReader.AdvanceTo(read.Buffer.Start); // nothing consumed: grpc-dotnet reads the same bytes
        if (fault is null)
        {
            return next(http);
        }
        var refusal = malformed.RefuseFraming(method.FullName, "(not authenticated yet)", fault);
        WriteTrailersOnly(http.Response, refusal);
        return Task.CompletedTask;
    }

    private static bool IsGrpc(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>What is wrong with the request's framing, or null when it is fine or still arriving (grpc-dotnet then judges it).</summary>
    private static string? FaultOf(ReadOnlySequence<byte> buffer, bool complete, string encoding)
    {
        if (buffer.Length < HeaderSize)
        {
            return complete && buffer.Length > 0 ? $"{buffer.Length} bytes, less than a message header" : null;
        }
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        if (header[0] > 1)
        {
            return $"compression flag {header[0]}, not 0 or 1";
        }
        if (header[0] == 1 && encoding is "" or "identity")
        {
            return "a compressed message without a grpc-encoding that names its compression";
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > int.MaxValue)
        {
            return $"a message length of {length:N0} bytes";
        }
        if (!complete)
        {
            return null; // still arriving; one over the size limit is grpc-dotnet's RESOURCE_EXHAUSTED
        }
        return (buffer.Length - HeaderSize).CompareTo(length) switch
        {
            < 0 => $"the message announces {length:N0} bytes and has {buffer.Length - HeaderSize:N0}",
            > 0 => "data after the one message a unary or server-streaming call takes",
            _ => null,
        };
    }

    /// <summary>A gRPC answer without messages: the status in the response headers (grpc-dotnet does the same).</summary>
    private static void WriteTrailersOnly(HttpResponse response, RpcException refusal)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)refusal.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncoded(refusal.Status.Detail);
        foreach (var entry in refusal.Trailers)
        {
            response.Headers[entry.Key] = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;
        }
    }

    /// <summary>grpc-message is percent-encoded UTF-8 outside printable ASCII (and the percent sign itself).</summary>
    private static string PercentEncoded(string message)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            text.Append(b is >= 0x20 and <= 0x7E and not (byte)'%' ? ((char)b).ToString() : $"%{b:X2}");
        }
        return text.ToString();
    }
}
