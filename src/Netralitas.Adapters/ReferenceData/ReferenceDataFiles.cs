using System.Text.Json;
using System.Text.Json.Serialization;

namespace Netralitas.Adapters.ReferenceData;

/// <summary>The violation catalog file: one version of the SKB matrix.</summary>
public sealed record ViolationCatalogFile(
    string Version,
    IReadOnlyList<ViolationFileEntry> Violations);

/// <summary>One row of the catalog. A null sanction means the act is not classified on that track.</summary>
public sealed record ViolationFileEntry(
    string Code,
    string Description,
    string DescriptionEn,
    string? EthicsSanction,
    string? DisciplineSanction,
    bool DecidedBySatgas);

public sealed record ElectionFile(
    string Id,
    string DisplayName,
    string Kind,
    DateOnly CandidateDeterminationDate,
    DateOnly CampaignStartDate,
    DateOnly CampaignEndDate,
    DateOnly VotingDate,
    string Source);

public sealed record ProvinceFile(string Code, string Name);

public sealed record AuthorityFile(string Code, string Name);

/// <summary>An agency: its Kemendagri region code or BA- budget-section code, its name, and its province ("" for a ministry).</summary>
public sealed record AgencyFile(string Code, string Name, string Province);

/// <summary>One year of the working-day calendar: national holidays and cuti bersama, per the year's SKB 3 Menteri.</summary>
public sealed record CalendarYearFile(
    int Year,
    string Source,
    IReadOnlyList<CalendarDayFile> Holidays,
    IReadOnlyList<CalendarDayFile> CutiBersama);

public sealed record CalendarDayFile(DateOnly Date, string Name);

/// <summary>
/// Reads the reference data the gateway ships (violation catalog, election calendars, provinces,
/// authorities, agencies) and any extra election calendars and agencies an operator drops into a
/// folder, so that adding an election or an agency needs no rebuild.
/// </summary>
public static class ReferenceDataFiles
{
    public const string CatalogFileName = "violations.json";
    public const string ProvincesFileName = "provinces.json";
    public const string AuthoritiesFileName = "authorities.json";
    public const string AgenciesFileName = "agencies.json";
    public const string ElectionsFolderName = "elections";
    public const string CalendarFolderName = "calendar";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A missing or null field that the record does not mark optional is an error naming the field.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        // A field given twice (two "holidays" lists) is an error, not "the last one wins".
        AllowDuplicateProperties = false,
    };

    public static ViolationCatalogFile ReadCatalog(string directory) =>
        Read<ViolationCatalogFile>(Path.Combine(directory, CatalogFileName));

    public static IReadOnlyList<ProvinceFile> ReadProvinces(string directory) =>
        Read<List<ProvinceFile>>(Path.Combine(directory, ProvincesFileName));

    public static IReadOnlyList<AuthorityFile> ReadAuthorities(string directory) =>
        Read<List<AuthorityFile>>(Path.Combine(directory, AuthoritiesFileName));

    /// <summary>
    /// The agencies of the first folder's <c>agencies.json</c> (the shipped one, required), then those
    /// of each further folder that has one (an operator's additions); each with the file it came from.
    /// </summary>
    public static IReadOnlyList<(AgencyFile Agency, string Path)> ReadAgencies(IReadOnlyList<string> directories)
    {
        var agencies = new List<(AgencyFile, string)>();
        for (var i = 0; i < directories.Count; i++)
        {
            var file = Path.Combine(directories[i], AgenciesFileName);
            if (i > 0 && !File.Exists(file))
            {
                continue;
            }
            agencies.AddRange(Read<List<AgencyFile>>(file).Select(agency => (agency, file)));
        }
        return agencies;
    }

    /// <summary>Every <c>*.json</c> election file under each folder's <c>elections/</c>, in folder order.</summary>
    public static IReadOnlyList<ElectionFile> ReadElections(IEnumerable<string> directories)
    {
        var elections = new List<ElectionFile>();
        foreach (var directory in directories)
        {
            var folder = Path.Combine(directory, ElectionsFolderName);
            if (!Directory.Exists(folder))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                elections.Add(Read<ElectionFile>(file));
            }
        }
        return elections;
    }

    /// <summary>
    /// Every <c>calendar/*.json</c> year file under each folder. A year found again in a later
    /// folder replaces the earlier one, so an operator can publish an amended SKB without a rebuild.
    /// </summary>
    public static IReadOnlyList<(CalendarYearFile Year, string Path)> ReadCalendarYears(IEnumerable<string> directories)
    {
        var years = new Dictionary<int, (CalendarYearFile, string)>();
        foreach (var directory in directories)
        {
            var folder = Path.Combine(directory, CalendarFolderName);
            if (!Directory.Exists(folder))
            {
                continue;
            }
            var seenHere = new HashSet<int>();
            foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                var year = Read<CalendarYearFile>(file);
                if (!seenHere.Add(year.Year))
                {
                    throw new InvalidDataException($"{file}: a second file for the year {year.Year} in {folder}.");
                }
                years[year.Year] = (year, file);
            }
        }
        return years.Values.OrderBy(y => y.Item1.Year).ToArray();
    }

    /// <summary>A calendar year from JSON text in the file format (as the admin call takes it); <see cref="InvalidDataException"/> says what is wrong.</summary>
    public static CalendarYearFile ParseCalendarYear(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<CalendarYearFile>(json, Json) ?? throw new InvalidDataException("is empty (null)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(e.Path is { Length: > 0 } path ? $"{path}: {FirstSentence(e.Message)}" : FirstSentence(e.Message), e);
        }
    }

    /// <summary>A calendar year in the file format, indented, names unescaped.</summary>
    public static string SerializeCalendarYear(CalendarYearFile year) => JsonSerializer.Serialize(year, Written);

    private static readonly JsonSerializerOptions Written = new(Json)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // System.Text.Json appends the path and position to its messages; the path is given separately.
    private static string FirstSentence(string message) =>
        message.IndexOf(" Path: ", StringComparison.Ordinal) is var cut and > 0 ? message[..cut] : message;

    private static T Read<T>(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Json)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid reference data: {e.Message}", e);
        }
    }
}
