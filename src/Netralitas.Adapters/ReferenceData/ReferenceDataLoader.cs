using Netralitas.Domain;
using Netralitas.Domain.Calendar;

namespace Netralitas.Adapters.ReferenceData;

/// <summary>Configuration section <c>Netralitas:ReferenceData</c>.</summary>
public sealed class ReferenceDataOptions
{
    public const string Section = "Netralitas:ReferenceData";

    /// <summary>
    /// An operator's folder whose <c>elections/*.json</c> add election calendars, whose
    /// <c>agencies.json</c> adds agencies, and whose <c>calendar/*.json</c> add or replace
    /// working-day calendar years, without a rebuild.
    /// </summary>
    public string? ExtraDirectory { get; set; }
}

/// <summary>Builds the <see cref="ReferenceCatalog"/> from the shipped files plus the operator's folder.</summary>
public static class ReferenceDataLoader
{
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "reference-data");

    public static ReferenceCatalog Load(ReferenceDataOptions options)
    {
        var directories = Directories(options);

        var catalog = ReferenceDataFiles.ReadCatalog(ShippedDirectory);
        return new ReferenceCatalog(
            catalog.Version,
            catalog.Violations.Select(v => new Violation(
                v.Code, v.Description, v.DescriptionEn,
                Sanction(v.EthicsSanction, v.Code), Sanction(v.DisciplineSanction, v.Code), v.DecidedBySatgas)),
            ReferenceDataFiles.ReadElections(directories).Select(e => new Election(
                e.Id, e.DisplayName, Parse<ElectionKind>(e.Kind, $"election {e.Id} kind"),
                e.CandidateDeterminationDate, e.CampaignStartDate, e.CampaignEndDate, e.VotingDate, e.Source)),
            ReferenceDataFiles.ReadProvinces(ShippedDirectory).Select(p => new Province(p.Code, p.Name)),
            ReferenceDataFiles.ReadAuthorities(ShippedDirectory).Select(a => new Authority(a.Code, a.Name)),
            Agencies(directories));
    }

    /// <summary>The shipped agencies and the operator's; a file with a null entry is named.</summary>
    private static IEnumerable<Agency> Agencies(List<string> directories) =>
        ReferenceDataFiles.ReadAgencies(directories).Select(entry => entry.Agency is { } agency
            ? new Agency(agency.Code, agency.Name, agency.Province)
            : throw new InvalidDataException($"{entry.Path}: an agency entry is null."));

    /// <summary>The official calendar years of the files: shipped years, replaced or extended by the operator's folder.</summary>
    public static IReadOnlyList<CalendarYear> LoadCalendarYears(ReferenceDataOptions options) =>
        ReferenceDataFiles.ReadCalendarYears(Directories(options)).Select(entry =>
        {
            var (file, path) = entry;
            var year = CalendarYearJson.ToDomain(file) with
            {
                Origin = path.StartsWith(ShippedDirectory, StringComparison.Ordinal)
                    ? $"shipped file {Path.GetRelativePath(ShippedDirectory, path)}"
                    : $"operator file {path}",
            };
            if (year.Problems() is { Count: > 0 } problems)
            {
                throw new InvalidDataException($"{path}: {string.Join("; ", problems)}.");
            }
            return year;
        }).ToArray();

    /// <summary>The working-day calendar of the files alone (before the database is reached, and in tests).</summary>
    public static WorkingDayCalendar LoadCalendar(ReferenceDataOptions options) => new(LoadCalendarYears(options));

    private static List<string> Directories(ReferenceDataOptions options)
    {
        var directories = new List<string> { ShippedDirectory };
        if (!string.IsNullOrWhiteSpace(options.ExtraDirectory))
        {
            var extra = Path.GetFullPath(options.ExtraDirectory);
            if (!Directory.Exists(extra))
            {
                throw new DirectoryNotFoundException($"{ReferenceDataOptions.Section}:ExtraDirectory '{extra}' does not exist.");
            }
            directories.Add(extra);
        }
        return directories;
    }

    private static SanctionLevel Sanction(string? name, string code) =>
        name is null ? SanctionLevel.Unspecified : Parse<SanctionLevel>(name, $"sanction of {code}");

    /// <summary>An enum member by name (e.g. HD_BERAT); numbers are refused.</summary>
    private static T Parse<T>(string name, string what) where T : struct, Enum =>
        name.Length > 0 && char.IsAsciiLetter(name[0])
        && Enum.TryParse<T>(name.Replace("_", ""), ignoreCase: true, out var value) && !value.Equals(default(T))
            ? value
            : throw new InvalidDataException($"Reference data: '{name}' is not a valid {what}.");
}
