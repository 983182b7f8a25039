using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Netralitas.IntegrationTests;

/// <summary>
/// Debian's nginx running deploy/nginx/netralitas.conf (the file operators are given) with the test's
/// replicas as its upstream and a loopback port of its own; removed when disposed.
/// </summary>
public sealed partial class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private Nginx(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<Nginx> StartAsync(params int[] replicaPorts)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed. Run the tests with `bash scripts/test.sh`, which installs Debian's nginx.");
        var directory = Directory.CreateTempSubdirectory("netralitas-nginx-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111); // nginx's workers may run as another user
        }
        var port = GatewayProcess.FreePortBelowEphemeralRange();

        var site = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx", "netralitas.conf"));
        var servers = string.Concat(replicaPorts.Select(p => $"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"));
        site = UpstreamServers().Replace(site, servers, 1);
        site = UpstreamServers().Replace(site, "");
        site = site.Replace("listen 8080 http2;", $"listen 127.0.0.1:{port} http2;", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(directory, "netralitas.conf"), site);
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log {{directory}}/access.log;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{directory}}/netralitas.conf;
            }
            """);

        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf") })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        var nginx = new Nginx(process, directory, port);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited: {await process.StandardError.ReadToEndAsync()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return nginx;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Netralitas.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (Netralitas.sln) is not above the test binaries.");
    }

    // The example replicas' lines of the upstream block.
    [GeneratedRegex(@"^    server \S+:5080[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex UpstreamServers();
}
