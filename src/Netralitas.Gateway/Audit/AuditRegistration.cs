using Netralitas.Domain.Audit;
using Netralitas.Gateway.Audit;

// In the composition root's namespace, so that GatewayApplication calls it without another using.
namespace Netralitas.Gateway;

public static class AuditRegistration
{
    /// <summary>
    /// The audit trail: <see cref="IAuditTrail"/> (one queue, one background writer) and the queries and
    /// verifier behind AuditService. Its appender and store come with the database (AddNetralitasDatabase). Options: <c>Netralitas:Audit</c> (<see cref="AuditOptions"/>).
    /// </summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section)
            .Validate(o => o.QueueCapacity >= 1 && o.MaxBatchEntries >= 1 && o.MaxBatchNips >= 1,
                $"{AuditOptions.Section}: QueueCapacity, MaxBatchEntries and MaxBatchNips must be at least 1")
            .ValidateOnStart();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<AuditTrail>());
        services.AddHostedService<AuditWriter>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<AuditVerifier>();
        return services;
    }
}
