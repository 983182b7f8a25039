using Netralitas.Adapters.Siasn;
using Netralitas.Gateway.Workers;
using Netralitas.Simulator;

namespace Netralitas.DevHost;

/// <summary>
/// <c>--demo</c>: the synthetic demo data, and the SIASN simulator started in this process on a
/// free loopback port with the gateway's SIASN client pointed at it (Mode Remote), so that the
/// quickstart shows the whole loop without BKN credentials. The log says so.
/// </summary>
internal static partial class DemoMode
{
    /// <summary>The simulator's own options (faults, latency, personnel) can be set here.</summary>
    public const string SimulatorSection = SiasnOptions.Section + ":Simulator";

    public static void Configure(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SimulatorSection).Get<SiasnSimulatorOptions>() ?? new SiasnSimulatorOptions();
        var simulator = SiasnSimulator.StartAsync(options).GetAwaiter().GetResult();
        builder.Configuration.AddInMemoryCollection([
            new($"{DemoDataOptions.Section}:Enabled", "true"),
            new($"{SiasnOptions.Section}:Mode", nameof(SiasnMode.Remote)),
            .. simulator.ClientSettings(),
        ]);
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

        [LoggerMessage(Level = LogLevel.Warning, Message = "SIASN SIMULATOR in use at {BaseAddress} (--demo): blocks, releases and sanctions go to a simulator, not to BKN. State: {BaseAddress}_simulator/state")]
        private partial void LogSimulator(Uri baseAddress);
    }
}
