using Microsoft.Extensions.Options;
using Netralitas.Gateway.Tools;

namespace Netralitas.Gateway;

/// <summary>The gateway's command line: the operator's <c>import-personnel</c>, else the service itself.</summary>
public static class GatewayProgram
{
    /// <summary>The development host's switch; the production gateway refuses it with a pointer there.</summary>
    public const string DemoSwitch = "--demo";

    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        if (args.FirstOrDefault() == ImportPersonnelCommand.Verb)
        {
            return await ImportPersonnelCommand.RunAsync(args[1..], Console.Out, Console.Error);
        }
        if (args.Contains(DemoSwitch))
        {
            await Console.Error.WriteLineAsync(
                $"{DemoSwitch} is a development switch: the demo data and the SIASN simulator come with the development host (dotnet run --project src/Netralitas.DevHost -- {DemoSwitch}).");
            return 2;
        }
        WebApplication app;
        try
        {
            app = GatewayApplication.Build(args, configure);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or InvalidDataException or OptionsValidationException)
        {
            // A setting or an operator file is wrong: its message names it.
            return await CannotStartAsync("cannot start", e);
        }
        await using var _ = app;
        try
        {
            await app.StartAsync();
        }
        catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped (SIGTERM, Ctrl+C) while it waited for its database: it never listened, nothing to drain.
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stopping the host (not just disposing it) ends the workers as a stop does, quietly.
            await app.StopAsync();
            var bind = e is IOException && (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                || e.Message.StartsWith("Failed to bind", StringComparison.Ordinal));
            return await CannotStartAsync(bind ? "cannot listen" : "cannot start", e);
        }
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task<int> CannotStartAsync(string what, Exception e)
    {
        await Console.Error.WriteLineAsync($"netralitas: {what}: {e.Message}");
        return 1;
    }
}
