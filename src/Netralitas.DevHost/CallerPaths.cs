namespace Netralitas.DevHost;

/// <summary>
/// Paths typed on a command line, relative to the directory they were typed in. <c>dotnet run</c>
/// starts this web project in its own folder, but the shell's <c>PWD</c> still names the
/// caller's directory; a started executable has both the same.
/// </summary>
internal static class CallerPaths
{
    public static string Resolve(string path) =>
        Resolve(path, Environment.GetEnvironmentVariable("PWD"), Environment.CurrentDirectory);

    public static string Resolve(string path, string? shellDirectory, string currentDirectory)
    {
        var callerDirectory = shellDirectory is { Length: > 0 } && Path.IsPathFullyQualified(shellDirectory) && Directory.Exists(shellDirectory)
            ? shellDirectory
            : currentDirectory;
        return Path.GetFullPath(path, callerDirectory);
    }

    /// <summary>The path as a POSIX shell word, for commands printed to be copied.</summary>
    public static string ShellQuoted(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+:@=,".Contains(c))
            ? path
            : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
