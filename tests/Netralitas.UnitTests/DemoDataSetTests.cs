using Netralitas.Adapters.ReferenceData;
using Netralitas.Data;
using Netralitas.Data.Demo;
using Netralitas.Domain;

namespace Netralitas.UnitTests;

public sealed class DemoDataSetTests
{
    private static readonly ReferenceCatalog Catalog = ReferenceDataLoader.Load(new ReferenceDataOptions());
    private static readonly IReadOnlyList<(Domain.Cases.FileCaseCommand Report, Outcome Outcome)> Set =
        DemoDataSet.Build(Catalog.Provinces);

    [Fact]
    public void It_has_the_seed_figures_2034_reports_and_1596_proven()
    {
        Assert.Equal(2034, Set.Count);
        Assert.Equal(1596, Set.Count(r => r.Outcome == Outcome.Proven));
        Assert.Equal(2034, Set.Select(r => r.Report.Nip).Distinct().Count());
    }

    [Fact]
    public void Its_shares_follow_the_seed()
    {
        Assert.Equal(618, Set.Count(r => r.Report.ViolationCode == "MEDSOS_KAMPANYE"));   // 30.4%
        Assert.Equal(539, Set.Count(r => r.Report.PositionKind == PositionKind.Fungsional)); // 26.5%
        Assert.Equal(57, Set.Count(r => r.Report.InstansiName == "Kabupaten Purbalingga"));
        var before = Set.Count(r => Catalog.FindElection(DemoDataSet.ElectionId)!
            .PeriodOf(new DateOnly(r.Report.ActDate!.Value.Year, r.Report.ActDate.Value.Month, r.Report.ActDate.Value.Day)) == Period.BeforeCampaign);
        Assert.Equal(958, before); // 47.1%
    }

    [Fact]
    public void Every_report_passes_intake()
    {
        var intake = new Domain.Cases.CaseIntake(Catalog, new BusinessClock(TimeProvider.System, BusinessClock.ResolveZone("Asia/Jakarta")));
        Assert.All(Set, r => intake.Admit(r.Report));
    }

    [Fact]
    public void It_is_the_same_every_time_and_clearly_synthetic()
    {
        var again = DemoDataSet.Build(Catalog.Provinces);
        Assert.Equal(Set.Select(r => r.Report.Nip), again.Select(r => r.Report.Nip));
        Assert.All(Set, r =>
        {
            Assert.StartsWith("ASN Sintetis", r.Report.ReportedName);
            Assert.StartsWith("DEMO/", r.Report.SourceReference);
            Assert.True(Nip.TryParse(r.Report.Nip, out _, out var error), error);
            Assert.True(int.Parse(r.Report.Nip[15..]) >= 900);
        });
    }
}
