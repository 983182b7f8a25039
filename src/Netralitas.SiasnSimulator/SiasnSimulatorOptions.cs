using Netralitas.Adapters.Siasn;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Netralitas.Simulator;

/// <summary>The simulator's credentials, token lifetime and initial faults (configuration section <c>Simulator</c> when standalone).</summary>
public sealed class SiasnSimulatorOptions
{
    public string ConsumerKey { get; set; } = "netralitas-dev";
    public string ConsumerSecret { get; set; } = "netralitas-dev-secret";
    public string SsoClientId { get; set; } = "netralitas";
    public string SsoUsername { get; set; } = "netralitas";
    public string SsoPassword { get; set; } = "netralitas-dev-password";

    /// <summary>The <c>expires_in</c> of both tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public SimulatorFaults Faults { get; set; } = new();
}

/// <summary>The misbehaviour the simulator puts on: replaced as a whole, never changed in place.</summary>
public sealed record SimulatorFaults
{
    /// <summary>Added to every API call (not token or admin calls).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>The fraction, 0 to 1, of API calls answered HTTP 500.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Until then every API and token call answers HTTP 503.</summary>
    public DateTimeOffset? OutageUntil { get; init; }

    /// <summary>When set, 503 and 429 answers carry <c>Retry-After</c> with this many seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>When above 0, every n-th authenticated API call is delayed by <see cref="SlowDelay"/>.</summary>
    public int SlowEvery { get; init; }

    public TimeSpan SlowDelay { get; init; }

    /// <summary>Writes for these NIPs answer HTTP 200 <c>success: false</c> and change nothing.</summary>
    [JsonConverter(typeof(StringSetConverter))]
    public IReadOnlySet<string> RejectWritesForNips { get; init; } = new HashSet<string>();

    /// <summary>SIASN knows no record for these NIPs: data-utama answers 404.</summary>
    [JsonConverter(typeof(StringSetConverter))]
    public IReadOnlySet<string> UnknownNips { get; init; } = new HashSet<string>();

    /// <summary>What makes these faults impossible, or null.</summary>
    internal string? Problem() =>
        ErrorRate is < 0 or > 1 or double.NaN ? "errorRate must be between 0 and 1"
        : Latency < TimeSpan.Zero || SlowDelay < TimeSpan.Zero ? "latency and slowDelay must not be negative"
        : SlowEvery < 0 ? "slowEvery must not be negative"
        : RetryAfterSeconds < 0 ? "retryAfterSeconds must not be negative"
        : RejectWritesForNips is null || UnknownNips is null ? "rejectWritesForNips and unknownNips must be lists, not null"
        : null;
}

/// <summary>System.Text.Json writes an <see cref="IReadOnlySet{T}"/> but cannot create one.</summary>
internal sealed class StringSetConverter : JsonConverter<IReadOnlySet<string>>
{
    public override IReadOnlySet<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<HashSet<string>>(ref reader, options);

    public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Order(StringComparer.Ordinal), options);
}
