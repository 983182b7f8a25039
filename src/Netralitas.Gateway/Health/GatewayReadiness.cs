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
public sealed class DatabaseHealthCheck(GatewayReadiness readiness, IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy(readiness.State);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.NetralitasDbContext>();
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the database does not answer");
    }
}
