namespace Netralitas.Gateway;

/// <summary>Configuration section <c>Netralitas</c>: settings of the service as a whole.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Netralitas";

    /// <summary>The time zone of working days and deadlines (an IANA id).</summary>
    public string BusinessTimeZone { get; set; } = "Asia/Jakarta";

    /// <summary>How long a stop waits for calls in flight before it ends them.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// Configuration section <c>Netralitas:Logging</c>. Read before the container exists (logging is
/// set up first), like the other settings that shape the host itself.
/// </summary>
public sealed class LoggingOptions
{
    public const string Section = "Netralitas:Logging";

    /// <summary>
    /// True: one JSON object per line (for log shippers). False: one plain line per entry, in the
    /// journal's format (each level as its syslog priority) when systemd started the gateway. Unset:
    /// the journal's format under systemd, JSON everywhere else.
    /// </summary>
    public bool? Json { get; set; }
}
