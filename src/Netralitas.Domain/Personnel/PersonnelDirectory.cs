using Netralitas.Domain.Escalation;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Domain.Personnel;

public enum BlockReferenceState
{
    Unspecified = 0,
    /// <summary>The gateway asked SIASN to block; SIASN has not confirmed yet.</summary>
    BlockRequested = 1,
    /// <summary>SIASN confirmed the block; no release asked.</summary>
    Blocked = 2,
    /// <summary>The gateway asked SIASN to lift the block; not confirmed yet (the data is still blocked in SIASN).</summary>
    ReleaseRequested = 3,
    /// <summary>SIASN confirmed the release.</summary>
    Released = 4,
    /// <summary>The block or the release was dead-lettered: what SIASN holds is not what the gateway decided until it is retried.</summary>
    DeliveryFailed = 5,
}

/// <summary>One recommendation's block of a NIP, as asked of SIASN and as SIASN confirmed it.</summary>
public sealed record BlockReference(string RecommendationId, BlockReferenceState State, OutboxMessage Block, OutboxMessage? Release)
{
    public string RecommendationName => Recommendation.ResourceNameOf(RecommendationId);

    /// <summary>The gateway's decision: blocked until a release is asked.</summary>
    public bool BlockedByGateway => Release is null;

    /// <summary>What SIASN confirmed: the block landed and no release has landed yet.</summary>
    public bool BlockedInSiasn => Block.State == OutboxState.Delivered && Release?.State != OutboxState.Delivered;
}

public sealed record BlockStatus(string Nip, IReadOnlyList<BlockReference> References)
{
    public bool Blocked => References.Any(r => r.BlockedByGateway);
    public bool BlockedInSiasn => References.Any(r => r.BlockedInSiasn);
}

/// <summary>Personnel records and block status: reads, with an on-demand lookup in SIASN for a NIP not yet known.</summary>
public sealed class PersonnelDirectory(IPersonnelStore store, PersonnelSync sync)
{
    public async Task<(PersonnelRecord Record, PersonnelHistory? History)> GetAsync(string name, bool withHistory, CancellationToken cancellationToken)
    {
        var nip = ParseName(name);
        var record = await store.FindAsync(nip, cancellationToken);
        if (record?.Facts is null && record?.SyncState != PersonnelSyncState.NotInSiasn && sync.IsConfigured)
        {
            record = await sync.RefreshAsync(nip, cancellationToken);
        }
        if (record?.Facts is null)
        {
            throw new ResourceNotFoundException(PersonnelRecord.ResourceNameOf(nip));
        }
        if (!withHistory)
        {
            return (record, null);
        }
        if (!sync.IsConfigured)
        {
            throw new UpstreamUnavailableException("The history is read live from SIASN, and no SIASN is configured (Netralitas:Siasn:Mode is Off).");
        }
        return (record, await sync.HistoryAsync(nip, cancellationToken));
    }

    public async Task<BlockStatus> GetBlockStatusAsync(string nipText, CancellationToken cancellationToken)
    {
        var nip = Nip.Parse(nipText, "nip").ToString();
        var commands = await store.BlockCommandsAsync(nip, cancellationToken);
        var references = commands
            .GroupBy(c => c.RecommendationId)
            .Select(g => Reference(g.Key, g.ToList()))
            .OfType<BlockReference>()
            .ToArray();
        return new BlockStatus(nip, references);
    }

    private static BlockReference? Reference(string recommendationId, List<OutboxMessage> commands)
    {
        var block = commands.FirstOrDefault(c => c.Kind == OutboxKind.Block);
        if (block is null)
        {
            return null;
        }
        var release = commands.FirstOrDefault(c => c.Kind == OutboxKind.Release);
        var state = (block.State, release?.State) switch
        {
            (OutboxState.DeadLettered, _) or (_, OutboxState.DeadLettered) => BlockReferenceState.DeliveryFailed,
            (_, OutboxState.Delivered) => BlockReferenceState.Released,
            (_, OutboxState.Pending) => BlockReferenceState.ReleaseRequested,
            (OutboxState.Delivered, null) => BlockReferenceState.Blocked,
            _ => BlockReferenceState.BlockRequested,
        };
        return new BlockReference(recommendationId, state, block, release);
    }

    private static string ParseName(string name)
    {
        const string prefix = PersonnelRecord.CollectionName + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidRequestException("name", $"must be {prefix}{{nip}}, got \"{name}\"");
        }
        return Nip.Parse(name[prefix.Length..], "name").ToString();
    }
}
