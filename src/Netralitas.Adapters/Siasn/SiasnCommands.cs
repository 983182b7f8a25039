using Microsoft.Extensions.Options;
using Netralitas.Domain;
using Netralitas.Domain.Escalation;

namespace Netralitas.Adapters.Siasn;

/// <summary>Turns an outbox command into its SIASN call; answers SIASN's receipt, or throws <see cref="SiasnException"/>.</summary>
public sealed class SiasnCommands(SiasnClient siasn, IOptions<SiasnOptions> options)
{
    public async Task<string> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        switch (message.Kind)
        {
            case OutboxKind.Block:
            {
                var block = Read<BlockPayload>(message);
                return Receipt(await siasn.BlockAsync(block.Nip, block.BlockReference, block.Reason ?? "", message.IdempotencyKey, cancellationToken));
            }
            case OutboxKind.Release:
            {
                var release = Read<BlockPayload>(message);
                return Receipt(await siasn.ReleaseAsync(release.Nip, release.BlockReference, release.Reason ?? "", message.IdempotencyKey, cancellationToken));
            }
            case OutboxKind.SanctionWriteBack:
                return await WriteBackAsync(message, Read<SanctionWriteBackPayload>(message), cancellationToken);
            default:
                throw new SiasnException(SiasnFailure.Rejected, $"{message.ResourceName}: unknown kind {message.Kind}");
        }
    }

    /// <summary>
    /// Looks in SIASN's discipline history first: a decree already there (an earlier delivery whose
    /// answer was lost) is not written twice, even where SIASN ignores the idempotency key.
    /// </summary>
    private async Task<string> WriteBackAsync(OutboxMessage message, SanctionWriteBackPayload sanction, CancellationToken cancellationToken)
    {
        var history = await siasn.GetDisciplineHistoryAsync(sanction.Nip, cancellationToken);
        if (history.FirstOrDefault(h => string.Equals(h.SkNomor, sanction.DecreeNumber, StringComparison.Ordinal)) is { } present)
        {
            return $"already in SIASN's discipline history (rw-hukdis id {present.Id})";
        }
        var person = await siasn.GetDataUtamaAsync(sanction.Nip, cancellationToken)
            ?? throw new SiasnException(SiasnFailure.Rejected, $"SIASN has no record of NIP {sanction.Nip}", 404);
        if (!options.Value.SanctionLevelIds.TryGetValue(sanction.Level, out var levelId))
        {
            throw new SiasnException(SiasnFailure.Rejected,
                $"no SIASN jenisTingkatHukumanId configured for {sanction.Level} (Netralitas:Siasn:SanctionLevelIds)");
        }
        var decreeDate = sanction.DecreeDate;
        var entry = new SiasnHukdisCreate
        {
            PnsOrangId = person.Id,
            JenisTingkatHukumanId = levelId,
            SkNomor = sanction.DecreeNumber,
            SkTanggal = SiasnDates.Write(decreeDate),
            HukumanTanggal = SiasnDates.Write(decreeDate),
            Keterangan = $"{sanction.Form}; netralitas ASN, rekomendasi {sanction.LetterNumber}".TrimStart(';', ' '),
        };
        return Receipt(await siasn.SaveDisciplineAsync(entry, message.IdempotencyKey, cancellationToken));
    }

    private static T Read<T>(OutboxMessage message) where T : class
    {
        try
        {
            return OutboxPayloads.Read<T>(message.PayloadJson);
        }
        catch (InvalidDataException e)
        {
            throw new SiasnException(SiasnFailure.Rejected, $"{message.ResourceName}: {e.Message}");
        }
    }

    private static string Receipt(SiasnWriteResult result) =>
        result.MapDataJson is null ? result.Message : $"{result.Message} {result.MapDataJson}";
}
