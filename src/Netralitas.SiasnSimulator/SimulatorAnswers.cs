using Netralitas.Adapters.Siasn;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Netralitas.Simulator;

internal static class SimulatorJson
{
    /// <summary>The simulator's own options, so that a host's JSON settings do not change SIASN's shapes.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

/// <summary>SIASN's answers: reads in <c>{code, count, data, message}</c>, writes in <c>{success, message, mapData}</c>.</summary>
internal static class SimulatorAnswers
{
    public static IResult Read(int code, object? data, int count, string message) =>
        Results.Json(new SiasnReadEnvelope<object> { Code = code, Count = count, Data = data, Message = message }, SimulatorJson.Options, statusCode: code);

    public static IResult Found<T>(T data) => Read(StatusCodes.Status200OK, data, 1, "success");

    public static IResult List<T>(IReadOnlyCollection<T> data) => Read(StatusCodes.Status200OK, data, data.Count, "success");

    public static IResult Write(SiasnWriteEnvelope answer, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(answer, SimulatorJson.Options, statusCode: statusCode);

    public static IResult Json(object body, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(body, SimulatorJson.Options, statusCode: statusCode);

    /// <summary>The 503 of an outage, to API and token calls alike, or null when SIASN is up.</summary>
    public static IResult? Outage(SiasnSimulatorState state, HttpContext http)
    {
        var faults = state.Faults;
        return faults.OutageUntil is { } until && state.Clock.GetUtcNow() < until
            ? Failure(http, faults, StatusCodes.Status503ServiceUnavailable, write: false)
            : null;
    }

    /// <summary>A failed call in the envelope of its kind, with <c>Retry-After</c> where the faults ask for one.</summary>
    public static IResult Failure(HttpContext http, SimulatorFaults faults, int statusCode, bool write)
    {
        if (faults.RetryAfterSeconds is { } seconds && statusCode is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var message = statusCode == StatusCodes.Status500InternalServerError
            ? "Internal Server Error (simulasi)"
            : ReasonPhrases.GetReasonPhrase(statusCode);
        return write
            ? Write(SiasnSimulatorState.Failure(message), statusCode)
            : Read(statusCode, null, 0, message);
    }
}
