using Netralitas.Domain;

namespace Netralitas.Domain.Audit;

/// <summary>A range by sequence (0 = from the first / to the last) or by time, not both.</summary>
public sealed record AuditVerifyRequest(long FirstSequence, long LastSequence, InstantParts? StartTime, InstantParts? EndTime);

public enum AuditProblemKind
{
    /// <summary>The entry's stored hash is not the hash of its fields, or its NIPs (rows or blob) do not match its digests.</summary>
    Altered = 1,

    /// <summary>The entry's previous hash is not the stored hash of the entry before it.</summary>
    BrokenLink = 2,

    /// <summary>Entries <see cref="AuditProblem.Sequence"/> to <see cref="AuditProblem.LastSequence"/> are not there.</summary>
    Missing = 3,

    /// <summary>The last entry is not the one the chain head recorded (an appended entry rewritten, or the head edited).</summary>
    HeadMismatch = 4,
}

/// <summary>One finding; <see cref="LastSequence"/> equals <see cref="Sequence"/> except for a run of missing entries.</summary>
public sealed record AuditProblem(AuditProblemKind Kind, long Sequence, long LastSequence, string Description);

/// <summary>
/// The outcome of a verification: the range checked (0, 0 when it held no entry), the problems found
/// (the first <see cref="AuditVerifier.MaxProblemsListed"/>, and how many in all) and the last entry's
/// hash, which an auditor can note and compare on the next verification.
/// </summary>
public sealed record AuditVerification(
    long FirstSequence, long LastSequence, long EntriesChecked, IReadOnlyList<AuditProblem> Problems, long ProblemCount, byte[] LastHash)
{
    public bool Intact => ProblemCount == 0;
}

/// <summary>
/// Recomputes every hash of a range and its link to the entry before, page by page (a trail of
/// millions of entries is never in memory at once), and names what does not hold:
/// an entry whose fields or NIPs changed (ALTERED), an entry whose predecessor changed and had its
/// hash recomputed to match (BROKEN_LINK on the entry after it), gaps (MISSING) and, when the range
/// reaches the end, a last entry that is not the one the chain head recorded (HEAD_MISMATCH).
/// The range ends at the head read first: entries appended while verifying are not part of it.
/// </summary>
public sealed class AuditVerifier(IAuditStore store)
{
    public const int MaxProblemsListed = 100;

    /// <summary>Entries read at once; each brings its NIP rows (up to 1,000) and its bulk blob is hashed as a stream.</summary>
    private const int PageSize = 256;

    public async Task<AuditVerification> VerifyAsync(AuditVerifyRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.FirstSequence < 0)
        {
            errors.Add("first_sequence", "must not be negative");
        }
        if (request.LastSequence < 0)
        {
            errors.Add("last_sequence", "must not be negative");
        }
        if (request.FirstSequence > 0 && request.LastSequence > 0 && request.LastSequence < request.FirstSequence)
        {
            errors.Add("last_sequence", "must not be before first_sequence");
        }
        var (start, end) = AuditTime.Range(request.StartTime, request.EndTime, errors);
        if ((request.StartTime is not null || request.EndTime is not null) && (request.FirstSequence > 0 || request.LastSequence > 0))
        {
            errors.Add(request.StartTime is not null ? "start_time" : "end_time", "cannot be combined with first_sequence or last_sequence");
        }
        errors.ThrowIfAny();

        var head = await store.ReadHeadAsync(cancellationToken);
        var (first, last) = start is null && end is null
            ? (Math.Max(1, request.FirstSequence), request.LastSequence == 0 ? head.Sequence : Math.Min(request.LastSequence, head.Sequence))
            : await store.SequenceRangeAsync(start, end, head.Sequence, cancellationToken) ?? (1, 0);
        return first > last
            ? new AuditVerification(0, 0, 0, [], 0, [])
            : await VerifyRangeAsync(first, last, head, cancellationToken);
    }

    private async Task<AuditVerification> VerifyRangeAsync(long first, long last, ChainHead head, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var previousSequence = first - 1;
        var previousHash = first == 1 ? AuditEncoding.GenesisHash.ToArray() : await store.FindHashAsync(first - 1, cancellationToken);
        if (previousHash is null)
        {
            problems.Add(AuditProblemKind.Missing, first - 1, first - 1,
                "the entry before the range is missing, so the first entry's link cannot be checked");
        }
        var entriesChecked = 0L;
        for (var after = first - 1; after < last;)
        {
            var page = await store.ReadRangeAsync(after, last, PageSize, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }
            var through = page[^1].Sequence;
            var nipRows = await store.ReadIndexedNipsAsync(after, through, cancellationToken);
            var blobDigests = await store.DigestBulkNipsAsync(after, through, cancellationToken);
            foreach (var entry in page)
            {
                if (entry.Sequence > previousSequence + 1)
                {
                    problems.Add(AuditProblemKind.Missing, previousSequence + 1, entry.Sequence - 1, "entries are missing from the chain");
                    previousHash = null;
                }
                if (previousHash is not null && !entry.PreviousHash.AsSpan().SequenceEqual(previousHash))
                {
                    problems.Add(AuditProblemKind.BrokenLink, entry.Sequence, entry.Sequence,
                        "its previous hash is not the stored hash of the entry before it");
                }
                if (WhyAltered(entry, nipRows.GetValueOrDefault(entry.Sequence), blobDigests.GetValueOrDefault(entry.Sequence)) is { } why)
                {
                    problems.Add(AuditProblemKind.Altered, entry.Sequence, entry.Sequence, why);
                }
                previousSequence = entry.Sequence;
                previousHash = entry.Hash;
                entriesChecked++;
            }
            after = through;
        }
        if (previousSequence < last)
        {
            problems.Add(AuditProblemKind.Missing, previousSequence + 1, last, "entries are missing from the chain");
        }
        else if (last == head.Sequence && previousHash is not null && !previousHash.AsSpan().SequenceEqual(head.Hash))
        {
            problems.Add(AuditProblemKind.HeadMismatch, last, last, "the last entry's hash is not the one the chain head recorded");
        }
        return new AuditVerification(first, last, entriesChecked, problems.Listed, problems.Count,
            previousSequence == last ? previousHash ?? [] : []);
    }

    /// <summary>Why the stored entry is not what was written, or null when it is.</summary>
    private static string? WhyAltered(AuditEntry entry, IReadOnlyList<string>? nipRows, byte[]? blobDigest)
    {
        if (entry.CaseIdList is null)
        {
            return "its case ids are not a JSON array of strings";
        }
        if (!AuditEncoding.EntryHash(entry.PreviousHash, entry).AsSpan().SequenceEqual(entry.Hash))
        {
            return "its stored hash is not the hash of its fields";
        }
        if (entry.Bulk)
        {
            if (nipRows is { Count: > 0 })
            {
                return "NIP rows are stored for an entry that keeps its NIPs as a bulk blob";
            }
            if (blobDigest is null)
            {
                return "its bulk NIP blob is missing";
            }
            return entry.NipBlobDigest is not null && blobDigest.AsSpan().SequenceEqual(entry.NipBlobDigest)
                ? null
                : "its bulk NIP blob does not match the blob digest it was written with";
        }
        if (blobDigest is not null)
        {
            return "a bulk NIP blob is stored for an entry that keeps its NIPs as rows";
        }
        var nips = nipRows ?? [];
        return nips.Count == entry.NipCount && AuditEncoding.NipDigest(nips).AsSpan().SequenceEqual(entry.NipDigest)
            ? null
            : $"its {nips.Count} stored NIP rows do not match the NIP count ({entry.NipCount}) and digest it was written with";
    }

    private sealed class Problems
    {
        private readonly List<AuditProblem> _listed = [];

        public IReadOnlyList<AuditProblem> Listed => _listed;

        public long Count { get; private set; }

        public void Add(AuditProblemKind kind, long sequence, long lastSequence, string description)
        {
            Count++;
            if (_listed.Count < MaxProblemsListed)
            {
                _listed.Add(new AuditProblem(kind, sequence, lastSequence, description));
            }
        }
    }
}
