using Grpc.Core;
using Netralitas.V1;

// The limit to compare the gateway with: a minimal ASP.NET Core gRPC server whose HasOpenCase does
// nothing. Same Kestrel protocol (HTTP/2 cleartext), same logging level, no interceptors, no database.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
builder.Services.AddGrpc();
var app = builder.Build();
app.MapGrpcService<EmptyCaseService>();
app.Run();

internal sealed class EmptyCaseService : CaseService.CaseServiceBase
{
    private static readonly HasOpenCaseResponse Empty = new();

    public override Task<HasOpenCaseResponse> HasOpenCase(HasOpenCaseRequest request, ServerCallContext context) =>
        Task.FromResult(Empty);
}
