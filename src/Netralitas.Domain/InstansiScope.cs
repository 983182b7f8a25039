namespace Netralitas.Domain;

/// <summary>
/// Which agencies' cases and recommendations a call may see: every agency, or only the listed
/// instansi codes (a PPK speaks for its own agencies). Outside the scope the answer is
/// PERMISSION_DENIED, the same whether the resource exists or not, so that a PPK cannot probe
/// for another agency's cases.
/// </summary>
public sealed class InstansiScope
{
    private readonly IReadOnlySet<string>? _codes;

    private InstansiScope(IReadOnlySet<string>? codes) => _codes = codes;

    public static InstansiScope All { get; } = new(null);

    public static InstansiScope Only(IReadOnlySet<string> codes) => new(codes);

    /// <summary>Refuses a resource of an agency outside the scope.</summary>
    public void Ensure(string instansiCode, string resourceName)
    {
        if (_codes is not null && !_codes.Contains(instansiCode))
        {
            throw new AccessDeniedException(resourceName);
        }
    }

    /// <summary>What to answer when <paramref name="resourceName"/> does not exist.</summary>
    public DomainException NotFound(string resourceName) =>
        _codes is null ? new ResourceNotFoundException(resourceName) : new AccessDeniedException(resourceName);

    /// <summary>
    /// The agency filter of a list or watch: as requested when the scope covers it; the only
    /// agency when a PPK of one agency leaves it empty.
    /// </summary>
    public string Filter(string requested, string field)
    {
        if (_codes is null)
        {
            return requested;
        }
        if (requested.Length > 0)
        {
            return _codes.Contains(requested)
                ? requested
                : throw new AccessDeniedException($"{field} {requested}");
        }
        return _codes.Count == 1
            ? _codes.First()
            : throw new InvalidRequestException(field,
                $"required for a caller that speaks for several agencies: one of {string.Join(", ", _codes.Order(StringComparer.Ordinal))}");
    }
}
