using Netralitas.Adapters.Siasn;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Netralitas.Simulator;

/// <summary>The SIASN API under <c>/apisiasn/1.0/</c>: the reads and writes the gateway uses.</summary>
internal static class SimulatorApiEndpoints
{
    public const string Root = "/apisiasn/1.0";
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    public static void Map(IEndpointRouteBuilder endpoints, SiasnSimulatorState state)
    {
        var api = endpoints.MapGroup(Root).AddEndpointFilter(new SimulatorFaultFilter(state));

        api.MapGet("/pns/data-utama/{nipBaru}", (string nipBaru) => ForNip(nipBaru, nip =>
            state.Record(nip) is { } record
                ? SimulatorAnswers.Found(record)
                : SimulatorAnswers.Read(StatusCodes.Status404NotFound, null, 0, "data tidak ditemukan")));
        api.MapGet("/pns/rw-jabatan/{nipBaru}", (string nipBaru) => ForNip(nipBaru, nip =>
            SimulatorAnswers.List(state.Record(nip) is { } record ? SyntheticPersonnel.PositionHistory(record) : [])));
        api.MapGet("/pns/rw-hukdis/{nipBaru}", (string nipBaru) => ForNip(nipBaru, nip => SimulatorAnswers.List(state.Hukdis(nip))));
        api.MapGet("/pns/rw-cltn/{nipBaru}", (string nipBaru) => ForNip(nipBaru, _ => SimulatorAnswers.List(Array.Empty<SiasnRwCltn>())));

        api.MapPost("/hukdis/save", async (HttpRequest request) =>
            await ReadBody<SiasnHukdisCreate>(request) is { } entry
                ? SimulatorAnswers.Write(state.SaveHukdis(entry, IdempotencyKey(request)))
                : BadWrite("body bukan RWHukDisCreate yang valid"));
        api.MapPost("/pns/blokir", async (HttpRequest request) =>
            await BlockCommand(request) is { } command
                ? SimulatorAnswers.Write(state.Block(command, IdempotencyKey(request)))
                : BadWrite(BlockCommandRequired));
        api.MapPost("/pns/buka-blokir", async (HttpRequest request) =>
            await BlockCommand(request) is { } command
                ? SimulatorAnswers.Write(state.Release(command, IdempotencyKey(request)))
                : BadWrite(BlockCommandRequired));

        api.Map("/{**path}", () => SimulatorAnswers.Read(StatusCodes.Status404NotFound, null, 0, "path tidak ditemukan"));
    }

    private const string BlockCommandRequired = "nipBaru (18 digit) dan referensi wajib diisi";

    private static IResult ForNip(string nipBaru, Func<string, IResult> answer) =>
        SyntheticPersonnel.IsNipShaped(nipBaru)
            ? answer(nipBaru)
            : SimulatorAnswers.Read(StatusCodes.Status400BadRequest, null, 0, "nipBaru tidak valid");

    private static async Task<SiasnBlockCommand?> BlockCommand(HttpRequest request) =>
        await ReadBody<SiasnBlockCommand>(request) is { } command
        && SyntheticPersonnel.IsNipShaped(command.NipBaru) && !string.IsNullOrWhiteSpace(command.Referensi)
            ? command
            : null;

    private static async Task<T?> ReadBody<T>(HttpRequest request) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, SimulatorJson.Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? IdempotencyKey(HttpRequest request) =>
        request.Headers[IdempotencyKeyHeader].ToString() is { Length: > 0 } key ? key : null;

    private static IResult BadWrite(string message) =>
        SimulatorAnswers.Write(SiasnSimulatorState.Failure(message), StatusCodes.Status400BadRequest);
}
