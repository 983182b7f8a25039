using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;
using Netralitas.Domain;
using Netralitas.Gateway.Errors;
using Netralitas.Gateway.Security;

namespace Netralitas.Gateway.Rest;

/// <summary>
/// In front of the JSON transcoder: bounds a REST call's body (<see cref="CallLimitOptions.MaxReceiveMessageBytes"/>
/// for JSON, <see cref="CallLimitOptions.MaxUploadBytes"/> for an uploaded file; the transcoder
/// bounds neither) and checks its JSON and query parameters (<see cref="JsonRequestShape"/>), so
/// that a bad request is answered 400 with a google.rpc.Status whose BadRequest names the field
/// (by the call guard, after the caller's credentials: see <see cref="RestRequestViolations"/>).
/// A path under /v1/ that names no method, or a verb the path does not take, is answered the same
/// way (404, 405) instead of with an empty body.
/// </summary>
public sealed class RestRequestCheck(RequestDelegate next, CallLimitOptions limits)
{
    private const string ApiPrefix = "/v1/";

    private static readonly JsonFormatter StatusFormatter =
        new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor)));

    public async Task InvokeAsync(HttpContext http)
    {
        var transcoding = http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (transcoding is null)
        {
            await next(http);
            if (!http.Response.HasStarted && http.Request.Path.StartsWithSegments(ApiPrefix.TrimEnd('/')) &&
                http.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
            {
                await NoSuchMethodAsync(http);
            }
            return;
        }
        var violations = new List<FieldViolation>();
        var request = transcoding.MethodDescriptor.InputType;
        var (body, bodyPath) = BodyOf(request, transcoding.HttpRule.Body);
        foreach (var (key, values) in http.Request.Query)
        {
            if (transcoding.HttpRule.Body == "*")
            {
                violations.Add(new FieldViolation(key, "this call takes its fields in the JSON body, not as query parameters"));
            }
            else
            {
                JsonRequestShape.CheckQueryParameter(key, values, request, violations);
            }
        }
        if (body is not null && violations.Count == 0)
        {
            await CheckBodyAsync(http, body, bodyPath, violations);
        }
        if (violations.Count > 0)
        {
            SetAsideMalformed(http, body, violations);
        }
        if (transcoding.MethodDescriptor.IsServerStreaming && transcoding.MethodDescriptor.OutputType.FullName == HttpBody.Descriptor.FullName)
        {
            http.Response.Body = new DownloadBody(http.Response.Body);
        }
        await next(http);
    }

    /// <summary>
    /// The message the body holds — the request (<c>body: "*"</c>), one of its fields, or none — and
    /// that field's name, which the body's violations start with (<c>case.nip</c>), as the method's own do.
    /// </summary>
    private static (MessageDescriptor? Message, string Path) BodyOf(MessageDescriptor request, string body) => body switch
    {
        "" => (null, ""),
        "*" => (request, ""),
        _ => request.FindFieldByName(body) is { } field ? (field.MessageType, field.JsonName) : (null, ""),
    };

    private async Task CheckBodyAsync(HttpContext http, MessageDescriptor body, string bodyPath, List<FieldViolation> violations)
    {
        var upload = body.FullName == "google.api.HttpBody";
        long limit = upload ? limits.MaxUploadBytes : limits.MaxReceiveMessageBytes;
        if (http.Request.ContentLength > limit)
        {
            violations.Add(new FieldViolation("body", $"is {http.Request.ContentLength:N0} bytes; at most {limit:N0} are taken"));
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit; // a body without Content-Length is cut off there
        }
        if (!upload && !IsJson(http.Request.ContentType))
        {
            // The transcoder would refuse it too, but with a status that names nothing.
            violations.Add(new FieldViolation("body", string.IsNullOrEmpty(http.Request.ContentType)
                ? "has no Content-Type; send the JSON body as application/json"
                : $"is \"{http.Request.ContentType}\"; send the JSON body as application/json"));
            return;
        }
        if (upload && http.Request.ContentLength is not null)
        {
            return; // within the limit; the upload checks its file and its content type
        }
        // A JSON body is checked here; an upload without Content-Length is read here, so that one
        // over the limit is named like one that declares its size (the transcoder names nothing).
        var buffer = new MemoryStream();
        try
        {
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            violations.Add(new FieldViolation("body", $"is larger than the {limit:N0} bytes taken"));
            return;
        }
        if (!upload)
        {
            JsonRequestShape.CheckBody(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), body, bodyPath, violations);
        }
        buffer.Position = 0;
        http.Request.Body = buffer;
    }

    /// <summary>
    /// A malformed request is not answered here: it is emptied (no query, an empty body) so that the
    /// transcoder reads it without a fault of its own, and passed on with its violations, which the
    /// call guard answers once it has admitted the caller — so it is authenticated, rate-limited,
    /// counted and recorded in the audit trail like its gRPC twin.
    /// </summary>
    private static void SetAsideMalformed(HttpContext http, MessageDescriptor? body, List<FieldViolation> violations)
    {
        http.Features.Set(new RestRequestViolations(violations));
        http.Request.QueryString = QueryString.Empty;
        if (body is null)
        {
            return;
        }
        var upload = body.FullName == HttpBody.Descriptor.FullName;
        var empty = upload ? [] : "{}"u8.ToArray();
        http.Request.Body = new MemoryStream(empty, writable: false);
        http.Request.ContentLength = empty.Length;
        if (!upload)
        {
            http.Request.ContentType = "application/json";
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim() is var type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static Task NoSuchMethodAsync(HttpContext http)
    {
        var methodNotAllowed = http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed;
        var what = $"{http.Request.Method} {http.Request.Path}";
        var status = new Google.Rpc.Status
        {
            Code = methodNotAllowed ? (int)Code.Unimplemented : (int)Code.NotFound,
            Message = methodNotAllowed
                ? $"{what}: the path takes another HTTP method; see {RestRegistration.OpenApiPath}."
                : $"{what} names no method of the API; see {RestRegistration.OpenApiPath}.",
            Details = { Any.Pack(new ErrorInfo { Reason = methodNotAllowed ? "METHOD_NOT_ALLOWED" : "NO_SUCH_PATH", Domain = RichStatus.ErrorDomain }) },
        };
        return WriteAsync(http, http.Response.StatusCode, status);
    }

    private static async Task WriteAsync(HttpContext http, int httpStatus, Google.Rpc.Status status)
    {
        http.Response.StatusCode = httpStatus;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(StatusFormatter.Format(status), http.RequestAborted);
    }
}

/// <summary>What <see cref="RestRequestCheck"/> found wrong with a REST request, for the call guard to answer.</summary>
public sealed record RestRequestViolations(IReadOnlyList<FieldViolation> Violations);
