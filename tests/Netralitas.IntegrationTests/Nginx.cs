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

    /// <summary>
    /// Starts nginx in front of replicas listening for gRPC on <paramref name="grpcPorts"/> and REST on
    /// <paramref name="restPorts"/>, connecting to them from <paramref name="proxyAddress"/> (a loopback
    /// address the replicas trust), with the TLS files of <paramref name="tls"/>.
    /// </summary>
    public static async Task<Nginx> StartAsync(NginxTls tls, string proxyAddress, IReadOnlyList<int> grpcPorts, IReadOnlyList<int> restPorts)
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
        site = ReplaceUpstream(site, GrpcServers(), grpcPorts);
        site = ReplaceUpstream(site, RestServers(), restPorts);
        site = Replace(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{port} ssl http2;");
        site = Replace(site, "/etc/netralitas/tls/proxy.crt", tls.CertificatePath);
        site = Replace(site, "/etc/netralitas/tls/proxy.key", tls.KeyPath);
        site = Replace(site, "/etc/netralitas/tls/clients-ca.crt", tls.ClientCaPath);
        site = Replace(site, " 10.20.0.5;", $" {proxyAddress};");
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

    private static string ReplaceUpstream(string site, Regex exampleServers, IReadOnlyList<int> ports)
    {
        var servers = string.Concat(ports.Select(p => $"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"));
        Assert.True(exampleServers.IsMatch(site), $"deploy/nginx/netralitas.conf has no example upstream lines matching {exampleServers}");
        site = exampleServers.Replace(site, servers, 1);
        return exampleServers.Replace(site, "");
    }

    /// <summary>Replaces what the test must change, failing when the reference file no longer says it.</summary>
    private static string Replace(string site, string example, string replacement)
    {
        Assert.Contains(example, site, StringComparison.Ordinal);
        return site.Replace(example, replacement, StringComparison.Ordinal);
    }

    // The example replicas' lines of the upstream blocks.
    [GeneratedRegex(@"^    server \S+:5080[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex GrpcServers();

    [GeneratedRegex(@"^    server \S+:5081[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex RestServers();
}

/// <summary>The files nginx terminates TLS with.</summary>
/// <param name="CertificatePath">nginx's server certificate (PEM).</param>
/// <param name="KeyPath">Its private key (PEM).</param>
/// <param name="ClientCaPath">The CA that issues the members' client certificates (PEM).</param>
public sealed record NginxTls(string CertificatePath, string KeyPath, string ClientCaPath);
