using System.Text.Json;

namespace Netralitas.Domain.Audit;

/// <summary>
/// One stored entry of the trail (table <c>audit_entries</c>): a call, its place in the chain and its
/// hash (<see cref="AuditEncoding"/>). Its NIPs are in <c>audit_entry_nips</c> (one row per NIP, in
/// the order given) or, for a bulk entry, in <c>audit_bulk_nips</c> (<see cref="BulkNipSet"/>).
/// </summary>
public sealed class AuditEntry
{
    public const int MaxCallerIdLength = 200;
    public const int MaxCallerProofLength = 32;
    public const int MaxMethodLength = 200;
    public const int MaxStatusLength = 32;
    public const int MaxRequestIdLength = 100;
    public const int MaxPeerLength = 200;
    public const int MaxCaseIdLength = 100;
    public const int MaxNipLength = 64;
    public const int MaxProtocolLength = 16;

    /// <summary>A call over gRPC (every entry written before REST/JSON existed has no protocol: it was one of these).</summary>
    public const string GrpcProtocol = "grpc";

    /// <summary>A call over REST/JSON, transcoded to its gRPC method.</summary>
    public const string RestProtocol = "rest";

    private IReadOnlyList<string>? _caseIdList;

    /// <summary>Position in the chain: 1, 2, 3, … without gaps.</summary>
    public long Sequence { get; init; }

    /// <summary>UTC, to the microsecond.</summary>
    public DateTime Time { get; init; }

    public string CallerId { get; init; } = "";

    public string CallerProof { get; init; } = "";

    /// <summary>The full gRPC method, e.g. <c>/netralitas.v1.CaseService/GetCase</c>.</summary>
    public string Method { get; init; } = "";

    /// <summary>The gRPC status code's name: "OK", "PermissionDenied", ….</summary>
    public string Status { get; init; } = "";

    public string RequestId { get; init; } = "";

    public string? Peer { get; init; }

    /// <summary>How the call arrived (<see cref="GrpcProtocol"/>, <see cref="RestProtocol"/>); null in entries written before it was recorded.</summary>
    public string? Protocol { get; init; }

    /// <summary>The case ids as a JSON array of strings, the one list form every provider stores alike.</summary>
    public string CaseIds { get; init; } = "[]";

    /// <summary>How many NIPs the call gave, repeats included.</summary>
    public long NipCount { get; init; }

    public byte[] NipDigest { get; init; } = [];

    /// <summary>The NIPs are kept as a blob in <c>audit_bulk_nips</c> rather than as rows.</summary>
    public bool Bulk { get; init; }

    /// <summary>SHA-256 of the bulk blob; null unless <see cref="Bulk"/>.</summary>
    public byte[]? NipBlobDigest { get; init; }

    public byte[] PreviousHash { get; init; } = [];

    public byte[] Hash { get; private set; } = [];

    /// <summary>The case ids; null when the stored JSON is not an array of strings (someone edited it).</summary>
    public IReadOnlyList<string>? CaseIdList => _caseIdList ??= ParseCaseIds(CaseIds);

    internal static string CaseIdsJson(IReadOnlyList<string> caseIds) => JsonSerializer.Serialize(caseIds);

    internal AuditEntry WithHash(byte[] hash)
    {
        Hash = hash;
        return this;
    }

    internal AuditEntry WithCaseIdList(IReadOnlyList<string> caseIds)
    {
        _caseIdList = caseIds;
        return this;
    }

    private static string[]? ParseCaseIds(string json)
    {
        try
        {
            var ids = JsonSerializer.Deserialize<string?[]>(json);
            return ids is not null && ids.All(id => id is not null) ? ids.Select(id => id!).ToArray() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
