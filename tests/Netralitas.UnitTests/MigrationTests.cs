using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Netralitas.Data;

namespace Netralitas.UnitTests;

/// <summary>
/// Each provider keeps its own migrations. The model may not change without a migration for every
/// one of them, SQL Server included, which no test here can run against: a new table or column
/// cannot ship without its SQL Server migration. No database is opened.
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Providers() => [nameof(DatabaseProvider.Sqlite), nameof(DatabaseProvider.PostgreSql), nameof(DatabaseProvider.SqlServer)];

    [Theory]
    [MemberData(nameof(Providers))]
    public void TheModelHasNoChangesWithoutAMigration(string provider)
    {
        using var db = Create(Enum.Parse<DatabaseProvider>(provider));
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes that no {provider} migration holds: add one (see README, Database).");
    }

    private static NetralitasDbContext Create(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => ((IDesignTimeDbContextFactory<SqliteNetralitasDbContext>)new SqliteDesignTimeFactory()).CreateDbContext([]),
        DatabaseProvider.PostgreSql => ((IDesignTimeDbContextFactory<PostgresNetralitasDbContext>)new PostgresDesignTimeFactory()).CreateDbContext([]),
        DatabaseProvider.SqlServer => ((IDesignTimeDbContextFactory<SqlServerNetralitasDbContext>)new SqlServerDesignTimeFactory()).CreateDbContext([]),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}
