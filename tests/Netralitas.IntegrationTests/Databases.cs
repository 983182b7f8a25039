using Npgsql;

namespace Netralitas.IntegrationTests;

/// <summary>A database for one test class: its settings for the gateway, and how to drop it afterwards.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    IReadOnlyDictionary<string, string?> Settings { get; }
}

/// <summary>A fresh SQLite file in a temporary folder.</summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("netralitas-test-");

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Netralitas:Database:Provider"] = "Sqlite",
        ["Netralitas:Database:DataDirectory"] = _folder.FullName,
    };

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A fresh database on the PostgreSQL server named by NETRALITAS_TEST_POSTGRES (a connection string
/// to a server where the user may create databases). scripts/test.sh installs and starts one.
/// </summary>
public sealed class PostgresTestDatabase : ITestDatabase
{
    public const string ServerVariable = "NETRALITAS_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _database = $"netralitas_test_{Guid.NewGuid():N}";

    public PostgresTestDatabase()
    {
        _server = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run the tests with `bash scripts/test.sh`, which installs and starts " +
                $"a PostgreSQL server on a free loopback port, or set {ServerVariable} to a server's connection string.");
    }

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Netralitas:Database:Provider"] = "PostgreSql",
        ["Netralitas:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString,
    };

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
