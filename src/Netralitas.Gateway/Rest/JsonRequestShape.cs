using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Netralitas.Domain;

namespace Netralitas.Gateway.Rest;

/// <summary>
/// Checks a REST request's JSON body and query parameters against the proto3 JSON shape of its
/// request message: every name is a field (its JSON name or its proto name), every value has the
/// field's type, every enum name is one of the enum's. It answers the violations, each naming the
/// field as the client wrote it (<c>case.actDate.month</c>, <c>nips[3]</c>), or where malformed JSON
/// breaks off (line and column). The transcoder itself ignores unknown fields and answers any other
/// fault with one message that names nothing.
/// </summary>
internal static class JsonRequestShape
{
    private const int MaxViolations = 20;

    /// <summary>Checks a body that holds <paramref name="message"/>; violations are named from <paramref name="path"/> on.</summary>
    public static void CheckBody(ReadOnlySpan<byte> json, MessageDescriptor message, string path, List<FieldViolation> violations)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read())
            {
                violations.Add(new FieldViolation("body", "is empty; send a JSON object"));
                return;
            }
            CheckMessage(ref reader, message, path, violations);
            reader.Read(); // throws at anything after the object
        }
        catch (JsonException e)
        {
            violations.Add(new FieldViolation(string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.'),
                $"malformed JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}"));
        }
    }

    /// <summary>A query parameter names a field by its dotted path (<c>filter.electionId</c>); its value is that field's.</summary>
    public static void CheckQueryParameter(string key, IEnumerable<string?> values, MessageDescriptor message, List<FieldViolation> violations)
    {
        var field = default(FieldDescriptor);
        var current = message;
        foreach (var part in key.Split('.'))
        {
            field = current is null ? null : FieldOf(current, part);
            if (field is null)
            {
                violations.Add(new FieldViolation(key, $"is not a field of {message.FullName}"));
                return;
            }
            current = field.FieldType == FieldType.Message ? field.MessageType : null;
        }
        if (field!.FieldType == FieldType.Message && !IsStringLike(field.MessageType))
        {
            violations.Add(new FieldViolation(key, "is a message; give its fields as parameters, e.g. " + key + "." + field.MessageType.Fields.InDeclarationOrder()[0].JsonName));
            return;
        }
        foreach (var value in values)
        {
            if (ScalarProblem(field, value ?? "", quoted: true) is { } problem)
            {
                violations.Add(new FieldViolation(key, problem));
            }
        }
    }

    private static void CheckMessage(ref Utf8JsonReader reader, MessageDescriptor message, string path, List<FieldViolation> violations)
    {
        if (IsStringLike(message))
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                if (StringOf(ref reader, path, violations) is { } text && WellKnownProblem(message, text) is { } problem)
                {
                    Add(violations, path.Length == 0 ? "body" : path, problem);
                }
                return;
            }
            Expect(ref reader, false, path, $"must be a string ({message.FullName} in proto3 JSON)", violations);
            return;
        }
        if (IsFree(message))
        {
            reader.Skip();
            return;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            Expect(ref reader, false, path, $"must be a JSON object ({message.Name})", violations);
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = StringOf(ref reader, path, violations);
            reader.Read();
            if (name is null)
            {
                reader.Skip();
                continue;
            }
            var fieldPath = path.Length == 0 ? name : path + "." + name;
            var field = FieldOf(message, name);
            if (field is null)
            {
                Add(violations, fieldPath, $"is not a field of {message.FullName}");
                reader.Skip();
            }
            else
            {
                CheckField(ref reader, field, fieldPath, violations);
            }
        }
    }

    private static void CheckField(ref Utf8JsonReader reader, FieldDescriptor field, string path, List<FieldViolation> violations)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return; // proto3 JSON: null is the field's default
        }
        if (field.IsMap)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Expect(ref reader, false, path, "must be a JSON object (a map)", violations);
                return;
            }
            var value = field.MessageType.FindFieldByNumber(2);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = StringOf(ref reader, path, violations);
                reader.Read();
                if (key is null)
                {
                    reader.Skip();
                    continue;
                }
                CheckSingle(ref reader, value, $"{path}[{key}]", violations);
            }
            return;
        }
        if (field.IsRepeated)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                Expect(ref reader, false, path, "must be a JSON array", violations);
                return;
            }
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                CheckSingle(ref reader, field, $"{path}[{index++}]", violations);
            }
            return;
        }
        CheckSingle(ref reader, field, path, violations);
    }

    private static void CheckSingle(ref Utf8JsonReader reader, FieldDescriptor field, string path, List<FieldViolation> violations)
    {
        if (field.FieldType == FieldType.Message)
        {
            CheckMessage(ref reader, field.MessageType, path, violations);
            return;
        }
        var problem = reader.TokenType switch
        {
            JsonTokenType.String => StringOf(ref reader, path, violations) is { } text ? ScalarProblem(field, text, quoted: true) : null,
            JsonTokenType.Number => ScalarProblem(field, Raw(ref reader), quoted: false),
            JsonTokenType.True or JsonTokenType.False => field.FieldType == FieldType.Bool ? null : $"must be {Expected(field)}, not a boolean",
            JsonTokenType.Null => null,
            _ => $"must be {Expected(field)}",
        };
        if (problem is not null)
        {
            Add(violations, path, problem);
        }
        reader.Skip();
    }

    /// <summary>
    /// The string at the reader, or null (a violation added) when it escapes half of a surrogate
    /// pair (<c>"\ud800"</c>), which System.Text.Json reads as no string at all.
    /// </summary>
    private static string? StringOf(ref Utf8JsonReader reader, string path, List<FieldViolation> violations)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            Add(violations, path.Length == 0 ? "body" : path, "holds a string that is not valid Unicode (an unpaired surrogate escape)");
            return null;
        }
    }

    /// <summary>Why <paramref name="text"/> is not a value of the field (as proto3 JSON reads it), or null.</summary>
    private static string? ScalarProblem(FieldDescriptor field, string text, bool quoted) => field.FieldType switch
    {
        FieldType.String => quoted ? null : "must be a string",
        FieldType.Bytes => quoted ? null : "must be a base64 string",
        FieldType.Bool => text is "true" or "false" ? null : "must be true or false",
        FieldType.Enum => EnumProblem(field.EnumType, text),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "must be a 32-bit integer",
        FieldType.UInt32 or FieldType.Fixed32 =>
            uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : "must be a 32-bit unsigned integer",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "must be a 64-bit integer",
        FieldType.UInt64 or FieldType.Fixed64 =>
            ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : "must be a 64-bit unsigned integer",
        FieldType.Double or FieldType.Float =>
            text is "NaN" or "Infinity" or "-Infinity" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? null : "must be a number",
        FieldType.Message => IsStringLike(field.MessageType) ? WellKnownProblem(field.MessageType, text) : $"must be {Expected(field)}",
        _ => null,
    };

    private static string? EnumProblem(EnumDescriptor type, string text)
    {
        if (type.FindValueByName(text) is not null || int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }
        var names = type.Values.Select(v => v.Name).ToArray();
        return $"'{text}' is not a value of {type.FullName}: one of {string.Join(", ", names.Take(12))}{(names.Length > 12 ? ", …" : "")}";
    }

    private static string Expected(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String or FieldType.Bytes => "a string",
        FieldType.Bool => "true or false",
        FieldType.Enum => $"a name of {field.EnumType.FullName}",
        FieldType.Message => $"a JSON object ({field.MessageType.Name})",
        _ => "a number",
    };

    /// <summary>Finds a field by its JSON name or its proto name, as proto3 JSON parsers accept both.</summary>
    private static FieldDescriptor? FieldOf(MessageDescriptor message, string name) =>
        message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name || f.Name == name);

    /// <summary>Why <paramref name="text"/> is not a value of a well-known type written as a string, as protobuf's own JSON parser reads it; or null.</summary>
    private static string? WellKnownProblem(MessageDescriptor type, string text)
    {
        try
        {
            JsonParser.Default.Parse(JsonSerializer.Serialize(text), type);
            return null;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            return type.FullName switch
            {
                "google.protobuf.Timestamp" => "must be an RFC 3339 time, such as 2024-10-03T00:00:00Z",
                "google.protobuf.Duration" => "must be a duration in seconds, such as 1.5s",
                _ => $"is not a {type.FullName} in proto3 JSON",
            };
        }
    }

    /// <summary>Well-known types that proto3 JSON writes as a string.</summary>
    private static bool IsStringLike(MessageDescriptor message) => message.FullName is
        "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask";

    /// <summary>Well-known types whose JSON is any value (checked by the transcoder itself).</summary>
    private static bool IsFree(MessageDescriptor message) => message.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal)
        && message.FullName is "google.protobuf.Struct" or "google.protobuf.Value" or "google.protobuf.ListValue" or "google.protobuf.Any"
            or "google.protobuf.Int32Value" or "google.protobuf.Int64Value" or "google.protobuf.UInt32Value" or "google.protobuf.UInt64Value"
            or "google.protobuf.StringValue" or "google.protobuf.BytesValue" or "google.protobuf.BoolValue"
            or "google.protobuf.FloatValue" or "google.protobuf.DoubleValue";

    private static void Expect(ref Utf8JsonReader reader, bool holds, string path, string problem, List<FieldViolation> violations)
    {
        if (!holds)
        {
            Add(violations, path.Length == 0 ? "body" : path, problem);
        }
        reader.Skip();
    }

    private static void Add(List<FieldViolation> violations, string path, string problem)
    {
        if (violations.Count < MaxViolations)
        {
            violations.Add(new FieldViolation(path, problem));
        }
    }

    private static string Raw(ref Utf8JsonReader reader) => System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
}
