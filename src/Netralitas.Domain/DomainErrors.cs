namespace Netralitas.Domain;

/// <summary>One invalid field: its path as the API names it (e.g. <c>case.place.province_code</c>) and why.</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>Base of the errors a domain rule raises; the gRPC layer maps each kind to a status code.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>The request is malformed: one entry per offending field.</summary>
public sealed class InvalidRequestException(IReadOnlyList<FieldViolation> violations)
    : DomainException(string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;

    public InvalidRequestException(string field, string description)
        : this([new FieldViolation(field, description)]) { }
}

/// <summary>No resource has that name.</summary>
public sealed class ResourceNotFoundException(string resourceName)
    : DomainException($"{resourceName} was not found.")
{
    public string ResourceName { get; } = resourceName;
}

/// <summary>The resource is not in a state that allows the operation (e.g. deciding a decided case).</summary>
public sealed class StatePreconditionException(string reason, string message) : DomainException(message)
{
    /// <summary>A stable UPPER_SNAKE reason code for machines (AIP-193 ErrorInfo.reason).</summary>
    public string Reason { get; } = reason;
}

/// <summary>Another writer changed the resource first (etag mismatch or concurrent update): read it again and retry.</summary>
public sealed class ConcurrentModificationException(string resourceName)
    : DomainException($"{resourceName} was changed by another writer; read it again and retry.")
{
    public string ResourceName { get; } = resourceName;
}

/// <summary>Collects field violations so that a request reports all its bad fields at once.</summary>
public sealed class ValidationErrors
{
    private readonly List<FieldViolation> _violations = [];

    public void Add(string field, string description) => _violations.Add(new FieldViolation(field, description));

    public void ThrowIfAny()
    {
        if (_violations.Count > 0)
        {
            throw new InvalidRequestException(_violations.ToArray());
        }
    }
}

/// <summary>A system the gateway depends on (SIASN) did not answer or refused; the call may succeed later.</summary>
public sealed class UpstreamUnavailableException(string message) : DomainException(message);

/// <summary>
/// The caller may not see or change this resource. Raised alike for a resource outside the
/// caller's scope and for one that does not exist there, so that it reveals nothing.
/// </summary>
public sealed class AccessDeniedException(string resourceName)
    : DomainException($"The caller may not access {resourceName}.")
{
    public string ResourceName { get; } = resourceName;
}
