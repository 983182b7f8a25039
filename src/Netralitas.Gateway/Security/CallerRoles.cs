namespace Netralitas.Gateway.Security;

/// <summary>Turns configured or claimed role names and scopes into a <see cref="Caller"/>.</summary>
public static class CallerRoles
{
    /// <summary>How roles are spelled in settings, tokens and on the command line.</summary>
    public static string NameOf(Role role) => role.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<Role>().Select(NameOf).ToArray();

    public static bool TryParse(string name, out Role role) =>
        Enum.TryParse(name, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(name, out _);

    /// <summary>Unknown role names are ignored (an identity provider may give roles meant for other systems).</summary>
    public static Caller Create(string id, CallerProof proof, IEnumerable<string> roles, IEnumerable<string> instansi, string? province)
    {
        var known = new HashSet<Role>();
        foreach (var name in roles)
        {
            if (TryParse(name, out var role))
            {
                known.Add(role);
            }
        }
        var codes = instansi.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToHashSet(StringComparer.Ordinal);
        return new Caller(id, proof, known, codes, string.IsNullOrWhiteSpace(province) ? null : province.Trim());
    }

    /// <summary>
    /// A configured member must make sense: a known role, a ppk with its instansi codes, a
    /// provincial member with its province. Returns what is wrong, or nothing.
    /// </summary>
    public static IEnumerable<string> Problems(MemberOptions member, int index)
    {
        var at = $"{SecurityOptions.Section}:MutualTls:Members:{index}";
        if (string.IsNullOrWhiteSpace(member.Id))
        {
            yield return $"{at}:Id is required";
        }
        if (string.IsNullOrWhiteSpace(member.Thumbprint) && string.IsNullOrWhiteSpace(member.Subject))
        {
            yield return $"{at}: a Thumbprint or a Subject is required";
        }
        if (member.Roles.Count == 0)
        {
            yield return $"{at}:Roles: at least one of {string.Join(", ", Names)}";
        }
        foreach (var name in member.Roles.Where(r => !TryParse(r, out _)))
        {
            yield return $"{at}:Roles: '{name}' is not one of {string.Join(", ", Names)}";
        }
        if (member.Roles.Any(r => TryParse(r, out var role) && role == Role.Ppk) && member.Instansi.Count == 0)
        {
            yield return $"{at}:Instansi: a ppk member needs the instansi codes it speaks for";
        }
        if (member.Roles.Any(r => TryParse(r, out var role) && role == Role.Provincial) && string.IsNullOrWhiteSpace(member.Province))
        {
            yield return $"{at}:Province: a provincial member needs its province code";
        }
    }
}
