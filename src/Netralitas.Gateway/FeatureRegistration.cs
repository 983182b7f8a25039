using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Netralitas.Adapters.ReferenceData;
using Netralitas.Adapters.Siasn;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Monev;
using Netralitas.Domain.Statistics;
using Netralitas.Domain.Personnel;
using Netralitas.Domain.Recommendations;
using Netralitas.Gateway.Workers;

namespace Netralitas.Gateway;

/// <summary>
/// One extension per feature: its services, its workers, and its options, each bound with
/// <c>AddOptions&lt;T&gt;().BindConfiguration(Section).Validate(..).ValidateOnStart()</c>.
/// </summary>
public static class FeatureRegistration
{
    /// <summary>The clock of working days and the shutdown wait (<c>Netralitas</c>).</summary>
    public static IServiceCollection AddGatewayBasics(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section)
            .Validate(o => o.ShutdownTimeoutSeconds >= 0, $"{GatewayOptions.Section}:ShutdownTimeoutSeconds must not be negative")
            .Validate(o => TryResolveZone(o.BusinessTimeZone), $"{GatewayOptions.Section}:BusinessTimeZone is not a time zone this machine knows")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<GatewayOptions>>((host, gateway) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(gateway.Value.ShutdownTimeoutSeconds));
        services.TryAddSingleton(TimeProvider.System); // tests may put a shifted clock first
        services.AddSingleton(sp => new BusinessClock(
            sp.GetRequiredService<TimeProvider>(),
            BusinessClock.ResolveZone(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.BusinessTimeZone)));
        return services;
    }

    /// <summary>The catalog and the files' calendar (<c>Netralitas:ReferenceData</c>); the database's calendar follows (<c>Netralitas:Calendar</c>).</summary>
    public static IServiceCollection AddReferenceDataAndCalendar(this IServiceCollection services)
    {
        services.AddOptions<ReferenceDataOptions>().BindConfiguration(ReferenceDataOptions.Section);
        services.AddSingleton(sp => ReferenceDataLoader.Load(sp.GetRequiredService<IOptions<ReferenceDataOptions>>().Value));
        // The files' calendar until the database's is loaded (DatabaseInitializer), which every replica then follows.
        services.AddSingleton(sp => new CalendarBook(ReferenceDataLoader.LoadCalendar(sp.GetRequiredService<IOptions<ReferenceDataOptions>>().Value)));
        services.AddScoped<CalendarDesk>();
        services.AddOptions<CalendarFollowerOptions>().BindConfiguration(CalendarFollowerOptions.Section)
            .Validate(o => IsTimerInterval(o.PollInterval) && o.ReconcileInterval > TimeSpan.Zero,
                $"{CalendarFollowerOptions.Section}: PollInterval must be between 1 ms and 49 days, ReconcileInterval positive")
            .ValidateOnStart();
        services.AddHostedService<CalendarFollower>();
        return services;
    }

    /// <summary>Cases and the in-memory open-case index with its follower (<c>Netralitas:OpenCaseIndex</c>, <c>Netralitas:DemoData</c>).</summary>
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddSingleton<OpenCaseIndex>();
        services.AddSingleton<CaseIntake>();
        services.AddScoped<OpenCaseRefresh>();
        services.AddScoped<CaseRegistry>();
        // HasOpenCase and CheckOpenCases never touch the database: the registry, and the DbContext
        // it brings, are created only for the calls that need them.
        services.AddScoped(sp => new Lazy<CaseRegistry>(sp.GetRequiredService<CaseRegistry>));
        services.AddOptions<OpenCaseIndexOptions>().BindConfiguration(OpenCaseIndexOptions.Section)
            .Validate(o => IsTimerInterval(o.FollowInterval) && o.GapGrace >= TimeSpan.Zero,
                $"{OpenCaseIndexOptions.Section}: FollowInterval must be between 1 ms and 49 days, GapGrace not negative")
            .ValidateOnStart();
        services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.Section);
        services.AddSingleton<DemoDataLoader>();
        services.AddSingleton<OpenCaseIndexSync>();
        services.AddHostedService<OpenCaseIndexFollower>();
        return services;
    }

    /// <summary>Recommendations, compliance, escalation and the follow-up feed (<c>Netralitas:Escalation</c>, <c>Netralitas:FollowUpFeed</c>).</summary>
    public static IServiceCollection AddRecommendations(this IServiceCollection services)
    {
        services.AddScoped<RecommendationDesk>();
        services.AddScoped<ComplianceReports>();
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.Section)
            .Validate(o => o.StepWorkingDays >= 1 && o.DueSoonWorkingDays >= 0 && IsTimerInterval(o.SweepInterval),
                $"{EscalationOptions.Section}: StepWorkingDays must be at least 1, DueSoonWorkingDays not negative, SweepInterval between 1 ms and 49 days")
            .ValidateOnStart();
        services.AddSingleton(sp => new EscalationPolicy(sp.GetRequiredService<IOptions<EscalationOptions>>().Value));
        services.AddScoped<EscalationSweep>();
        services.AddScoped<EnforcementLedger>();
        services.AddHostedService<EscalationWorker>();
        services.AddOptions<FollowUpFeedOptions>().BindConfiguration(FollowUpFeedOptions.Section)
            .Validate(o => IsTimerInterval(o.PollInterval) && o.GapGrace >= TimeSpan.Zero,
                $"{FollowUpFeedOptions.Section}: PollInterval must be between 1 ms and 49 days, GapGrace not negative")
            .ValidateOnStart();
        services.AddSingleton<FollowUpFeed>();
        return services;
    }

    /// <summary>The national statistics and the per-agency monitoring and evaluation (monev).</summary>
    public static IServiceCollection AddStatistics(this IServiceCollection services)
    {
        services.AddSingleton<StatisticsIndex>();
        services.AddSingleton<IRegistryCatchUp>(sp => sp.GetRequiredService<OpenCaseIndexSync>());
        services.AddScoped<StatisticsDesk>();
        services.AddScoped<MonevDesk>();
        return services;
    }

    /// <summary>The SIASN client, the outbox relay and the personnel sync (idle while <c>Netralitas:Siasn:Mode</c> is Off).</summary>
    public static IServiceCollection AddSiasnIntegration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSiasnClient(configuration);
        services.AddScoped<SiasnCommands>();
        services.AddScoped<IPersonnelSource, SiasnPersonnelSource>();
        services.AddScoped<PersonnelSync>();
        services.AddScoped<PersonnelDirectory>();
        services.AddSingleton<PersonnelSyncSignal>();
        services.AddOptions<OutboxRelayOptions>().BindConfiguration(OutboxRelayOptions.Section)
            .Validate(o => IsTimerInterval(o.PollInterval) && IsTimerInterval(o.LeaseDuration) && IsTimerInterval(o.MaxBackoff)
                    && o.BaseBackoff > TimeSpan.Zero && o.BatchSize >= 1 && o.Concurrency >= 1 && o.MaxAttempts >= 1,
                $"{OutboxRelayOptions.Section}: intervals between 1 ms and 49 days, BatchSize, Concurrency and MaxAttempts at least 1")
            .ValidateOnStart();
        services.AddOptions<PersonnelSyncOptions>().BindConfiguration(PersonnelSyncOptions.Section)
            .Validate(o => IsTimerInterval(o.Interval) && IsTimerInterval(o.RefreshInterval) && IsTimerInterval(o.FailureBackoff)
                    && o.BatchSize >= 1 && o.Concurrency >= 1,
                $"{PersonnelSyncOptions.Section}: intervals between 1 ms and 49 days, BatchSize and Concurrency at least 1")
            .ValidateOnStart();
        services.AddHostedService<OutboxRelay>();
        services.AddHostedService<PersonnelSyncWorker>();
        return services;
    }

    /// <summary>What Task.Delay accepts: positive, below about 49.7 days.</summary>
    public static bool IsTimerInterval(TimeSpan interval) =>
        interval >= TimeSpan.FromMilliseconds(1) && interval < TimeSpan.FromDays(49);

    private static bool TryResolveZone(string id)
    {
        try
        {
            BusinessClock.ResolveZone(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }
}
