using Netralitas.Adapters.Siasn;
using Microsoft.AspNetCore.Http;

namespace Netralitas.Simulator;

/// <summary>
/// What stands between an API call and its endpoint, in this order: an outage, a FailNext burst,
/// the random error rate, authentication, then latency and the every-n-th slow call.
/// </summary>
internal sealed class SimulatorFaultFilter(SiasnSimulatorState state) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var write = HttpMethods.IsPost(http.Request.Method);
        var faults = state.Faults;
        if (SimulatorAnswers.Outage(state, http) is { } outage)
        {
            return outage;
        }
        if (state.TakeFailure() is { } status)
        {
            return SimulatorAnswers.Failure(http, faults, status, write);
        }
        if (faults.ErrorRate > 0 && Random.Shared.NextDouble() < faults.ErrorRate)
        {
            return SimulatorAnswers.Failure(http, faults, StatusCodes.Status500InternalServerError, write);
        }
        if (!state.Tokens.Authorize(http.Request.Headers))
        {
            state.CountUnauthorized();
            return SimulatorAnswers.Json(new { code = 401, message = "Invalid Credentials" }, StatusCodes.Status401Unauthorized);
        }
        var call = state.CountApiCall();
        var delay = faults.Latency + (faults.SlowEvery > 0 && call % faults.SlowEvery == 0 ? faults.SlowDelay : TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            // Real time, whatever the state's clock: a caller's timeouts run on real time too.
            await Task.Delay(delay, http.RequestAborted);
        }
        return await next(context);
    }
}
