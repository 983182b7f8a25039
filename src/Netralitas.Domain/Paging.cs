namespace Netralitas.Domain;

/// <summary>The page-size rule of every List method (AIP-158): default 50, at most 1000, never negative.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public static void CheckSize(int pageSize, ValidationErrors errors)
    {
        if (pageSize < 0)
        {
            errors.Add("page_size", "must not be negative");
        }
    }

    /// <summary>The page size to serve for a requested one (0 = default; larger than the maximum is clamped).</summary>
    public static int SizeOf(int pageSize) => pageSize == 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize);

    /// <summary>
    /// Cuts a keyset page from rows fetched with one row too many: the page, and the token that
    /// continues after its last row, or "" when the fetch showed nothing more.
    /// </summary>
    public static (IReadOnlyList<T> Page, string NextPageToken) Cut<T>(IReadOnlyList<T> fetched, int size, Func<T, string> tokenAfter)
    {
        if (fetched.Count <= size)
        {
            return (fetched, "");
        }
        var page = fetched.Take(size).ToArray();
        return (page, tokenAfter(page[^1]));
    }
}
