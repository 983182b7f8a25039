namespace Netralitas.Data;

public enum DatabaseProvider { Sqlite, PostgreSql, SqlServer }

/// <summary>Configuration section <c>Netralitas:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Netralitas:Database";

    /// <summary>Sqlite (default), PostgreSql or SqlServer.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The provider's connection string. For SQLite it defaults to a file under <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where the embedded SQLite database lives; relative paths are relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    public string SqliteConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }
        var directory = Path.GetFullPath(DataDirectory);
        Directory.CreateDirectory(directory);
        return $"Data Source={Path.Combine(directory, "netralitas.db")};Pooling=True";
    }
}
