using Netralitas.Domain;
using Netralitas.Domain.Cases;

namespace Netralitas.Domain.Audit;

/// <summary>A timestamp as the API carries it (google.protobuf.Timestamp), before it is checked.</summary>
public readonly record struct InstantParts(long Seconds, int Nanos);

public sealed record AuditListRequest(
    string Nip, string CallerId, string Method, InstantParts? StartTime, InstantParts? EndTime, int PageSize, string PageToken);

/// <summary>An entry as listed: its NIPs in the order given, or null for a bulk entry (see its digest and count).</summary>
public sealed record ListedAuditEntry(AuditEntry Entry, IReadOnlyList<string>? Nips);

/// <summary>
/// "Who asked about NIP X, what did caller Y do, what happened between these times": entries in
/// sequence order, keyset-paged. A NIP filter is an index look-up for entries that keep their NIPs as
/// rows, and a binary search in the blob of each bulk entry in the range (auditors' queries are rare;
/// the bulk entries are the large calls only).
/// </summary>
public sealed class AuditQueries(IAuditStore store)
{
    /// <summary>A page stops early once its entries carry this many NIPs, to stay well under the response size limit.</summary>
    public const int MaxNipsPerPage = 100_000;

    public async Task<(IReadOnlyList<ListedAuditEntry> Entries, string NextPageToken)> ListAsync(
        AuditListRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Nip.Length > 0 && !Nip.TryParse(request.Nip, out _, out var nipError))
        {
            errors.Add("nip", nipError);
        }
        var callerId = Text.Optional(request.CallerId, "caller_id", AuditEntry.MaxCallerIdLength, errors);
        var method = Text.Optional(request.Method, "method", AuditEntry.MaxMethodLength, errors);
        var (start, end) = AuditTime.Range(request.StartTime, request.EndTime, errors);
        Paging.CheckSize(request.PageSize, errors);
        errors.ThrowIfAny();

        var filter = new AuditFilter(request.Nip.Length > 0 ? request.Nip : null, callerId, method, start, end);
        var filters = $"audit\n{filter.Nip}\n{callerId}\n{method}\n{start?.Ticks}\n{end?.Ticks}";
        var after = PageToken.DecodeSequence(request.PageToken, filters);
        var size = Paging.SizeOf(request.PageSize);
        var fetched = await FetchAsync(filter, after, size + 1, cancellationToken);
        var page = WithinNipBudget(fetched.Take(size));
        var next = page.Count < fetched.Count ? PageToken.EncodeSequence(page[^1].Sequence, filters) : "";

        var nips = await store.ReadIndexedNipsAsync(page.Where(e => !e.Bulk).Select(e => e.Sequence).ToArray(), cancellationToken);
        return (page.Select(e => new ListedAuditEntry(e, e.Bulk ? null : nips.GetValueOrDefault(e.Sequence) ?? [])).ToArray(), next);
    }

    private async Task<IReadOnlyList<AuditEntry>> FetchAsync(AuditFilter filter, long after, int limit, CancellationToken cancellationToken)
    {
        var indexed = await store.ListAsync(filter, after, long.MaxValue, limit, cancellationToken);
        if (filter.Nip is not { } nip)
        {
            return indexed;
        }
        // Bulk entries after the last indexed match cannot make this page. The blobs are searched
        // first (the bulk table holds only the large calls) and the other filters applied to the
        // few that hold the NIP; without other filters the first matches are enough.
        var before = indexed.Count == limit ? indexed[^1].Sequence : long.MaxValue;
        var narrowed = filter.CallerId is not null || filter.Method is not null || filter.Start is not null || filter.End is not null;
        var holding = new List<long>();
        await foreach (var (sequence, blob) in store.ReadBulkNipsAsync(after, before, cancellationToken))
        {
            if (BulkNipSet.Contains(blob, nip))
            {
                holding.Add(sequence);
                if (!narrowed && holding.Count == limit)
                {
                    break;
                }
            }
        }
        var bulk = await store.GetAsync(holding, filter, cancellationToken);
        return indexed.Concat(bulk).OrderBy(e => e.Sequence).Take(limit).ToArray();
    }

    private static List<AuditEntry> WithinNipBudget(IEnumerable<AuditEntry> entries)
    {
        var page = new List<AuditEntry>();
        var nips = 0L;
        foreach (var entry in entries)
        {
            var listed = entry.Bulk ? 0 : entry.NipCount;
            if (page.Count > 0 && nips + listed > MaxNipsPerPage)
            {
                break;
            }
            page.Add(entry);
            nips += listed;
        }
        return page;
    }
}

/// <summary>Checks the API's timestamps: a time range is [start, end).</summary>
internal static class AuditTime
{
    // google.protobuf.Timestamp's own range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    public static (DateTime? Start, DateTime? End) Range(InstantParts? start, InstantParts? end, ValidationErrors errors)
    {
        var from = Checked(start, "start_time", errors);
        var to = Checked(end, "end_time", errors);
        if (from is { } f && to is { } t && t <= f)
        {
            errors.Add("end_time", "must be after start_time");
        }
        return (from, to);
    }

    private static DateTime? Checked(InstantParts? parts, string field, ValidationErrors errors)
    {
        if (parts is not { } p)
        {
            return null;
        }
        if (p.Seconds is < MinSeconds or > MaxSeconds || p.Nanos is < 0 or > 999_999_999)
        {
            errors.Add(field, "is not a valid timestamp (seconds from 0001-01-01 to 9999-12-31, nanos 0 to 999,999,999)");
            return null;
        }
        // Entries are stored to the microsecond, so a bound rounded up to the next one selects the
        // same entries as the exact bound would.
        var ticks = (p.Seconds - MinSeconds) * TimeSpan.TicksPerSecond + (p.Nanos + 999L) / 1000 * 10;
        return new DateTime(Math.Min(ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc);
    }
}
