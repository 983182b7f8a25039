using Netralitas.Adapters.Siasn;
using Netralitas.Adapters.Siasn.Simulator;

namespace Netralitas.Gateway.Siasn;

/// <summary>
/// Mode Simulator: starts the SIASN simulator inside the gateway, on a free loopback port, and
/// points the SIASN client at it, so that the quickstart shows the whole loop without BKN
/// credentials. Development only; the log says so.
/// </summary>
internal static partial class EmbeddedSiasnSimulator
{
    public const string Section = SiasnOptions.Section + ":Simulator";

    public static void StartIfConfigured(WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<SiasnMode>($"{SiasnOptions.Section}:Mode") != SiasnMode.Simulator)
        {
            return;
        }
        var options = new SiasnSimulatorOptions();
        builder.Configuration.GetSection(Section).Bind(options);
        var simulator = SiasnSimulator.StartAsync(options).GetAwaiter().GetResult();
        builder.Configuration.AddInMemoryCollection(simulator.ClientSettings());
        builder.Services.AddSingleton(_ => simulator); // disposed, hence stopped, with the gateway
        builder.Services.AddHostedService<SimulatorNotice>();
    }

    private sealed partial class SimulatorNotice(RunningSiasnSimulator simulator, ILogger<SimulatorNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogSimulator(simulator.BaseAddress);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "SIASN SIMULATOR in use at {BaseAddress} (Netralitas:Siasn:Mode=Simulator): blocks, releases and sanctions go to a simulator, not to BKN. State: {BaseAddress}_simulator/state")]
        private partial void LogSimulator(Uri baseAddress);
    }
}
