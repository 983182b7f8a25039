using System.Text.Encodings.Web;
using System.Text.Json;

namespace Netralitas.Domain.Escalation;

/// <summary>
/// A block or a release: the recommendation that caused the block (<see cref="BlockReference"/>)
/// scopes it, so a release lifts only that one.
/// </summary>
public sealed record BlockPayload(string Nip, string BlockReference, string LetterNumber, string PpkInstansiCode, string? Reason);

/// <summary>A disciplinary sanction the PPK imposed, for the ASN's discipline history in SIASN.</summary>
public sealed record SanctionWriteBackPayload(
    string Nip, string Recommendation, string DecreeNumber, DateOnly DecreeDate, string Level, string? Form, string LetterNumber);

/// <summary>
/// The one JSON form of outbox payloads, written with the command and read by the relay's SIASN
/// adapter. Commands wait in the database across releases: renaming a field breaks queued ones.
/// </summary>
public static class OutboxPayloads
{
    // Readable in the database and in ListOutboxMessages: no \u escapes for non-ASCII letters.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write<T>(T payload) where T : class => JsonSerializer.Serialize(payload, Json);

    /// <summary>Throws <see cref="InvalidDataException"/> when the JSON is empty or not the payload.</summary>
    public static T Read<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException("the payload is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the payload is not a {typeof(T).Name}: {e.Message}", e);
        }
    }
}
