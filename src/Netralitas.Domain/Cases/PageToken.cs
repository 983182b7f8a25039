using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Netralitas.Domain.Cases;

/// <summary>
/// The opaque page token of the List methods (AIP-158): the last id served and a digest of the
/// filters, so that a token cannot be replayed with other filters. <paramref name="filters"/> is any
/// text that differs whenever the filters differ.
/// </summary>
public static class PageToken
{
    public static string Encode(string lastId, string filters) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{lastId}|{FilterDigest(filters)}"));

    public static string Encode(string lastId, CaseFilter filter) => Encode(lastId, FiltersOf(filter));

    public static string? Decode(string token, CaseFilter filter) => Decode(token, FiltersOf(filter));

    /// <summary>The id to continue after, or null for the first page.</summary>
    public static string? Decode(string token, string filters)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
        }
        catch (FormatException)
        {
            throw new InvalidRequestException("page_token", "is not a token this service issued");
        }
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "D", out _))
        {
            throw new InvalidRequestException("page_token", "is not a token this service issued");
        }
        if (parts[1] != FilterDigest(filters))
        {
            throw new InvalidRequestException("page_token", "was issued for other filters; send the same filters as the first page");
        }
        return parts[0];
    }

    /// <summary>A token for a list keyed by a sequence number (the audit trail): the last sequence served.</summary>
    public static string EncodeSequence(long lastSequence, string filters) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"#{lastSequence.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{FilterDigest(filters)}"));

    /// <summary>The sequence to continue after; 0 for the first page.</summary>
    public static long DecodeSequence(string token, string filters)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }
        var parts = Split(token);
        if (parts.Length != 2 || !parts[0].StartsWith('#')
            || !long.TryParse(parts[0].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence))
        {
            throw new InvalidRequestException("page_token", "is not a token this service issued");
        }
        if (parts[1] != FilterDigest(filters))
        {
            throw new InvalidRequestException("page_token", "was issued for other filters; send the same filters as the first page");
        }
        return sequence;
    }

    private static string[] Split(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
        }
        catch (FormatException)
        {
            throw new InvalidRequestException("page_token", "is not a token this service issued");
        }
    }

    /// <summary>A token for a ranked list that has no stable key: the position to continue from.</summary>
    public static string EncodeOffset(int offset, string filters) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"@{offset}|{FilterDigest(filters)}"));

    /// <summary>The position to continue from; 0 for the first page.</summary>
    public static int DecodeOffset(string token, string filters)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
        }
        catch (FormatException)
        {
            throw new InvalidRequestException("page_token", "is not a token this service issued");
        }
        if (parts.Length != 2 || !parts[0].StartsWith('@') || !int.TryParse(parts[0].AsSpan(1), out var offset) || offset < 0)
        {
            throw new InvalidRequestException("page_token", "is not a token this service issued");
        }
        if (parts[1] != FilterDigest(filters))
        {
            throw new InvalidRequestException("page_token", "was issued for other filters; send the same filters as the first page");
        }
        return offset;
    }

    private static string FiltersOf(CaseFilter filter) =>
        $"{filter.Nip}\n{filter.InstansiCode}\n{(int)filter.Status}\n{filter.ElectionId}\n{filter.ProvinceCode}";

    private static string FilterDigest(string filters) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(filters)))[..16];
}
