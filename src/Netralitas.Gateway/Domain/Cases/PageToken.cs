using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Netralitas.Gateway.Domain.Cases;

/// <summary>
/// The opaque page token of ListCases (AIP-158): the last id served and a digest of the filters,
/// so that a token cannot be replayed with other filters.
/// </summary>
public static class PageToken
{
    public static string Encode(string lastId, CaseFilter filter) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{lastId}|{FilterDigest(filter)}"));

    /// <summary>The id to continue after, or null for the first page.</summary>
    public static string? Decode(string token, CaseFilter filter)
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
        if (parts[1] != FilterDigest(filter))
        {
            throw new InvalidRequestException("page_token", "was issued for other filters; send the same filters as the first page");
        }
        return parts[0];
    }

    private static string FilterDigest(CaseFilter filter)
    {
        var text = $"{filter.Nip}\n{filter.InstansiCode}\n{(int)filter.Status}\n{filter.ElectionId}\n{filter.ProvinceCode}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
