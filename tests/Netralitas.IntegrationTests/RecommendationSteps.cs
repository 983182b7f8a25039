using Netralitas.V1;
using Date = Google.Type.Date;

namespace Netralitas.IntegrationTests;

/// <summary>Test steps shared by the recommendation and compliance tests.</summary>
public static class RecommendationSteps
{
    /// <summary>A Pemilu 2024 case decided on 20 Mar 2024 (proven by default), for a fresh agency code unless one is given.</summary>
    public static async Task<(Case Case, string Instansi)> ProvenCaseAsync(
        CaseService.CaseServiceClient cases, Outcome outcome = Outcome.Proven, string provinceCode = "33", string? instansi = null,
        string? nip = null, PositionKind position = PositionKind.Fungsional, Date? actDate = null)
    {
        instansi ??= $"R-{Guid.NewGuid():N}"[..20];
        var report = Reports.NewCase(nip ?? Reports.NewNip(), instansi);
        report.Place.ProvinceCode = provinceCode;
        report.ElectionId = "pemilu-2024";
        report.ActDate = actDate ?? new Date { Year = 2024, Month = 1, Day = 10 };
        report.ReportedPosition = position == PositionKind.Unspecified ? null : new ReportedPosition { Kind = position, Title = "Jabatan" };
        var filed = await cases.FileCaseAsync(new FileCaseRequest { Case = report });
        var decision = Reports.Decision(filed.Name, outcome);
        decision.DecidedOn = new Date { Year = 2024, Month = 3, Day = 20 };
        return (await cases.DecideCaseAsync(decision), instansi);
    }

    public static IssueRecommendationRequest Issue(Case proven, string instansi, SanctionLevel level = SanctionLevel.HdBerat, string requestId = "") => new()
    {
        Case = proven.Name,
        RequestId = requestId,
        Recommendation = new Recommendation
        {
            AuthorityCode = "KASN",
            LetterNumber = "B-1234/KASN/4/2024",
            IssuedOn = new Date { Year = 2024, Month = 4, Day = 5 },
            PpkInstansiCode = instansi,
            PpkInstansiName = "Kabupaten Purbalingga",
            Sanction = new Sanction { Level = level, Form = "penurunan jabatan setingkat lebih rendah selama 12 bulan" },
        },
    };

    public static RecordFollowUpRequest FollowUp(string name, SanctionLevel level, int month, int day, string requestId = "") => new()
    {
        Name = name,
        DecreeNumber = $"800/{month}{day}/2024",
        DecreeDate = new Date { Year = 2024, Month = month, Day = day },
        Imposed = new Sanction { Level = level },
        RequestId = requestId,
    };
}
