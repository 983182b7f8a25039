using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Netralitas.Gateway.Domain.Cases;

namespace Netralitas.Gateway.Data;

public static class DatabaseRegistration
{
    /// <summary>Registers the DbContext of the configured provider as <see cref="NetralitasDbContext"/>, and the repositories.</summary>
    public static IServiceCollection AddNetralitasDatabase(this IServiceCollection services, DatabaseOptions options)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = options.SqliteConnectionString();
                services.AddDbContext<NetralitasDbContext, SqliteNetralitasDbContext>(o => o.UseSqlite(sqlite));
                break;
            case DatabaseProvider.PostgreSql:
                var postgres = Required(options);
                services.AddDbContext<NetralitasDbContext, PostgresNetralitasDbContext>(o => o.UseNpgsql(postgres));
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = Required(options);
                services.AddDbContext<NetralitasDbContext, SqlServerNetralitasDbContext>(o => o.UseSqlServer(sqlServer));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{options.Provider}'.");
        }
        services.AddScoped<ICaseRepository, CaseRepository>();
        return services;
    }

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
