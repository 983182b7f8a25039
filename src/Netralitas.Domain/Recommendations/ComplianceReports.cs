using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;

namespace Netralitas.Domain.Recommendations;

/// <summary>One agency's recommendations, each judged on a date, and the counts of each standing.</summary>
public sealed record PpkComplianceReport(string PpkInstansiCode, string PpkInstansiName, DateOnly AsOf, IReadOnlyList<Standing> Standings)
{
    public int Count(StandingKind kind) => Standings.Count(s => s.Kind == kind);

    public int CompliedLate => Standings.Count(s => s.Kind == StandingKind.Complied && s.Recommendation.FollowUps.Any(f => f.Compliant && f.Late));
}

/// <summary>One row of the national table of agencies that do not follow recommendations.</summary>
public sealed record NonCompliantPpk(string PpkInstansiCode, string PpkInstansiName, int UnansweredOverdue, int NonCompliant)
{
    public int Failing => UnansweredOverdue + NonCompliant;
}

/// <summary>The compliance reports BKN and the authority publish: per agency, and ranked nationally.</summary>
public sealed class ComplianceReports(
    IRecommendationRepository recommendations,
    ReferenceCatalog catalog,
    CalendarBook calendars,
    BusinessClock clock)
{
    public async Task<PpkComplianceReport> CheckPpkAsync(string ppkInstansiCode, DateParts? asOf, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var code = Text.Required(ppkInstansiCode, "ppk_instansi_code", FieldLengths.Code, errors);
        var day = Dates.OrToday(asOf, "as_of", clock.Today, errors);
        errors.ThrowIfAny();

        // No agency registry exists yet, so an agency without recommendations gets an empty report.
        var addressed = await recommendations.ListForPpkAsync(code!, cancellationToken);
        var calendar = calendars.Current;
        return new PpkComplianceReport(code!, addressed.Count > 0 ? addressed[^1].PpkInstansiName : "", day,
            addressed.Select(r => r.StandingOn(day, calendar)).ToArray());
    }

    public async Task<(IReadOnlyList<NonCompliantPpk> Agencies, DateOnly AsOf, string NextPageToken)> ListNonCompliantAsync(
        string provinceCode, string electionId, DateParts? asOf, int pageSize, string pageToken, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CatalogCodes.Province(catalog, provinceCode, "province_code", required: false, errors);
        CatalogCodes.Election(catalog, electionId, "election_id", required: false, errors);
        var day = Dates.OrToday(asOf, "as_of", clock.Today, errors);
        Paging.CheckSize(pageSize, errors);
        errors.ThrowIfAny();

        var filters = $"{provinceCode}\n{electionId}\n{day:yyyy-MM-dd}";
        var offset = PageToken.DecodeOffset(pageToken, filters);
        var open = await recommendations.ListOpenAsync(provinceCode, electionId, cancellationToken);
        var calendar = calendars.Current;
        var ranked = open
            .Select(r => r.StandingOn(day, calendar))
            .Where(s => s.IsFailing)
            .GroupBy(s => s.Recommendation.PpkInstansiCode, StringComparer.Ordinal)
            .Select(g => new NonCompliantPpk(g.Key, g.OrderBy(s => s.Recommendation.Id, StringComparer.Ordinal).Last().Recommendation.PpkInstansiName,
                g.Count(s => s.Kind == StandingKind.UnansweredOverdue), g.Count(s => s.Kind == StandingKind.NonCompliant)))
            .OrderByDescending(a => a.Failing)
            .ThenBy(a => a.PpkInstansiCode, StringComparer.Ordinal)
            .ToArray();
        var size = Paging.SizeOf(pageSize);
        var page = ranked.Skip(offset).Take(size).ToArray();
        var next = offset + page.Length < ranked.Length ? PageToken.EncodeOffset(offset + page.Length, filters) : "";
        return (page, day, next);
    }
}
