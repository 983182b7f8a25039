using Netralitas.Simulator;

// The SIASN simulator on its own: dotnet run --project src/Netralitas.SiasnSimulator [--urls ...] [--Simulator:Faults:ErrorRate=0.2]
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5090");
}
var options = builder.Configuration.GetSection("Simulator").Get<SiasnSimulatorOptions>() ?? new SiasnSimulatorOptions();
var app = builder.Build();
app.MapSiasnSimulator(new SiasnSimulatorState(options));
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "SIASN simulator at {BaseAddress}/apisiasn/1.0/ (state: /_simulator/state); consumer {ConsumerKey}:{ConsumerSecret}, SSO client {SsoClientId} user {SsoUsername}:{SsoPassword}",
    app.Urls.First().TrimEnd('/'), options.ConsumerKey, options.ConsumerSecret, options.SsoClientId, options.SsoUsername, options.SsoPassword));
app.Run();
