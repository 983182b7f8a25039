using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Netralitas.Gateway.Health;

/// <summary>
/// Ready once the database is reachable and migrated and the in-memory index is built and caught up
/// with the change log (the server listens only from then on, see <see cref="Workers.DatabaseInitializer"/>);
/// draining from the moment the host starts to stop.
/// </summary>
public sealed class GatewayReadiness
{
    private volatile bool _ready;
    private volatile bool _draining;

    public GatewayReadiness(IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStopping.Register(() => _draining = true);

    /// <summary>The database and the index are there: workers and the audit trail run from then on, also while draining.</summary>
    public bool IsReady => _ready;

    /// <summary>Ready and not stopping: what the health service reports as SERVING (while the database answers).</summary>
    public bool IsServing => _ready && !_draining;

    public void MarkReady() => _ready = true;
}

/// <summary>
/// Backs <c>grpc.health.v1.Health</c>: SERVING while the gateway is ready and the database answers,
/// NOT_SERVING from the moment it starts to stop (so that a load balancer asking it stops sending
/// new calls while the calls in flight finish).
/// </summary>
public sealed partial class DatabaseHealthCheck(
    GatewayReadiness readiness, IServiceScopeFactory scopes, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsServing)
        {
            return HealthCheckResult.Unhealthy(readiness.IsReady ? "draining: the gateway is stopping" : "starting");
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

/// <summary>
/// The HTTP health endpoints. Liveness: the process answers (200 while it runs at all). Readiness:
/// the checks behind <c>grpc.health.v1.Health</c> — 200 "Healthy" while the gateway serves and its
/// database answers, 503 "Unhealthy" once it starts to stop or when the database does not answer.
/// </summary>
public static class HealthPaths
{
    public const string Live = "/health/live";

    public const string Ready = "/health/ready";
}
