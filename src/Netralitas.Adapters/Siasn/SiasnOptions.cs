namespace Netralitas.Adapters.Siasn;

/// <summary>Where the gateway's SIASN commands and reads go.</summary>
public enum SiasnMode
{
    /// <summary>No SIASN: the relay and the personnel sync stay idle; outbox commands wait as PENDING.</summary>
    Off,
    /// <summary>BKN's SIASN (or any server speaking its contract, such as the development host's simulator) at the configured addresses.</summary>
    Remote,
}

/// <summary>Configuration section <c>Netralitas:Siasn</c>.</summary>
public sealed class SiasnOptions
{
    public const string Section = "Netralitas:Siasn";

    public SiasnMode Mode { get; set; } = SiasnMode.Off;

    /// <summary>The API root, e.g. <c>https://apimws.bkn.go.id:8243/apisiasn/1.0/</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API gateway's token endpoint (client credentials, HTTP Basic), e.g. <c>https://apimws.bkn.go.id:8243/oauth2/token</c>.</summary>
    public Uri? GatewayTokenUrl { get; set; }

    /// <summary>The SSO (Keycloak) token endpoint (password grant).</summary>
    public Uri? SsoTokenUrl { get; set; }

    public string ConsumerKey { get; set; } = "";
    public string ConsumerSecret { get; set; } = "";
    public string SsoClientId { get; set; } = "";
    public string SsoUsername { get; set; } = "";
    public string SsoPassword { get; set; } = "";

    /// <summary>A token is renewed this long before it expires (at most half its lifetime).</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Assumption: SIASN publishes no block endpoint. The path (relative to BaseAddress) and body of the block command.</summary>
    public string BlockPath { get; set; } = "pns/blokir";

    /// <summary>The path of the release command; it takes the same body as the block.</summary>
    public string ReleasePath { get; set; } = "pns/buka-blokir";

    /// <summary>
    /// The JSON body of a block or release; the markers <c>{nip}</c>, <c>{reference}</c> and
    /// <c>{reason}</c> are each replaced by a JSON-escaped string, without quotes.
    /// </summary>
    public string BlockBodyTemplate { get; set; } = """{"nipBaru":"{nip}","referensi":"{reference}","alasan":"{reason}"}""";

    /// <summary>Assumption: SIASN's reference ids for the level of a sanction (jenisTingkatHukumanId), by our level name.</summary>
    public Dictionary<string, string> SanctionLevelIds { get; set; } = new()
    {
        ["HdRingan"] = "R",
        ["HdSedang"] = "S",
        ["HdBerat"] = "B",
        ["Ptdh"] = "B",
    };

    public bool IsConfigured => Mode != SiasnMode.Off;

    /// <summary>What is missing for Remote mode, or null.</summary>
    public string? Problem()
    {
        if (Mode != SiasnMode.Remote)
        {
            return null;
        }
        var missing = new List<string>();
        if (BaseAddress is null) missing.Add(nameof(BaseAddress));
        if (GatewayTokenUrl is null) missing.Add(nameof(GatewayTokenUrl));
        if (SsoTokenUrl is null) missing.Add(nameof(SsoTokenUrl));
        if (ConsumerKey.Length == 0) missing.Add(nameof(ConsumerKey));
        if (ConsumerSecret.Length == 0) missing.Add(nameof(ConsumerSecret));
        if (SsoUsername.Length == 0) missing.Add(nameof(SsoUsername));
        return missing.Count == 0 ? null : $"{Section}: Mode is Remote but {string.Join(", ", missing)} not set";
    }
}
