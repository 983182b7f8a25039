using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Netralitas.Gateway.Health;

/// <summary>Set once the database is reachable and migrated and the in-memory index is built.</summary>
public sealed class GatewayReadiness
{
    private volatile bool _ready;
    private volatile string _state = "starting: waiting for the database";

    public bool IsReady => _ready;

    public string State => _state;

    public void Report(string state) => _state = state;

    public void MarkReady()
    {
        _state = "ready";
        _ready = true;
    }
}

/// <summary>
/// Backs <c>grpc.health.v1.Health</c>: NOT_SERVING until the gateway is ready, then SERVING while the
/// database answers.
/// </summary>
public sealed partial class DatabaseHealthCheck(
    GatewayReadiness readiness, IServiceScopeFactory scopes, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy(readiness.State);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.NetralitasDbContext>();
        if (await db.Database.CanConnectAsync(cancellationToken))
        {
            return HealthCheckResult.Healthy();
        }
        LogDatabaseUnreachable();
        return HealthCheckResult.Unhealthy("the database does not answer");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health: the database does not answer; reporting NOT_SERVING")]
    private partial void LogDatabaseUnreachable();
}
