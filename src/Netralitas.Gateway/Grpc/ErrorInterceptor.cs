using Netralitas.Gateway.Errors;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Netralitas.Domain;
using Netralitas.Gateway.Security;

namespace Netralitas.Gateway.Grpc;

/// <summary>
/// Around every call: domain errors become their AIP-193 status; anything unexpected is logged and
/// answered INTERNAL without internals. (There are no calls before the gateway is ready: the server
/// listens only from then on, see <see cref="Workers.DatabaseInitializer"/>.)
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        Guard(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(context, async () => { await continuation(request, responseStream, context); return true; });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(context, async () => { await continuation(requestStream, responseStream, context); return true; });

    private async Task<T> Guard<T>(ServerCallContext context, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (DomainException e)
        {
            throw RichStatus.From(e);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            if (context.GetHttpContext().Features.Get<StreamCap>() is { Reached: true })
            {
                throw new RpcException(new global::Grpc.Core.Status(StatusCode.DeadlineExceeded,
                    "The stream ran as long as a stream may; call again (a watch with the last resume_token received)."));
            }
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled."));
        }
        catch (Exception e) when (IsTransientDatabaseFailure(e))
        {
            LogDatabaseUnavailable(context.Method, e.Message);
            throw RichStatus.DatabaseUnavailable();
        }
        catch (IOException e)
        {
            // Handlers do no file I/O: this is the client resetting or dropping its request stream,
            // which is the client's choice, not a fault of the gateway.
            LogClientWentAway(context.Method, e.Message);
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The client ended the call."));
        }
        catch (Exception e)
        {
            LogUnexpected(e, context.Method);
            throw RichStatus.Internal();
        }
    }

    /// <summary>A connection refused, a timeout, a busy SQLite file: retrying later can succeed.</summary>
    private static bool IsTransientDatabaseFailure(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Data.Common.DbException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Database unavailable during {Method}: {Reason}")]
    private partial void LogDatabaseUnavailable(string method, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client ended {Method} early: {Reason}")]
    private partial void LogClientWentAway(string method, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private partial void LogUnexpected(Exception exception, string method);
}
