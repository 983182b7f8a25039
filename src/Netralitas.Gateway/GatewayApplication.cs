using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting.Systemd;
using Netralitas.Data;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Gateway.Grpc;
using Netralitas.Gateway.Health;
using Netralitas.Gateway.Rest;
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
        DefaultEndpoints.ListenOnLoopbackUnlessConfigured(builder);
        var security = builder.AddCallerSecurity();
        builder.AddTelemetry();

        builder.Services
            .AddGatewayBasics()
            .AddNetralitasDatabase(builder.Configuration)
            .AddCases()
            .AddReferenceDataAndCalendar()
            .AddRecommendations()
            .AddStatistics()
            .AddSiasnIntegration(builder.Configuration)
            .AddAuditTrail();

        builder.Services.AddSingleton<ErrorInterceptor>(); // one instance, not one per call
        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<CallGuardInterceptor>(); // outermost: it records the status the error interceptor chose
            options.Interceptors.Add<ErrorInterceptor>();
            options.MaxReceiveMessageSize = security.Limits.MaxReceiveMessageBytes;
            options.MaxSendMessageSize = security.Limits.MaxSendMessageBytes;
            options.EnableDetailedErrors = false;
        }).AddRestJson();
        builder.Services.AddGrpc().AddServiceOptions<PersonnelGrpcService>(options =>
            options.MaxReceiveMessageSize = Math.Max(security.Limits.MaxReceiveMessageBytes, security.Limits.MaxUploadBytes));
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton<GatewayReadiness>();
        builder.Services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        // The last hosted service, so that the server (started after all of them) opens its port right
        // after the index's last read of the change log.
        builder.Services.AddHostedService<DatabaseInitializer>();
        // Last of the services: every AddGrpc() (reflection, health, …) adds grpc-dotnet's binder back.
        builder.Services.AddGrpc().AddParseCheckedBinding();
        var app = builder.Build();
        // Reference data is read now, so that a malformed operator file stops the start with its name.
        app.Services.GetRequiredService<ReferenceCatalog>();
        app.Services.GetRequiredService<CalendarBook>();
        app.UseTrustedProxyHeaders(); // first: everything after it sees the caller the proxy vouched for
        app.UseMiddleware<StreamDeadlineMiddleware>();
        app.UseMiddleware<GrpcFramingCheck>();
        app.UseMiddleware<RestRequestCheck>();
        app.MapRestDocuments();
        app.MapGrpcService<CaseGrpcService>();
        app.MapGrpcService<RecommendationGrpcService>();
        app.MapGrpcService<ComplianceGrpcService>();
        app.MapGrpcService<OutboxGrpcService>();
        app.MapGrpcService<PersonnelGrpcService>();
        app.MapGrpcService<CatalogGrpcService>();
        app.MapGrpcService<AuditGrpcService>();
        app.MapGrpcService<StatisticsGrpcService>();
        app.MapGrpcService<MonevGrpcService>();
        app.MapGrpcHealthChecksService();
        // For load balancers that do not speak grpc.health.v1: the same checks, over plain HTTP, without credentials.
        app.MapHealthChecks(HealthPaths.Live, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(HealthPaths.Ready);
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
        // Started by systemd (Type=notify): READY=1 once the gateway listens, which is once it is ready;
        // STOPPING=1 when it drains. Elsewhere this changes nothing.
        builder.Host.UseSystemd();
        var underSystemd = SystemdHelpers.IsSystemdService();
        var logging = builder.Configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new LoggingOptions();
        if (logging.Json ?? !underSystemd)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else if (underSystemd)
        {
            // "<4>Category[event] message": the journal records each entry at its level (journalctl -p warning).
            builder.Logging.AddSystemdConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
    }
}
