using Netralitas.Gateway.Audit;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Netralitas.Domain.Audit;
using Netralitas.Gateway.Errors;
using Netralitas.Gateway.Grpc;
using Netralitas.Gateway.Rest;
using Netralitas.Gateway.Telemetry;
using System.Diagnostics;

namespace Netralitas.Gateway.Security;

/// <summary>
/// The outermost layer of every call: who is calling (UNAUTHENTICATED), may it call this method
/// (PERMISSION_DENIED), has it called too often or has it too many streams open
/// (RESOURCE_EXHAUSTED); then the call runs, and its audit entry — caller, method, NIPs and cases
/// touched, outcome, request id — is recorded (and, for a successful call, committed before the
/// answer leaves). Health checks alone pass without credentials and without an entry.
/// </summary>
public sealed partial class CallGuardInterceptor(
    CallerAuthenticator authenticator,
    CallerRateLimiter rateLimiter,
    CallerStreamLimiter streamLimiter,
    CallLimitOptions limits,
    IAuditTrail auditTrail,
    CallMetrics callMetrics,
    MalformedRequests malformed,
    TimeProvider clock,
    ILogger<CallGuardInterceptor> logger) : Interceptor
{
    public const string RequestIdHeader = "x-request-id";

    private const string AuditServicePrefix = "/netralitas.v1.AuditService/";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (MethodPolicy.IsPublic(context.Method))
        {
            ThrowIfUnparsedPublic(request, context);
            return await continuation(request, context);
        }
        var call = new GuardedCall(context, clock.GetUtcNow().UtcDateTime) { UnparsedType = UnparsedTypeOf(request) };
        call.Facts.ObserveRequest(request);
        await AdmitAsync(call);
        return await RunAsync(call, async () =>
        {
            var response = await continuation(request, context);
            call.ObserveAnswer(response);
            return response;
        });
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var call = new GuardedCall(context, clock.GetUtcNow().UtcDateTime);
        using var slot = await AdmitStreamAsync(call);
        return await RunAsync(call, async () =>
        {
            var response = await continuation(new ObservedReader<TRequest>(requestStream, call, limits.MaxNipsPerStream, malformed), context);
            call.ObserveAnswer(response);
            return response;
        });
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (MethodPolicy.IsPublic(context.Method))
        {
            ThrowIfUnparsedPublic(request, context);
            await continuation(request, responseStream, context);
            return;
        }
        var call = new GuardedCall(context, clock.GetUtcNow().UtcDateTime) { UnparsedType = UnparsedTypeOf(request) };
        call.Facts.ObserveRequest(request);
        using var slot = await AdmitStreamAsync(call);
        await RunAsync(call, async () =>
        {
            await continuation(request, new ObservedWriter<TResponse>(responseStream, call), context);
            return true;
        });
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var call = new GuardedCall(context, clock.GetUtcNow().UtcDateTime);
        using var slot = await AdmitStreamAsync(call);
        await RunAsync(call, async () =>
        {
            // The answers of a bulk check repeat the NIPs asked; only the questions are recorded.
            await continuation(new ObservedReader<TRequest>(requestStream, call, limits.MaxNipsPerStream, malformed), responseStream, context);
            return true;
        });
    }

    /// <summary>
    /// Authenticates, rate-limits and authorizes; a refused call is audited and answered here. The
    /// rate is checked before the refusals, so it counts every call — without credentials by peer
    /// address — and a call over it is answered without an entry: a flood of refusals must not fill
    /// the trail (nor the queue that successful calls wait in).
    /// </summary>
    private async Task AdmitAsync(GuardedCall call)
    {
        var http = call.Context.GetHttpContext();
        http.Response.Headers[RequestIdHeader] = call.RequestId;
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.SetTag("netralitas.request_id", call.RequestId);
        }
        Caller? caller;
        string? refusal;
        try
        {
            (caller, refusal) = await authenticator.AuthenticateAsync(http, call.Context.CancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !call.Context.CancellationToken.IsCancellationRequested)
        {
            // E.g. the identity provider's discovery document cannot be fetched.
            LogAuthenticationFailed(e, call.Context.Method);
            throw await RecordedRefusalAsync(call, new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable,
                "The caller's credentials cannot be checked right now; retry shortly.")));
        }
        call.Caller = caller;
        var rateKey = caller?.Id ?? "peer:" + http.Connection.RemoteIpAddress;
        if (!rateLimiter.TryStartCall(rateKey))
        {
            call.RecordMetrics(callMetrics, StatusCode.ResourceExhausted);
            throw new Google.Rpc.Status
            {
                Code = (int)Code.ResourceExhausted,
                Message = $"The caller {caller?.Id ?? "(no credentials)"} is over its call rate; retry later.",
                Details =
                {
                    Any.Pack(new ErrorInfo { Reason = "RATE_LIMITED", Domain = RichStatus.ErrorDomain }),
                    Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(rateLimiter.RetryAfter) }),
                },
            }.ToRpcException();
        }
        if (caller is null)
        {
            throw await RecordedRefusalAsync(call, new RpcException(new global::Grpc.Core.Status(StatusCode.Unauthenticated, refusal!)));
        }
        var access = MethodPolicy.Decide(caller, call.Context.Method);
        if (access is null)
        {
            var roles = caller.Roles.Count == 0 ? "none" : string.Join(", ", caller.Roles.Select(CallerRoles.NameOf));
            throw await RecordedRefusalAsync(call, WithReason(StatusCode.PermissionDenied,
                $"The caller {caller.Id} (roles: {roles}) may not call {call.Context.Method}.", "METHOD_NOT_ALLOWED"));
        }
        http.Features.Set(access);
        if (UnreadableRefusal(call) is { } unreadable)
        {
            throw await RecordedRefusalAsync(call, unreadable);
        }
    }

    /// <summary>
    /// A request that could not be read is refused once its caller is admitted, so that it is
    /// authenticated, rate-limited and recorded as any call is: a gRPC message that did not parse
    /// (<see cref="UnparsedRequest"/>), a REST body or query that the REST check found malformed.
    /// </summary>
    private RpcException? UnreadableRefusal(GuardedCall call)
    {
        if (call.UnparsedType is { } type)
        {
            return malformed.RefuseMessage(call.Context.Method, call.Caller!.Id, type);
        }
        if (call.Protocol == AuditEntry.RestProtocol && call.Context.GetHttpContext().Features.Get<RestRequestViolations>() is { } rest)
        {
            return malformed.RefuseRest(call.Context.Method, call.Caller!.Id, rest.Violations);
        }
        return null;
    }

    /// <summary>Health checks are neither authenticated nor recorded; an unparsable one is still refused and counted.</summary>
    private void ThrowIfUnparsedPublic<TRequest>(TRequest request, ServerCallContext context) where TRequest : class
    {
        if (UnparsedTypeOf(request) is { } type)
        {
            throw malformed.RefuseMessage(context.Method, "(not authenticated: public method)", type);
        }
    }

    private static string? UnparsedTypeOf<TRequest>(TRequest request) where TRequest : class =>
        UnparsedRequest.Is(request) ? (request as IMessage)?.Descriptor.FullName ?? typeof(TRequest).Name : null;

    /// <summary>Admits a streaming call and takes one of its caller's stream slots, held until the stream ends.</summary>
    private async Task<IDisposable> AdmitStreamAsync(GuardedCall call)
    {
        await AdmitAsync(call);
        return streamLimiter.TryOpenStream(call.Caller!.Id) ?? throw await RecordedRefusalAsync(call, WithReason(StatusCode.ResourceExhausted,
            $"The caller {call.Caller.Id} has {streamLimiter.Limit} streams open, the most it may; end one first.", "TOO_MANY_STREAMS"));
    }

    /// <summary>Records a refusal (without waiting for its commit) and returns it, for the caller to throw.</summary>
    private async Task<RpcException> RecordedRefusalAsync(GuardedCall call, RpcException refusal)
    {
        await RecordAsync(call, refusal.StatusCode, waitForCommit: false);
        return refusal;
    }

    private async Task<T> RunAsync<T>(GuardedCall call, Func<Task<T>> run)
    {
        T result;
        try
        {
            result = await run();
        }
        catch (RpcException e)
        {
            await RecordAsync(call, OutcomeOf(call, e.StatusCode), waitForCommit: false);
            throw;
        }
        catch (Exception)
        {
            // The error interceptor inside answers every exception with a status; this is defence in depth.
            await RecordAsync(call, StatusCode.Internal, waitForCommit: false);
            throw;
        }
        await RecordAsync(call, StatusCode.OK, waitForCommit: true);
        return result;
    }

    /// <summary>A stream cut off at its deadline ends as CANCELLED inside; the caller sees DEADLINE_EXCEEDED.</summary>
    private StatusCode OutcomeOf(GuardedCall call, StatusCode code) =>
        code == StatusCode.Cancelled && call.Context.Deadline <= clock.GetUtcNow().UtcDateTime ? StatusCode.DeadlineExceeded : code;

    /// <summary>
    /// No entry, no answer: a call that succeeded waits for its entry to be committed, and answers
    /// UNAVAILABLE when the trail cannot be written. A refusal or error carries nothing to protect,
    /// so it does not wait (nor hang while the database is not ready yet); its entry follows.
    /// </summary>
    private async Task RecordAsync(GuardedCall call, StatusCode status, bool waitForCommit)
    {
        var caller = call.Caller;
        var record = new AuditRecord(
            call.Started,
            caller?.Id ?? "anonymous",
            caller?.Proof.ToString() ?? "None",
            call.Context.Method,
            call.Facts.Nips,
            call.Facts.CaseIds,
            status.ToString(),
            call.RequestId,
            call.Context.Peer,
            call.Protocol);
        // Not the call's token: a client that leaves must not stop its call from being recorded.
        var recording = auditTrail.RecordAsync(record, CancellationToken.None);
        if (!waitForCommit)
        {
            call.RecordMetrics(callMetrics, status);
            _ = LogIfFailedAsync(recording, record);
            return;
        }
        try
        {
            await recording;
            call.RecordMetrics(callMetrics, status);
        }
        catch (Exception e)
        {
            call.RecordMetrics(callMetrics, StatusCode.Unavailable);
            LogAuditFailed(e, record.Method, record.CallerId);
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable,
                "The call could not be recorded in the audit trail, so its answer is withheld; retry shortly."));
        }
    }

    private async Task LogIfFailedAsync(Task recording, AuditRecord record)
    {
        try
        {
            await recording;
        }
        catch (Exception e)
        {
            // Typically a call refused while the gateway starts, before the database is ready.
            LogRefusalNotRecorded(record.Method, record.CallerId, record.Status, e.Message);
        }
    }

    private static RpcException WithReason(StatusCode code, string message, string reason) => new Google.Rpc.Status
    {
        Code = (int)code,
        Message = message,
        Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = RichStatus.ErrorDomain }) },
    }.ToRpcException();

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry for {Method} by {Caller} could not be written; the answer was withheld")]
    private partial void LogAuditFailed(Exception exception, string method, string caller);

    [LoggerMessage(Level = LogLevel.Error, Message = "Credentials for {Method} could not be checked")]
    private partial void LogAuthenticationFailed(Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit entry for {Method} by {Caller} ({Status}) could not be written: {Reason}")]
    private partial void LogRefusalNotRecorded(string method, string caller, string status, string reason);

    /// <summary>One call on its way through the guard.</summary>
    private sealed class GuardedCall(ServerCallContext context, DateTime started)
    {
        public ServerCallContext Context { get; } = context;

        public DateTime Started { get; } = started;

        private readonly long _startedTimestamp = Stopwatch.GetTimestamp();

        public void RecordMetrics(CallMetrics metrics, StatusCode status) => metrics.Record(Context.Method, Protocol, status, _startedTimestamp);

        public CallFacts Facts { get; } = new();

        public Caller? Caller { get; set; }

        /// <summary>The message type of a unary or server-streaming request that could not be parsed.</summary>
        public string? UnparsedType { get; init; }

        /// <summary>A REST/JSON call reaches its method through the transcoder's endpoint.</summary>
        public string Protocol { get; } =
            context.GetHttpContext().GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null
                ? AuditEntry.GrpcProtocol : AuditEntry.RestProtocol;

        /// <summary>Answers of the audit service are about other calls: what they list is not what this call touched.</summary>
        public void ObserveAnswer(object? message)
        {
            if (!Context.Method.StartsWith(AuditServicePrefix, StringComparison.Ordinal))
            {
                Facts.ObserveAnswer(message);
            }
        }

        private readonly string _headerOrNewRequestId =
            UsableRequestId(context.RequestHeaders.GetValue(RequestIdHeader)) ?? Guid.NewGuid().ToString();

        /// <summary>
        /// What the response headers carry and the trail records: the request message's request_id
        /// (read before admission), else the client's x-request-id, each when usable (a header takes
        /// no control characters; the method refuses a request_id that is not a UUID), else a new one.
        /// </summary>
        public string RequestId => UsableRequestId(Facts.RequestId) ?? _headerOrNewRequestId;

        private static string? UsableRequestId(string? value) =>
            value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':') ? value : null;
    }

    /// <summary>
    /// Reads a request stream into the call's facts, up to the NIPs one audit entry may hold. A
    /// message that could not be parsed, or a stream that is not length-prefixed messages (grpc-dotnet
    /// answers a truncated frame INTERNAL and a bad compression flag UNKNOWN), ends the call
    /// INVALID_ARGUMENT: both are the client's fault.
    /// </summary>
    private sealed class ObservedReader<T>(IAsyncStreamReader<T> inner, GuardedCall call, int maxNips, MalformedRequests malformed)
        : IAsyncStreamReader<T> where T : class
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            bool moved;
            try
            {
                moved = await inner.MoveNext(cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Internal && !call.Context.CancellationToken.IsCancellationRequested)
            {
                throw malformed.RefuseFraming(call.Context.Method, call.Caller!.Id, e.Status.Detail);
            }
            catch (InvalidDataException e)
            {
                throw malformed.RefuseFraming(call.Context.Method, call.Caller!.Id, e.Message);
            }
            if (!moved)
            {
                return false;
            }
            if (UnparsedTypeOf(inner.Current) is { } type)
            {
                throw malformed.RefuseMessage(call.Context.Method, call.Caller!.Id, type);
            }
            var facts = call.Facts;
            facts.ObserveRequest(inner.Current);
            if (facts.Nips.Count > maxNips)
            {
                throw new RpcException(new global::Grpc.Core.Status(StatusCode.ResourceExhausted,
                    $"A stream may carry at most {maxNips:N0} NIPs; send the rest in another."));
            }
            return true;
        }
    }

    private sealed class ObservedWriter<T>(IServerStreamWriter<T> inner, GuardedCall call) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            call.ObserveAnswer(message);
            return inner.WriteAsync(message);
        }

        public Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            call.ObserveAnswer(message);
            return inner.WriteAsync(message, cancellationToken);
        }
    }
}
