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
        var app = GatewayApplication.Build(args, configure);
        var lifetime = app.Lifetime; // read now: the host's services are disposed when RunAsync ends
        try
        {
            await app.RunAsync();
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped (SIGTERM, Ctrl+C) while it waited for its database: it never listened, nothing to drain.
        }
        return 0;
    }
}
