using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Netralitas.Domain.Audit;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Personnel;

namespace Netralitas.Data;

public static class DatabaseRegistration
{
    /// <summary>
    /// Registers the DbContext of the configured provider as <see cref="NetralitasDbContext"/>, the
    /// repositories and stores the domain's ports name, and the audit trail's appender and store.
    /// </summary>
    /// <remarks>
    /// The provider decides which DbContext type is registered, so <c>Netralitas:Database</c> is read
    /// (typed) here, before the container exists; it is also registered as options for whoever reads it later.
    /// </remarks>
    public static IServiceCollection AddNetralitasDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = options.SqliteConnectionString();
                services.AddDbContext<NetralitasDbContext, SqliteNetralitasDbContext>(o => Common(o).UseSqlite(sqlite));
                break;
            case DatabaseProvider.PostgreSql:
                var postgres = Required(options);
                services.AddDbContext<NetralitasDbContext, PostgresNetralitasDbContext>(o => Common(o).UseNpgsql(postgres));
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = Required(options);
                services.AddDbContext<NetralitasDbContext, SqlServerNetralitasDbContext>(o => Common(o).UseSqlServer(sqlServer));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{options.Provider}'.");
        }
        services.AddScoped<ICaseRepository, CaseRepository>();
        services.AddScoped<Domain.Recommendations.IRecommendationRepository, RecommendationRepository>();
        services.AddScoped<Domain.Escalation.IEscalationRecords, EscalationRecords>();
        services.AddScoped<Domain.Calendar.ICalendarStore, CalendarStore>();
        services.AddScoped<IPersonnelStore, PersonnelStore>();
        services.AddScoped<Domain.Statistics.IStatisticsStore, StatisticsStore>();
        services.AddScoped<Domain.Monev.IMonevStore, MonevStore>();
        services.AddScoped<IOutboxQueue, OutboxQueue>();
        services.AddSingleton(AuditAppenders.Create);
        services.AddScoped<IAuditStore, AuditStore>();
        return services;
    }

    /// <summary>
    /// EF Core logs every failed connection, command and save at Error level, including the ones the
    /// gateway expects and answers: the database not created yet on a first start, the database not
    /// up yet while starting (the initializer logs a warning and retries), a concurrent repeat of a
    /// request id, a concurrent decision. Those are logged at Debug here; a failure nobody expected
    /// reaches the gRPC layer or the health check, which log it as an error.
    /// </summary>
    private static DbContextOptionsBuilder Common(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.OptimisticConcurrencyException, LogLevel.Debug)));

    private static string Required(DatabaseOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? throw new InvalidOperationException(
                $"{DatabaseOptions.Section}:ConnectionString is required for the {options.Provider} provider.")
            : options.ConnectionString;
}

// Used by `dotnet ef migrations add` only: a connection string is needed to build the model,
// never to connect.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNetralitasDbContext>
{
    public SqliteNetralitasDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteNetralitasDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNetralitasDbContext>
{
    public PostgresNetralitasDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNetralitasDbContext>().UseNpgsql("Host=localhost").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerNetralitasDbContext>
{
    public SqlServerNetralitasDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerNetralitasDbContext>().UseSqlServer("Server=localhost").Options);
}
