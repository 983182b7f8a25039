using System.Globalization;
using Netralitas.Adapters.ReferenceData;
using Netralitas.Data.Demo;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;

namespace Netralitas.UnitTests;

/// <summary>The demo data set against seed 001's national figures and seed 000's Pilkada 2024 table (docs/domain.md).</summary>
public sealed class DemoDataSetTests
{
    private static readonly ReferenceCatalog Catalog = ReferenceDataLoader.Load(new ReferenceDataOptions());
    private static readonly WorkingDayCalendar Calendar = ReferenceDataLoader.LoadCalendar(new ReferenceDataOptions());
    private static readonly DemoData Set = DemoDataSet.Build(Catalog, Calendar);

    private static readonly DemoReport[] Pilkada2020 = Set.Reports.Where(r => r.Report.ElectionId == "pilkada-2020").ToArray();
    private static readonly DemoReport[] Proven2020 = Pilkada2020.Where(r => r.Outcome == Outcome.Proven).ToArray();
    private static readonly DemoReport[] Pilkada2024 = Set.Reports.Where(r => r.Report.ElectionId == "pilkada-2024").ToArray();

    [Fact]
    public void Pilkada_2020_has_the_seed_funnel_2034_reported_1596_proven_all_recommended_1373_followed_up()
    {
        Assert.Equal(2034, Pilkada2020.Length);
        Assert.Equal(1596, Proven2020.Length);
        Assert.Equal("78.5", Percent(1596, 2034));
        Assert.All(Proven2020, r => Assert.Equal("KASN", r.Recommendation!.AuthorityCode));
        Assert.All(Pilkada2020.Where(r => r.Outcome == Outcome.NotProven), r => Assert.Null(r.Recommendation));
        var followedUp = Proven2020.Count(r => r.Recommendation!.FollowedUp);
        Assert.Equal(1373, followedUp);
        Assert.Equal("86.0", Percent(followedUp, 1596));
        Assert.Equal(223, Proven2020.Count(r => !r.Recommendation!.FollowedUp));
        Assert.Equal(Set.Reports.Count, Set.Reports.Select(r => r.Report.Nip).Distinct().Count());
    }

    [Fact]
    public void The_follow_ups_are_on_time_late_lighter_or_missing_as_their_dates_and_levels_say()
    {
        var kinds = Proven2020.GroupBy(r => r.Recommendation!.FollowUp).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1040, kinds[DemoFollowUpKind.OnTime]);
        Assert.Equal(100, kinds[DemoFollowUpKind.LateAfterWarning]);
        Assert.Equal(70, kinds[DemoFollowUpKind.LateAfterReprimand]);
        Assert.Equal(70, kinds[DemoFollowUpKind.LateAfterBlock]);
        Assert.Equal(93, kinds[DemoFollowUpKind.Lighter]);
        Assert.Equal(223, kinds[DemoFollowUpKind.Unanswered]);
        Assert.Equal(30, Proven2020.Count(r => r.Recommendation!.Decrees.Count == 2));

        foreach (var report in Set.Reports.Where(r => r.Recommendation is not null))
        {
            var letter = report.Recommendation!;
            var due = Calendar.AddWorkingDays(letter.IssuedOn, 14).Date;
            var final = letter.Decrees.LastOrDefault();
            var (compliant, late) = letter.FollowUp switch
            {
                DemoFollowUpKind.OnTime => (true, false),
                DemoFollowUpKind.Lighter => (false, (bool?)null),
                DemoFollowUpKind.Unanswered => ((bool?)null, (bool?)null),
                _ => (true, true),
            };
            if (compliant is null)
            {
                Assert.Empty(letter.Decrees);
                continue;
            }
            Assert.Equal(compliant, final!.Compliant);
            Assert.Equal(compliant, final.Level >= letter.Level);
            if (late is { } isLate)
            {
                Assert.Equal(isLate, final.DecreeDate > due);
            }
            Assert.All(letter.Decrees.SkipLast(1), lighter => Assert.True(lighter.Level < letter.Level && !lighter.Compliant && lighter.DecreeDate <= due));
            Assert.Equal(letter.Decrees.OrderBy(d => d.DecreeDate), letter.Decrees);
            var overdue = Calendar.WorkingDaysBetween(due, final.DecreeDate);
            switch (letter.FollowUp)
            {
                case DemoFollowUpKind.LateAfterWarning:
                    Assert.InRange(overdue, 1, 5);
                    break;
                case DemoFollowUpKind.LateAfterReprimand:
                    Assert.InRange(overdue, 6, 10);
                    break;
                case DemoFollowUpKind.LateAfterBlock:
                    Assert.True(overdue >= 12, $"{letter.LetterNumber}: {overdue} working days overdue");
                    break;
            }
        }
    }

    [Fact]
    public void Of_the_proven_751_acted_before_the_campaign_845_during_and_none_after()
    {
        var election = Catalog.FindElection("pilkada-2020")!;
        var periods = Proven2020.GroupBy(r => election.PeriodOf(r.ActDate)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(751, periods[Period.BeforeCampaign]);
        Assert.Equal(845, periods[Period.DuringCampaign]);
        Assert.False(periods.ContainsKey(Period.AfterCampaign));
        Assert.Equal("47.1", Percent(751, 1596));
        Assert.Equal("52.9", Percent(845, 1596));
    }

    [Fact]
    public void Of_the_proven_the_age_bands_at_the_act_are_the_seeds_with_44_placeholder_birth_dates()
    {
        var bands = Proven2020.GroupBy(r => AgeBand(r.Report.Nip, r.ActDate)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(641, bands[">=51"]);
        Assert.Equal(562, bands["41-50"]);
        Assert.Equal(324, bands["31-40"]);
        Assert.Equal(25, bands["<=30"]);
        Assert.Equal(44, bands["unknown"]);
        Assert.All(Proven2020.Where(r => AgeBand(r.Report.Nip, r.ActDate) == "unknown"), r => Assert.StartsWith("19000101", r.Report.Nip));
        Assert.All(Set.Reports, r => Assert.Equal(AgeBand(r.Report.Nip, r.ActDate), Band(DemoDataSet.AgeBandAt(Birth(r.Report.Nip), r.ActDate))));
    }

    [Fact]
    public void Of_the_proven_the_positions_are_the_seeds()
    {
        var positions = Proven2020.GroupBy(r => r.Report.PositionKind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(423, positions[PositionKind.Fungsional]);
        Assert.Equal(275, positions[PositionKind.Pelaksana]);
        Assert.Equal(251, positions[PositionKind.Jpt]);
        Assert.Equal(214, positions[PositionKind.Administrator]);
        Assert.Equal(188, positions[PositionKind.Pengawas]);
        Assert.Equal(245, positions[PositionKind.Unspecified]);
        Assert.Equal(["26.5", "17.2", "15.7", "13.4", "11.8"],
            new[] { 423, 275, 251, 214, 188 }.Select(n => Percent(n, 1596)));
    }

    [Fact]
    public void Of_the_proven_the_violation_categories_are_the_seeds_and_the_rest_is_spread_thin()
    {
        var categories = Proven2020.GroupBy(r => r.Report.ViolationCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal("30.4", Percent(categories["MEDSOS_KAMPANYE"], 1596));
        Assert.Equal("22.4", Percent(categories["KEGIATAN_KEBERPIHAKAN"], 1596));
        Assert.Equal("12.6", Percent(categories["FOTO_SIMBOL"], 1596));
        Assert.Equal("10.9", Percent(categories["DEKLARASI"], 1596));
        Assert.Equal("5.6", Percent(categories["PENDEKATAN_PARPOL"], 1596));
        string[] top = ["MEDSOS_KAMPANYE", "KEGIATAN_KEBERPIHAKAN", "FOTO_SIMBOL", "DEKLARASI", "PENDEKATAN_PARPOL"];
        var others = Catalog.Violations.Select(v => v.Code).Except(top).ToArray();
        Assert.Equal(others.Order(), categories.Keys.Except(top).Order());
        Assert.All(others, code => Assert.True(categories[code] < categories["PENDEKATAN_PARPOL"] && categories[code] * 1000 / 1596 < 56, code));
    }

    [Fact]
    public void Of_the_proven_the_top_ten_agencies_are_the_seeds_and_every_other_has_fewer_than_31()
    {
        (string Name, int Count)[] expected =
        [
            ("Kabupaten Purbalingga", 57), ("Kabupaten Kepulauan Siau Tagulandang Biaro", 56), ("Kabupaten Sumba Timur", 40),
            ("Kabupaten Wakatobi", 38), ("Kabupaten Mamuju", 36), ("Kabupaten Halmahera Timur", 34), ("Kabupaten Halmahera Selatan", 33),
            ("Kementerian Agama", 33), ("Kabupaten Konawe Utara", 33), ("Kabupaten Kaimana", 31),
        ];
        var byName = Proven2020.GroupBy(r => r.Report.InstansiName).Select(g => (Name: g.Key, Count: g.Count()))
            .OrderByDescending(a => a.Count).ToArray();
        Assert.Equal(expected.OrderBy(e => e.Name, StringComparer.Ordinal), byName.Take(10).OrderBy(e => e.Name, StringComparer.Ordinal));
        Assert.All(byName.Skip(10), a => Assert.True(a.Count < 31, $"{a.Name}: {a.Count}"));
        // Names and codes agree: one name per code, as in the catalog.
        Assert.Equal(Proven2020.Select(r => r.Report.InstansiCode).Distinct().Count(), byName.Length);
    }

    [Fact]
    public void Every_agency_is_the_catalogs_with_its_real_code_and_the_place_lies_in_its_province()
    {
        Assert.All(Set.Reports, r =>
        {
            var agency = Catalog.FindAgency(r.Report.InstansiCode);
            Assert.NotNull(agency);
            Assert.Equal(agency!.Name, r.Report.InstansiName);
            Assert.DoesNotContain("DEMO", agency.Code, StringComparison.Ordinal);
            Assert.NotNull(Catalog.FindProvince(r.Report.ProvinceCode));
            if (!agency.IsCentral)
            {
                Assert.Equal(agency.ProvinceCode, r.Report.ProvinceCode);
            }
        });
        Assert.Contains(Set.Reports, r => r.Report.InstansiCode == "BA-025");
        Assert.DoesNotContain(Pilkada2020, r => int.Parse(r.Report.ProvinceCode, CultureInfo.InvariantCulture) >= 93); // formed in 2022
    }

    [Theory]
    [InlineData("3303")]
    [InlineData("3374")]
    public void The_development_ppk_agencies_have_recommendations_of_every_kind_in_both_elections(string code)
    {
        foreach (var election in new[] { "pilkada-2020", "pilkada-2024" })
        {
            var letters = Set.Reports.Where(r => r.Report.InstansiCode == code && r.Report.ElectionId == election && r.Recommendation is not null)
                .Select(r => r.Recommendation!).ToArray();
            Assert.Equal(Enum.GetValues<DemoFollowUpKind>().Order(), letters.Select(l => l.FollowUp).Distinct().Order());
            Assert.Contains(letters, l => l.Decrees.Count == 2); // a lighter decree, then a compliant one
        }
    }

    [Fact]
    public void Pilkada_2024_has_the_181_asn_bawaslus_provinces_processed()
    {
        (string Province, int Count)[] expected =
        [
            ("35", 55), ("33", 37), ("73", 26), ("52", 17), ("76", 14), ("72", 8), ("18", 5), ("36", 3), ("71", 3),
            ("75", 2), ("63", 2), ("64", 2), ("12", 2), ("11", 1), ("17", 1), ("62", 1), ("53", 1), ("14", 1),
        ];
        Assert.Equal(181, Pilkada2024.Length);
        Assert.Equal(expected.OrderBy(e => e.Province), Pilkada2024.GroupBy(r => r.Report.ProvinceCode)
            .Select(g => (g.Key, g.Count())).OrderBy(e => e.Key));
        var election = Catalog.FindElection("pilkada-2024")!;
        Assert.All(Pilkada2024, r =>
        {
            Assert.Equal(ReportSource.Bawaslu, r.Report.Source);
            Assert.InRange(r.ActDate, new DateOnly(2024, 6, 1), new DateOnly(2024, 12, 31));
            Assert.InRange(r.ActDate, election.FirstActDate, election.LastActDate);
            Assert.Equal(r.Report.ProvinceCode, Catalog.FindAgency(r.Report.InstansiCode)!.ProvinceCode);
            Assert.Equal("BKN", r.Recommendation?.AuthorityCode ?? "BKN");
        });
        Assert.Contains(Pilkada2024, r => r.Report.InstansiCode == "7604" && r.Report.InstansiName == "Kabupaten Polewali Mandar");
        Assert.Contains(Pilkada2024, r => r.Report.InstansiCode == "3303");
        Assert.Contains(Pilkada2024, r => r.Report.InstansiCode == "3374");
        Assert.Contains(Pilkada2024, r => r.Outcome == Outcome.NotProven);
        Assert.Equal(3, Pilkada2024.Select(r => election.PeriodOf(r.ActDate)).Distinct().Count());
    }

    [Fact]
    public void Recommendations_name_the_catalog_sanction_of_the_track_and_every_date_follows_the_process()
    {
        var intakes = new Dictionary<DateOnly, CaseIntake>();
        foreach (var r in Set.Reports)
        {
            var election = Catalog.FindElection(r.Report.ElectionId)!;
            Assert.True(r.ActDate < r.FiledOn && r.FiledOn < r.DecidedOn, $"report {r.Index}");
            Assert.True(Calendar.IsWorkingDay(r.FiledOn) && Calendar.IsWorkingDay(r.DecidedOn));
            Assert.StartsWith("DEMO/", r.DecisionReference);
            if (r.Recommendation is not { } letter)
            {
                continue;
            }
            Assert.True(letter.IssuedOn > r.DecidedOn && Calendar.IsWorkingDay(letter.IssuedOn));
            Assert.All(letter.Decrees, d => Assert.True(d.DecreeDate > letter.IssuedOn && Calendar.IsWorkingDay(d.DecreeDate)));
            var catalogSanction = Catalog.FindViolation(r.Report.ViolationCode)!.SanctionOn(election.TrackOf(r.ActDate));
            if (catalogSanction != SanctionLevel.Unspecified)
            {
                Assert.Equal(catalogSanction, letter.Level);
            }
            Assert.NotEqual(SanctionLevel.Unspecified, letter.Level);
        }
    }

    [Fact]
    public void Every_report_passes_intake_on_its_filing_day()
    {
        Assert.All(Set.Reports, r =>
        {
            var clock = new BusinessClock(new FixedTime(r.FiledOn), BusinessClock.ResolveZone("Asia/Jakarta"));
            var admitted = new CaseIntake(Catalog, clock).Admit(r.Report);
            Assert.Equal(DateOnly.FromDateTime(admitted.CreatedAt.AddHours(7)), r.FiledOn);
        });
    }

    [Fact]
    public void The_last_decree_comes_after_everything_else_has_settled()
    {
        var last = Set.LastDecree;
        var owner = Set.Reports.Single(r => r.Recommendation?.Decrees.Contains(last) == true);
        Assert.Equal("3374", owner.Report.InstansiCode);
        Assert.Equal(DemoFollowUpKind.LateAfterBlock, owner.Recommendation!.FollowUp);
        foreach (var r in Set.Reports.Where(r => r.Recommendation is not null && r != owner))
        {
            var settled = Calendar.AddWorkingDays(r.Recommendation!.IssuedOn, DemoDataSet.EscalationSettledWorkingDays).Date;
            Assert.True(last.DecreeDate > settled, $"{r.Recommendation.LetterNumber} settles {settled}");
            Assert.All(r.Recommendation.Decrees, d => Assert.True(d.DecreeDate < last.DecreeDate));
        }
        Assert.True(last.DecreeDate < new DateOnly(2026, 1, 1));
    }

    [Fact]
    public void Integrity_pacts_and_supervision_teams_are_there_for_part_of_the_agencies()
    {
        foreach (var election in new[] { "pilkada-2020", "pilkada-2024" })
        {
            var purbalingga = Assert.Single(Set.IntegrityPacts, p => p.InstansiCode == "3303" && p.ElectionId == election);
            Assert.Equal(purbalingga.AsnCount, purbalingga.SignatoryCount);
            var semarang = Assert.Single(Set.IntegrityPacts, p => p.InstansiCode == "3374" && p.ElectionId == election);
            Assert.True(semarang.SignatoryCount < semarang.AsnCount);
            Assert.DoesNotContain(Set.SupervisionTeams, t => t.InstansiCode == "3374");
            var team = Assert.Single(Set.SupervisionTeams, t => t.InstansiCode == "3303" && t.ElectionId == election);
            Assert.Single(team.Members, m => m.Role == "CHAIR");
            Assert.Single(team.Members, m => m.Role == "SECRETARY");
            Assert.Contains(team.Members, m => m.Role == "MEMBER");
        }
        var agencies = Set.Reports.Select(r => r.Report.InstansiCode).Distinct().Count();
        Assert.InRange(Set.IntegrityPacts.Select(p => p.InstansiCode).Distinct().Count(), 10, agencies - 1);
        Assert.InRange(Set.SupervisionTeams.Select(p => p.InstansiCode).Distinct().Count(), 5, agencies - 1);
        Assert.All(Set.IntegrityPacts, p =>
        {
            Assert.StartsWith("DEMO/", p.DocumentReference);
            Assert.InRange(p.SignatoryCount, 1, p.AsnCount);
            Assert.NotNull(Catalog.FindAgency(p.InstansiCode));
        });
        var caseNips = Set.Reports.Select(r => r.Report.Nip).ToHashSet();
        Assert.All(Set.SupervisionTeams.SelectMany(t => t.Members), m =>
        {
            Assert.True(Nip.TryParse(m.Nip, out _, out var error), error);
            Assert.InRange(int.Parse(m.Nip[15..], CultureInfo.InvariantCulture), 900, 999);
            Assert.DoesNotContain(m.Nip, caseNips);
            Assert.Contains(m.Role, new[] { "CHAIR", "SECRETARY", "MEMBER" });
        });
        Assert.All(Set.SupervisionTeams, t => Assert.StartsWith("DEMO/", t.DecreeNumber));
    }

    [Fact]
    public void It_is_the_same_every_time_and_clearly_synthetic()
    {
        var again = DemoDataSet.Build(Catalog, Calendar);
        Assert.Equal(Set.Reports.Select(Describe), again.Reports.Select(Describe));
        Assert.Equal(Set.IntegrityPacts, again.IntegrityPacts);
        Assert.Equal(Set.SupervisionTeams.Select(t => $"{t} {string.Join(",", t.Members)}"), again.SupervisionTeams.Select(t => $"{t} {string.Join(",", t.Members)}"));
        Assert.Equal(Set.LastDecree, again.LastDecree);

        var requestIds = new HashSet<string>();
        Assert.All(Set.Reports, r =>
        {
            Assert.Equal($"ASN Sintetis {r.Index + 1:D4}", r.Report.ReportedName);
            Assert.StartsWith("DEMO/", r.Report.SourceReference);
            Assert.True(Nip.TryParse(r.Report.Nip, out _, out var error), error);
            Assert.InRange(int.Parse(r.Report.Nip[15..], CultureInfo.InvariantCulture), 900, 999);
            Assert.Equal(DemoDataSet.RequestId(r.Index), r.Report.RequestId);
            Assert.True(requestIds.Add(r.Report.RequestId));
            if (r.Recommendation is { } letter)
            {
                Assert.StartsWith("DEMO/", letter.LetterNumber);
                Assert.True(requestIds.Add(letter.RequestId));
                Assert.All(letter.Decrees, d =>
                {
                    Assert.StartsWith("DEMO/", d.DecreeNumber);
                    Assert.True(requestIds.Add(d.RequestId));
                });
            }
        });
        Assert.All(requestIds, id => Assert.True(Guid.TryParse(id, out _), id));
        Assert.Equal(Set.Reports.Where(r => r.Recommendation is not null).Count(),
            Set.Reports.Select(r => r.Recommendation?.LetterNumber).OfType<string>().Distinct().Count());
        Assert.Equal(Set.Reports.Sum(r => r.Recommendation?.Decrees.Count ?? 0),
            Set.Reports.SelectMany(r => r.Recommendation?.Decrees ?? []).Select(d => d.DecreeNumber).Distinct().Count());
    }

    private static string Describe(DemoReport r) =>
        $"{r.Index} {r.Report} {r.ActDate} {r.FiledOn} {r.Outcome} {r.DecidedOn} {r.DecisionReference} {r.Recommendation} " +
        string.Join(",", r.Recommendation?.Decrees ?? []);

    /// <summary>The rule, written out independently: full years from the NIP's birth date to the act; unknown below 18 or above 70.</summary>
    private static string AgeBand(string nip, DateOnly act)
    {
        var birth = Birth(nip);
        var age = act.Year - birth.Year - (act.Month < birth.Month || (act.Month == birth.Month && act.Day < birth.Day) ? 1 : 0);
        return age is < 18 or > 70 ? "unknown" : age <= 30 ? "<=30" : age <= 40 ? "31-40" : age <= 50 ? "41-50" : ">=51";
    }

    private static DateOnly Birth(string nip) => DateOnly.ParseExact(nip[..8], "yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Band(DemoAgeBand band) => band switch
    {
        DemoAgeBand.UpTo30 => "<=30",
        DemoAgeBand.From31To40 => "31-40",
        DemoAgeBand.From41To50 => "41-50",
        DemoAgeBand.From51 => ">=51",
        _ => "unknown",
    };

    private static string Percent(int count, int total) => (100.0 * count / total).ToString("F1", CultureInfo.InvariantCulture);

    private sealed class FixedTime(DateOnly jakartaDate) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(jakartaDate.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(7)).ToUniversalTime();
    }
}
