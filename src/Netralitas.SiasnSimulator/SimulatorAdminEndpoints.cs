using Netralitas.Adapters.Siasn;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Netralitas.Simulator;

/// <summary>For people trying the simulator out: look at its state, change its faults, revoke its tokens. No auth, no faults.</summary>
internal static class SimulatorAdminEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, SiasnSimulatorState state)
    {
        var admin = endpoints.MapGroup("/_simulator");

        admin.MapGet("/state", () => SimulatorAnswers.Json(state.Summary()));

        admin.MapPut("/faults", async (HttpRequest request) =>
        {
            SimulatorFaults? faults;
            try
            {
                faults = await JsonSerializer.DeserializeAsync<SimulatorFaults>(request.Body, SimulatorJson.Options, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return SimulatorAnswers.Json(new { message = e.Message }, StatusCodes.Status400BadRequest);
            }
            if ((faults is null ? "a JSON object of faults is required" : faults.Problem()) is { } problem)
            {
                return SimulatorAnswers.Json(new { message = problem }, StatusCodes.Status400BadRequest);
            }
            state.Faults = faults!;
            return SimulatorAnswers.Json(faults!);
        });

        admin.MapPost("/revoke-tokens", () =>
        {
            state.RevokeTokens();
            return SimulatorAnswers.Json(new { revoked = true });
        });
    }
}
