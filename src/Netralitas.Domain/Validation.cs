using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Netralitas.Domain.Cases;

namespace Netralitas.Domain;

// The request checks every command shares: free text, business dates, request ids.

/// <summary>Shared checks for free-text fields: trimmed, length-bounded, no control characters.</summary>
public static class Text
{
    /// <summary>Checks a filter value: optional, bounded, printable.</summary>
    public static void Filter(string value, string field, int maxLength, ValidationErrors errors) =>
        Optional(value, field, maxLength, errors);

    public static string? Required(string? value, string field, int maxLength, ValidationErrors errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add(field, "is required");
            return null;
        }
        return Checked(trimmed, field, maxLength, errors);
    }

    public static string? Optional(string? value, string field, int maxLength, ValidationErrors errors)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : Checked(trimmed, field, maxLength, errors);
    }

    public static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static string? Checked(string value, string field, int maxLength, ValidationErrors errors)
    {
        if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters, got {value.Length}");
            return null;
        }
        if (value.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            errors.Add(field, "must not contain control characters or invisible formatting characters (such as U+200B, U+202E)");
            return null;
        }
        return value;
    }
}

/// <summary>Shared checks for business dates.</summary>
public static class Dates
{
    /// <summary>An optional "as of" business date: real, or today when unset.</summary>
    public static DateOnly OrToday(DateParts? parts, string field, DateOnly today, ValidationErrors errors)
    {
        if (parts is not { } given)
        {
            return today;
        }
        if (given.TryToDate(out var day))
        {
            return day;
        }
        errors.Add(field, $"{given} is not a real date");
        return today;
    }

    /// <summary>A required business date that is real and not after today.</summary>
    public static DateOnly? PastOrToday(DateParts? parts, string field, DateOnly today, ValidationErrors errors)
    {
        if (parts is null)
        {
            errors.Add(field, "is required");
            return null;
        }
        if (!parts.Value.TryToDate(out var date))
        {
            errors.Add(field, $"{parts.Value} is not a real date");
            return null;
        }
        if (date > today)
        {
            errors.Add(field, $"{date:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd})");
            return null;
        }
        return date;
    }
}

/// <summary>Idempotency: request ids (AIP-155) and the fingerprint of the request they were first used for.</summary>
public static class RequestIds
{
    /// <summary>
    /// The digest kept with a request id, over the request's validated fields. Validated text holds
    /// no control characters, so the separators cannot be forged.
    /// </summary>
    public static string Fingerprint(params string[] fields) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', fields))));

    /// <summary>
    /// A repeated request id: the earlier answer when the request is the same (same fingerprint),
    /// else INVALID_ARGUMENT on <c>request_id</c> with <paramref name="refusal"/>.
    /// </summary>
    public static T SameRequestOrThrow<T>(T earlier, string? earlierFingerprint, string? fingerprint, string refusal) =>
        earlierFingerprint == fingerprint ? earlier : throw new InvalidRequestException("request_id", refusal);

    /// <summary>AIP-155: a request id, when given, is a UUID.</summary>
    public static string? Optional(string? value, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (!Guid.TryParseExact(value, "D", out var id))
        {
            errors.Add("request_id", "must be a UUID such as 3f2b8c1e-6d4a-4b7e-9c1f-2a5d8e7b6c40");
            return null;
        }
        return id.ToString("D");
    }
}

/// <summary>Codes that must name an entry of the reference catalog: the same check and wording everywhere.</summary>
public static class CatalogCodes
{
    public static void Election(ReferenceCatalog catalog, string id, string field, bool required, ValidationErrors errors) =>
        Check(id, field, required, () => catalog.FindElection(id) is not null, "is not a known election; see the election catalog", errors);

    public static void Province(ReferenceCatalog catalog, string code, string field, bool required, ValidationErrors errors) =>
        Check(code, field, required, () => catalog.FindProvince(code) is not null, "is not a known province code; see the province catalog", errors);

    private static void Check(string value, string field, bool required, Func<bool> known, string unknown, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(field, "is required");
            }
        }
        else if (!known())
        {
            errors.Add(field, $"'{Text.Shorten(value)}' {unknown}");
        }
    }
}
