using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Netralitas.IntegrationTests;

/// <summary>The gateway as its own process (the build next to the tests), for tests that kill it.</summary>
public static class GatewayProcess
{
    /// <summary>Starts the gateway on <paramref name="port"/> (a free one when null); each log line goes to <paramref name="log"/>.</summary>
    /// <param name="urlsFromEnvironment">Give the address as ASPNETCORE_URLS, as container platforms do, instead of --urls.</param>
    /// <param name="environment">Development: callers on loopback need no credentials. Production: as deployed.</param>
    /// <remarks>Settings that name Kestrel:Endpoints say where it listens; <paramref name="port"/> is then unused.</remarks>
    public static Process Start(IReadOnlyDictionary<string, string?> settings, int? port = null, Action<string>? log = null,
        bool urlsFromEnvironment = false, string environment = "Development") =>
        Start(StartInfo(settings, port, urlsFromEnvironment, environment), log);

    /// <summary>How <see cref="Start(IReadOnlyDictionary{string, string?}, int?, Action{string}?, bool, string)"/> runs the gateway, for a test to change first.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> settings, int? port = null, bool urlsFromEnvironment = false,
        string environment = "Development")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Netralitas.Gateway.dll"));
        var url = $"http://127.0.0.1:{port ?? FreePort()}";
        var endpointsInSettings = settings.Keys.Any(k => k.StartsWith("Kestrel:Endpoints:", StringComparison.Ordinal));
        if (urlsFromEnvironment && !endpointsInSettings)
        {
            start.Environment["ASPNETCORE_URLS"] = url;
        }
        else if (!endpointsInSettings)
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(url);
        }
        start.ArgumentList.Add("--Netralitas:Escalation:SweepEnabled=false");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        return start;
    }

    public static Process Start(ProcessStartInfo start, Action<string>? log = null)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, line) => { if (line.Data is { } data) log?.Invoke(data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } data) log?.Invoke(data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range, for a server that is restarted on the same port:
    /// a connection attempt to an ephemeral port where nothing listens can connect to itself (TCP
    /// simultaneous open) and hold the port the server is about to bind.
    /// </summary>
    public static int FreePortBelowEphemeralRange()
    {
        var range = File.Exists("/proc/sys/net/ipv4/ip_local_port_range")
            ? File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            : [];
        var firstEphemeral = range.Length > 0 && int.TryParse(range[0], out var low) ? low : 32768;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Math.Max(1024, firstEphemeral - 12_000), firstEphemeral);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }
        throw new InvalidOperationException("No free port below the ephemeral range.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
