namespace Netralitas.Domain.Audit;

/// <summary>
/// One call as the audit trail keeps it. <see cref="Nips"/> holds every NIP the call asked about
/// or was answered about, in the order seen (a bulk stream: all of them, possibly millions);
/// the trail decides how to store them so that "who asked about NIP X" stays answerable.
/// <see cref="Status"/> is the name of the call's status code as gRPC names it ("OK", "PermissionDenied", ...).
/// <see cref="Protocol"/> is how the call arrived: <see cref="AuditEntry.GrpcProtocol"/> or <see cref="AuditEntry.RestProtocol"/>.
/// </summary>
public sealed record AuditRecord(
    DateTime Time,
    string CallerId,
    string CallerProof,
    string Method,
    IReadOnlyList<string> Nips,
    IReadOnlyList<string> CaseIds,
    string Status,
    string RequestId,
    string? Peer,
    string Protocol = AuditEntry.GrpcProtocol);

/// <summary>The append-only, hash-chained log of calls (implemented by <see cref="AuditTrail"/>).</summary>
public interface IAuditTrail
{
    /// <summary>
    /// Completes once the entry is durable in the database. Throws
    /// <see cref="AuditTrailUnavailableException"/> when it could not be written (the database failed,
    /// or the gateway is stopping): answer the call UNAVAILABLE. Cancelling stops the wait, not the
    /// write of an entry already queued. Values too long for their column are stored shortened (see
    /// <see cref="AuditDraft"/>); nothing is refused.
    /// </summary>
    Task RecordAsync(AuditRecord record, CancellationToken cancellationToken);
}
