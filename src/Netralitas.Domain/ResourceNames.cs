namespace Netralitas.Domain;

/// <summary>Resource names of the form <c>{collection}/{uuid}</c> (AIP-122).</summary>
public static class ResourceNames
{
    /// <summary>The id in <paramref name="name"/>, or null with a violation on <paramref name="field"/>.</summary>
    public static string? TryParse(string name, string collection, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(field, $"is required: {collection}/{{id}}");
            return null;
        }
        return TryParseId(name, collection) ?? Invalid(name, collection, field, errors);
    }

    /// <summary>The id in <paramref name="name"/> when it names something of <paramref name="collection"/>.</summary>
    public static string? TryParseId(string name, string collection)
    {
        var prefix = collection + "/";
        return name.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParseExact(name.AsSpan(prefix.Length), "D", out var id)
            ? id.ToString("D")
            : null;
    }

    private static string? Invalid(string name, string collection, string field, ValidationErrors errors)
    {
        var shown = name.Length <= 40 ? name : name[..40] + "…";
        errors.Add(field, $"'{shown}' is not a name of the form {collection}/{{id}}");
        return null;
    }
}
