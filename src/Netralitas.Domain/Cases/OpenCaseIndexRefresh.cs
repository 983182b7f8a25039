namespace Netralitas.Domain.Cases;

/// <summary>Refreshes NIPs of the open-case index from the repository, a bounded batch per database read.</summary>
public static class OpenCaseIndexRefresh
{
    /// <summary>Takes the standing of every NIP from the database; returns how many standings that changed.</summary>
    public static async Task<int> RefreshFromAsync(
        this OpenCaseIndex index, ICaseRepository repository, IEnumerable<Nip> nips, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var batch in nips.Distinct().Chunk(ICaseRepository.MaxNipsPerStandingsRead))
        {
            changed += await index.RefreshAsync(batch, async token =>
            {
                var standings = await repository.StandingsOfAsync(batch.Select(nip => nip.ToString()).ToArray(), token);
                return standings.ToDictionary(entry => Nip.FromValidated(entry.Key), entry => entry.Value);
            }, cancellationToken);
        }
        return changed;
    }
}
