namespace Netralitas.Domain.Audit;

/// <summary>
/// The entry could not be committed: the database failed (the cause is the inner exception), or the
/// gateway is stopping. The call it records should be answered UNAVAILABLE; later records are written
/// as usual once the database answers again.
/// </summary>
public sealed class AuditTrailUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
