using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Netralitas.Gateway.Security;

/// <summary>
/// Caps the deadline of streaming calls at <see cref="CallLimitOptions.MaxStreamDuration"/>: a
/// stream with no deadline, or a later one, gets the cap as its grpc-timeout before gRPC reads
/// it, so the server ends it with DEADLINE_EXCEEDED like any other deadline. A REST stream is
/// cancelled at the cap (<see cref="CutOffAsync"/>).
/// </summary>
public sealed class StreamDeadlineMiddleware(RequestDelegate next, CallLimitOptions limits)
{
    private const string TimeoutHeader = "grpc-timeout";

    public Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        var method = endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is null || method.Type == MethodType.Unary)
        {
            return next(http);
        }
        if (endpoint!.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null)
        {
            return CutOffAsync(http);
        }
        if (!TryParseTimeout(http.Request.Headers[TimeoutHeader].ToString(), out var requested) || requested > limits.MaxStreamDuration)
        {
            http.Request.Headers[TimeoutHeader] = Math.Max(1, (long)limits.MaxStreamDuration.TotalMilliseconds)
                .ToString(CultureInfo.InvariantCulture) + "m";
        }
        return next(http);
    }

    /// <summary>
    /// The JSON transcoder has no deadlines: a REST stream (a watch as JSON objects, an export) is
    /// cancelled at the cap through the request's token, which the transcoded call takes as its
    /// own, and <see cref="StreamCap"/> tells the error interceptor to answer DEADLINE_EXCEEDED.
    /// </summary>
    private async Task CutOffAsync(HttpContext http)
    {
        using var cap = new CancellationTokenSource(limits.MaxStreamDuration);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, cap.Token);
        http.Features.Set(new StreamCap(cap.Token));
        http.RequestAborted = either.Token;
        await next(http);
    }

    /// <summary>gRPC's timeout: at most eight digits and a unit (H, M, S, m, u, n).</summary>
    private static bool TryParseTimeout(string value, out TimeSpan timeout)
    {
        timeout = default;
        if (value.Length is < 2 or > 9 || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        double? ticks = value[^1] switch
        {
            'H' => amount * (double)TimeSpan.TicksPerHour,
            'M' => amount * (double)TimeSpan.TicksPerMinute,
            'S' => amount * (double)TimeSpan.TicksPerSecond,
            'm' => amount * (double)TimeSpan.TicksPerMillisecond,
            'u' => amount * 10.0,
            'n' => amount / 100.0,
            _ => null,
        };
        if (ticks is not { } t)
        {
            return false;
        }
        timeout = TimeSpan.FromTicks((long)Math.Min(t, TimeSpan.MaxValue.Ticks));
        return true;
    }
}

/// <summary>A REST stream's cap at <see cref="CallLimitOptions.MaxStreamDuration"/>: whether its cancellation came from the cap.</summary>
public sealed class StreamCap(CancellationToken cap)
{
    public bool Reached => cap.IsCancellationRequested;
}
