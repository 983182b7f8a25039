using Netralitas.Adapters.ReferenceData;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Netralitas.Adapters.Siasn;
using Netralitas.Data;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Personnel;
using Netralitas.Domain.Recommendations;
using Netralitas.Gateway.Grpc;
using Netralitas.Gateway.Health;
using Netralitas.Gateway.Security;
using Netralitas.Gateway.Workers;

namespace Netralitas.Gateway;

/// <summary>Composes the gateway: configuration, services, endpoints. Program.cs and the tests both start it here.</summary>
public static class GatewayApplication
{
    /// <summary><c>--settings &lt;file&gt;</c>: one more JSON settings file (e.g. what dev-credentials writes); the command line still wins.</summary>
    public const string SettingsSwitch = "--settings";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var (settingsFiles, rest) = SplitSettingsFiles(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = rest,
            ContentRootPath = AppContext.BaseDirectory,
        });
        foreach (var file in settingsFiles)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false);
        }
        if (settingsFiles.Count > 0)
        {
            builder.Configuration.AddCommandLine(rest);
        }
        AddLogging(builder);
        configure?.Invoke(builder);
        var security = builder.AddCallerSecurity();

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout =
            TimeSpan.FromSeconds(builder.Configuration.GetValue("Netralitas:ShutdownTimeoutSeconds", 30)));
        AddDomain(builder.Services, builder.Configuration);
        builder.Services.AddNetralitasDatabase(
            builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions());
        builder.Services.Configure<DemoDataOptions>(builder.Configuration.GetSection(DemoDataOptions.Section));
        builder.Services.Configure<OpenCaseIndexOptions>(builder.Configuration.GetSection(OpenCaseIndexOptions.Section));
        builder.Services.AddSingleton<OpenCaseIndexSync>();
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddHostedService<OpenCaseIndexFollower>();
        builder.Services.AddHostedService<EscalationWorker>();
        builder.Services.AddHostedService<CalendarFollower>();
        AddSiasn(builder.Services, builder.Configuration);
        builder.Services.AddAuditTrail(builder.Configuration);

        builder.Services.AddSingleton<ErrorInterceptor>(); // one instance, not one per call
        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<CallGuardInterceptor>(); // outermost: it records the status the error interceptor chose
            options.Interceptors.Add<ErrorInterceptor>();
            options.MaxReceiveMessageSize = security.Limits.MaxReceiveMessageBytes;
            options.MaxSendMessageSize = security.Limits.MaxSendMessageBytes;
            options.EnableDetailedErrors = false;
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton<GatewayReadiness>();
        builder.Services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        var app = builder.Build();
        // Reference data is read now, so that a malformed operator file stops the start with its name.
        app.Services.GetRequiredService<ReferenceCatalog>();
        app.Services.GetRequiredService<CalendarBook>();
        app.UseMiddleware<StreamDeadlineMiddleware>();
        app.MapGrpcService<CaseGrpcService>();
        app.MapGrpcService<RecommendationGrpcService>();
        app.MapGrpcService<ComplianceGrpcService>();
        app.MapGrpcService<OutboxGrpcService>();
        app.MapGrpcService<PersonnelGrpcService>();
        app.MapGrpcService<CatalogGrpcService>();
        app.MapGrpcService<AuditGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    private static (List<string> SettingsFiles, string[] OtherArgs) SplitSettingsFiles(string[] args)
    {
        var files = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == SettingsSwitch)
            {
                files.Add(i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{SettingsSwitch} needs a file name."));
            }
            else if (args[i].StartsWith(SettingsSwitch + "=", StringComparison.Ordinal))
            {
                files.Add(args[i][(SettingsSwitch.Length + 1)..]);
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        return (files, rest.ToArray());
    }

    private static void AddLogging(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        // A NOT_SERVING answer while the gateway starts is expected, not an error; the initializer
        // and the health check log what is wrong themselves.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.None);
        if (builder.Configuration.GetValue("Netralitas:Logging:Json", true))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
    }

    private static void AddDomain(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ReferenceDataOptions>(configuration.GetSection(ReferenceDataOptions.Section));
        services.TryAddSingleton(TimeProvider.System); // tests may put a shifted clock first
        services.AddSingleton(sp => new BusinessClock(
            sp.GetRequiredService<TimeProvider>(),
            BusinessClock.ResolveZone(configuration.GetValue("Netralitas:BusinessTimeZone", "Asia/Jakarta")!)));
        services.AddSingleton(sp => ReferenceDataLoader.Load(sp.GetRequiredService<IOptions<ReferenceDataOptions>>().Value));
        // The files' calendar until the database's is loaded (DatabaseInitializer), which every replica then follows.
        services.AddSingleton(sp => new CalendarBook(ReferenceDataLoader.LoadCalendar(sp.GetRequiredService<IOptions<ReferenceDataOptions>>().Value)));
        services.AddScoped<CalendarDesk>();
        services.AddOptions<CalendarFollowerOptions>().Bind(configuration.GetSection(CalendarFollowerOptions.Section))
            .Validate(o => IsTimerInterval(o.PollInterval) && o.ReconcileInterval > TimeSpan.Zero,
                $"{CalendarFollowerOptions.Section}: PollInterval must be between 1 ms and 49 days, ReconcileInterval positive")
            .ValidateOnStart();
        services.AddSingleton<OpenCaseIndex>();
        services.AddSingleton<CaseIntake>();
        services.AddScoped<OpenCaseRefresh>();
        services.AddScoped<CaseRegistry>();
        // HasOpenCase and CheckOpenCases never touch the database: the registry, and the DbContext
        // it brings, are created only for the calls that need them.
        services.AddScoped(sp => new Lazy<CaseRegistry>(sp.GetRequiredService<CaseRegistry>));
        services.AddScoped<RecommendationDesk>();
        services.AddScoped<ComplianceReports>();
        services.AddOptions<EscalationOptions>().Bind(configuration.GetSection(EscalationOptions.Section))
            .Validate(o => o.StepWorkingDays >= 1 && o.DueSoonWorkingDays >= 0 && IsTimerInterval(o.SweepInterval),
                $"{EscalationOptions.Section}: StepWorkingDays must be at least 1, DueSoonWorkingDays not negative, SweepInterval between 1 ms and 49 days")
            .ValidateOnStart();
        services.AddSingleton(sp => new EscalationPolicy(sp.GetRequiredService<IOptions<EscalationOptions>>().Value));
        services.AddScoped<EscalationSweep>();
        services.AddScoped<EnforcementLedger>();
        services.AddOptions<FollowUpFeedOptions>().Bind(configuration.GetSection(FollowUpFeedOptions.Section))
            .Validate(o => IsTimerInterval(o.PollInterval) && o.GapGrace >= TimeSpan.Zero,
                $"{FollowUpFeedOptions.Section}: PollInterval must be between 1 ms and 49 days, GapGrace not negative")
            .ValidateOnStart();
        services.AddSingleton<FollowUpFeed>();
    }

    /// <summary>The SIASN client, the outbox relay and the personnel sync (idle while Netralitas:Siasn:Mode is Off).</summary>
    private static void AddSiasn(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSiasnClient(configuration);
        services.AddScoped<SiasnCommands>();
        services.AddScoped<IPersonnelSource, SiasnPersonnelSource>();
        services.AddScoped<PersonnelSync>();
        services.AddScoped<PersonnelDirectory>();
        services.AddSingleton<PersonnelSyncSignal>();
        services.AddOptions<OutboxRelayOptions>().Bind(configuration.GetSection(OutboxRelayOptions.Section))
            .Validate(o => IsTimerInterval(o.PollInterval) && IsTimerInterval(o.LeaseDuration) && IsTimerInterval(o.MaxBackoff)
                    && o.BaseBackoff > TimeSpan.Zero && o.BatchSize >= 1 && o.Concurrency >= 1 && o.MaxAttempts >= 1,
                $"{OutboxRelayOptions.Section}: intervals between 1 ms and 49 days, BatchSize, Concurrency and MaxAttempts at least 1")
            .ValidateOnStart();
        services.AddOptions<PersonnelSyncOptions>().Bind(configuration.GetSection(PersonnelSyncOptions.Section))
            .Validate(o => IsTimerInterval(o.Interval) && IsTimerInterval(o.RefreshInterval) && IsTimerInterval(o.FailureBackoff)
                    && o.BatchSize >= 1 && o.Concurrency >= 1,
                $"{PersonnelSyncOptions.Section}: intervals between 1 ms and 49 days, BatchSize and Concurrency at least 1")
            .ValidateOnStart();
        services.AddHostedService<OutboxRelay>();
        services.AddHostedService<PersonnelSyncWorker>();
    }

    /// <summary>What Task.Delay accepts: positive, below about 49.7 days.</summary>
    private static bool IsTimerInterval(TimeSpan interval) =>
        interval >= TimeSpan.FromMilliseconds(1) && interval < TimeSpan.FromDays(49);
}
