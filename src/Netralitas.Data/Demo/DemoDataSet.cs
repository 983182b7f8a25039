using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;

namespace Netralitas.Data.Demo;

/// <summary>
/// What the PPK does with a demo recommendation. The stages named assume the default spacing of the
/// escalation steps (a warning on the first working day after the due date, then 5 working days to
/// the reprimand and 5 more to the block), with the sweep run on every working day.
/// </summary>
public enum DemoFollowUpKind
{
    /// <summary>A compliant decree within the 14 working days.</summary>
    OnTime,

    /// <summary>A compliant decree 15–19 working days after the letter: warned, then complied.</summary>
    LateAfterWarning,

    /// <summary>A compliant decree 20–24 working days after the letter: reprimanded, then complied.</summary>
    LateAfterReprimand,

    /// <summary>A compliant decree 26 or more working days after the letter: blocked, then complied and released.</summary>
    LateAfterBlock,

    /// <summary>A decree lighter than recommended and nothing after it: non-compliant, escalated to the block.</summary>
    Lighter,

    /// <summary>No decree: warned, reprimanded, blocked.</summary>
    Unanswered,
}

/// <summary>The age band at the act (full years from the NIP's birth date to the act date); unknown below 18 or above 70.</summary>
public enum DemoAgeBand { UpTo30, From31To40, From41To50, From51, Unknown }

/// <summary>One PPK decree (SK) on a demo recommendation, recorded through the recommendation desk.</summary>
public sealed record DemoDecree(string RequestId, string DecreeNumber, DateOnly DecreeDate, SanctionLevel Level, string Form, bool Compliant);

/// <summary>A demo recommendation letter and the PPK's decrees on it, in date order.</summary>
public sealed record DemoRecommendation(
    string RequestId,
    string AuthorityCode,
    string LetterNumber,
    DateOnly IssuedOn,
    SanctionLevel Level,
    string Form,
    DemoFollowUpKind FollowUp,
    IReadOnlyList<DemoDecree> Decrees)
{
    /// <summary>The PPK answered with a decree (compliant or lighter).</summary>
    public bool FollowedUp => Decrees.Count > 0;
}

/// <summary>One demo report: what is filed (and when), the examination outcome, and for a proven case its recommendation.</summary>
public sealed record DemoReport(
    int Index,
    FileCaseCommand Report,
    DateOnly ActDate,
    DateOnly FiledOn,
    Outcome Outcome,
    DateOnly DecidedOn,
    string DecisionReference,
    DemoRecommendation? Recommendation);

/// <summary>An agency's integrity pact on neutrality (pakta integritas) for an election: signed by some or all of its ASN.</summary>
public sealed record DemoIntegrityPact(string InstansiCode, string ElectionId, DateOnly SignedOn, string DocumentReference, int SignatoryCount, int AsnCount);

/// <summary>An agency's internal neutrality supervision team for an election, set up by decree; roles CHAIR, SECRETARY, MEMBER.</summary>
public sealed record DemoSupervisionTeam(string InstansiCode, string ElectionId, string DecreeNumber, DateOnly DecreeDate, IReadOnlyList<(string Nip, string Role)> Members);

/// <summary>The whole demo data set.</summary>
public sealed record DemoData(
    IReadOnlyList<DemoReport> Reports,
    IReadOnlyList<DemoIntegrityPact> IntegrityPacts,
    IReadOnlyList<DemoSupervisionTeam> SupervisionTeams)
{
    /// <summary>
    /// The decree dated after every other event of the set: loaded last, so that its request id being
    /// stored means the whole set was loaded.
    /// </summary>
    public DemoDecree LastDecree { get; } = Reports
        .SelectMany(r => r.Recommendation?.Decrees ?? [])
        .OrderBy(d => d.DecreeDate).ThenBy(d => d.RequestId, StringComparer.Ordinal).Last();
}

/// <summary>
/// A clearly synthetic data set that shows the whole loop — report, examination, recommendation,
/// the PPK's decree, escalation and release — in two elections.
/// <list type="bullet">
/// <item>Pilkada Serentak 2020 reproduces seed 001's national KASN figures (docs/domain.md, "The
/// national figures") exactly on its proven cases: 2,034 reported, 1,596 proven, all recommended by
/// KASN, 1,373 followed up by their PPK (on time, late, or lighter than recommended) and 223 never
/// answered; the period, age-band, position, category and top-10-agency counts.</item>
/// <item>Pilkada Serentak 2024: the 181 ASN processed by Bawaslu's provinces (seed 000), per
/// province, recommended by BKN (which took over KASN's functions under UU 20/2023).</item>
/// <item>Integrity pacts and internal supervision teams of part of the agencies, per election, for the
/// monev records (not stored by the loader).</item>
/// </list>
/// Agencies come from the catalog (<see cref="ReferenceCatalog.Agencies"/>) with their real codes.
/// Every name reads "ASN Sintetis NNNN", every reference starts with DEMO/, every NIP's sequence number
/// is 900–999. Deterministic: the same set for the same catalog and working-day calendar (dates of
/// letters, decisions and decrees fall on the calendar's working days).
/// </summary>
public static class DemoDataSet
{
    public const string ElectionId = "pilkada-2020";
    public const string Pilkada2024ElectionId = "pilkada-2024";

    public const int ReportCount = 2034;
    public const int ProvenCount = 1596;
    public const int FollowedUpCount = 1373;
    public const int Pilkada2024ReportCount = 181;

    /// <summary>KASN recommended in 2020–2021; UU 20/2023 moved its functions to BKN, which recommends in Pilkada 2024.</summary>
    public const string Authority2020 = "KASN";
    public const string Authority2024 = "BKN";

    /// <summary>The development PPK members' agencies: each has cases, recommendations and follow-ups of every kind.</summary>
    public static readonly IReadOnlyList<string> ShowcaseAgencies = ["3303", "3374"];

    /// <summary>Seed 001's top ten agencies among the proven cases of 2020, by catalog code, with their counts.</summary>
    public static readonly IReadOnlyList<(string Code, int Proven)> TopAgencies2020 =
    [
        ("3303", 57), ("7109", 56), ("5311", 40), ("7407", 38), ("7602", 36),
        ("8206", 34), ("8204", 33), ("BA-025", 33), ("7409", 33), ("9208", 31),
    ];

    /// <summary>Seed 000: ASN processed by Bawaslu's provinces in Pilkada 2024, by province code.</summary>
    public static readonly IReadOnlyList<(string Province, int Count)> Pilkada2024ByProvince =
    [
        ("35", 55), ("33", 37), ("73", 26), ("52", 17), ("76", 14), ("72", 8), ("18", 5), ("36", 3), ("71", 3),
        ("75", 2), ("63", 2), ("64", 2), ("12", 2), ("11", 1), ("17", 1), ("62", 1), ("53", 1), ("14", 1),
    ];

    // Seed 001, counts among the 1,596 proven: social media 30.4%, partisan activities 22.4%,
    // partisan photos 12.6%, declarations 10.9%, approaching parties 5.6%; the other 18.1% spread
    // over the remaining codes, each below 5.6%.
    private static readonly (string Code, int Count)[] ProvenCategories2020 =
    [
        ("MEDSOS_KAMPANYE", 485), ("KEGIATAN_KEBERPIHAKAN", 358), ("FOTO_SIMBOL", 201), ("DEKLARASI", 174),
        ("PENDEKATAN_PARPOL", 89), ("MEDSOS_INTERAKSI", 80), ("APK", 62), ("KEGIATAN_KAMPANYE", 40),
        ("KEPUTUSAN_MENGUNTUNGKAN", 25), ("PASANGAN_TANPA_CLTN", 22), ("TIM_SEBELUM_PENETAPAN", 18),
        ("DUKUNGAN_KTP", 14), ("TIM_SETELAH_PENETAPAN", 12), ("LAINNYA", 10), ("ANGGOTA_PARPOL", 6),
    ];

    // Acts that concern a bakal calon (before the candidates are determined) and acts of the campaign
    // itself: the period follows from the act, so the catalog's track and sanction make sense.
    private static readonly HashSet<string> BeforePenetapanCodes =
        ["PENDEKATAN_PARPOL", "TIM_SEBELUM_PENETAPAN", "DUKUNGAN_KTP", "PASANGAN_TANPA_CLTN", "KEGIATAN_KAMPANYE"];

    private static readonly HashSet<string> CampaignCodes =
        ["KEGIATAN_KEBERPIHAKAN", "TIM_SETELAH_PENETAPAN", "KEPUTUSAN_MENGUNTUNGKAN", "ANGGOTA_PARPOL"];

    // Seed 001, counts among the proven: Fungsional 26.5%, Pelaksana 17.2%, JPT 15.7%, Administrator
    // 13.4%, Pengawas 11.8% (largest remainder over 1,596); the rest did not state a position.
    private static readonly (PositionKind Kind, int Count)[] ProvenPositions2020 =
    [
        (PositionKind.Fungsional, 423), (PositionKind.Pelaksana, 275), (PositionKind.Jpt, 251),
        (PositionKind.Administrator, 214), (PositionKind.Pengawas, 188), (PositionKind.Unspecified, 245),
    ];

    // Seed 001, counts among the proven: >=51 641, 41-50 562, 31-40 324, <=30 25, unknown 44 (a
    // placeholder birth date 1900-01-01 in the NIP, as legacy records carry).
    private static readonly (DemoAgeBand Band, int Count)[] ProvenAges2020 =
    [
        (DemoAgeBand.From51, 641), (DemoAgeBand.From41To50, 562), (DemoAgeBand.From31To40, 324),
        (DemoAgeBand.UpTo30, 25), (DemoAgeBand.Unknown, 44),
    ];

    private const int ProvenBeforeCampaign2020 = 751;

    // Seed 001: 1,373 of the 1,596 followed up, 223 not. The split of the followed-up ones is ours.
    private static readonly (DemoFollowUpKind Kind, int Count)[] FollowUps2020 =
    [
        (DemoFollowUpKind.OnTime, 1040), (DemoFollowUpKind.LateAfterWarning, 100), (DemoFollowUpKind.LateAfterReprimand, 70),
        (DemoFollowUpKind.LateAfterBlock, 70), (DemoFollowUpKind.Lighter, 93), (DemoFollowUpKind.Unanswered, 223),
    ];

    private const int LighterFirst2020 = 30;

    // Every kind for the showcase agencies, in each election.
    private static readonly Dictionary<(string Agency, string Election), (DemoFollowUpKind Kind, int Count)[]> ShowcaseFollowUps = new()
    {
        [("3303", ElectionId)] = [(DemoFollowUpKind.Unanswered, 7), (DemoFollowUpKind.Lighter, 4), (DemoFollowUpKind.LateAfterWarning, 4), (DemoFollowUpKind.LateAfterReprimand, 3), (DemoFollowUpKind.LateAfterBlock, 3)],
        [("3374", ElectionId)] = [(DemoFollowUpKind.Unanswered, 3), (DemoFollowUpKind.Lighter, 2), (DemoFollowUpKind.LateAfterWarning, 2), (DemoFollowUpKind.LateAfterReprimand, 2), (DemoFollowUpKind.LateAfterBlock, 2)],
        [("3303", Pilkada2024ElectionId)] = [(DemoFollowUpKind.Unanswered, 2), (DemoFollowUpKind.Lighter, 1), (DemoFollowUpKind.LateAfterWarning, 1), (DemoFollowUpKind.LateAfterReprimand, 1), (DemoFollowUpKind.LateAfterBlock, 1)],
        [("3374", Pilkada2024ElectionId)] = [(DemoFollowUpKind.Unanswered, 2), (DemoFollowUpKind.Lighter, 1), (DemoFollowUpKind.LateAfterWarning, 1), (DemoFollowUpKind.LateAfterReprimand, 1), (DemoFollowUpKind.LateAfterBlock, 1)],
    };

    private const int SemarangProven2020 = 24;

    // The 2024 follow-ups of the proven cases outside the showcase agencies.
    private static readonly (DemoFollowUpKind Kind, int Count)[] FollowUps2024 =
    [
        (DemoFollowUpKind.OnTime, 80), (DemoFollowUpKind.LateAfterWarning, 12), (DemoFollowUpKind.LateAfterReprimand, 10),
        (DemoFollowUpKind.LateAfterBlock, 8), (DemoFollowUpKind.Lighter, 11), (DemoFollowUpKind.Unanswered, 15),
    ];

    private const int NotProven2024 = 29;

    // Where the Pilkada 2024 cases of a province work: its government and some of its kabupaten/kota.
    private static readonly Dictionary<string, (string Agency, int Count)[]> Agencies2024 = new()
    {
        ["35"] = [("35", 12), ("3578", 12), ("3573", 10), ("3509", 11), ("3515", 10)],
        ["33"] = [("3303", 8), ("3374", 8), ("33", 7), ("3302", 5), ("3372", 5), ("3301", 4)],
        ["73"] = [("73", 6), ("7371", 8), ("7308", 6), ("7306", 6)],
        ["52"] = [("52", 4), ("5271", 4), ("5203", 5), ("5202", 4)],
        ["76"] = [("7604", 6), ("7602", 4), ("76", 2), ("7605", 2)],
        ["72"] = [("72", 3), ("7271", 3), ("7201", 2)],
        ["18"] = [("18", 2), ("1871", 3)],
        ["36"] = [("36", 1), ("3673", 1), ("3671", 1)],
        ["71"] = [("71", 1), ("7171", 2)],
        ["75"] = [("75", 1), ("7571", 1)],
        ["63"] = [("63", 1), ("6371", 1)],
        ["64"] = [("64", 1), ("6472", 1)],
        ["12"] = [("12", 1), ("1271", 1)],
        ["11"] = [("1171", 1)],
        ["17"] = [("17", 1)],
        ["62"] = [("6271", 1)],
        ["53"] = [("5371", 1)],
        ["14"] = [("14", 1)],
    };

    // Shares for what seed 001 does not fix: the not-proven reports and the 2024 cases.
    private static readonly (string Code, double Share)[] CategoryShares =
    [
        ("MEDSOS_KAMPANYE", 30.4), ("KEGIATAN_KEBERPIHAKAN", 22.4), ("FOTO_SIMBOL", 12.6), ("DEKLARASI", 10.9),
        ("PENDEKATAN_PARPOL", 5.6), ("MEDSOS_INTERAKSI", 5.0), ("APK", 4.0), ("KEGIATAN_KAMPANYE", 2.5),
        ("KEPUTUSAN_MENGUNTUNGKAN", 1.6), ("PASANGAN_TANPA_CLTN", 1.4), ("TIM_SEBELUM_PENETAPAN", 1.1),
        ("DUKUNGAN_KTP", 0.9), ("TIM_SETELAH_PENETAPAN", 0.8), ("LAINNYA", 0.6), ("ANGGOTA_PARPOL", 0.2),
    ];

    private static readonly (PositionKind Kind, double Share)[] PositionShares =
    [
        (PositionKind.Fungsional, 26.5), (PositionKind.Pelaksana, 17.2), (PositionKind.Jpt, 15.7),
        (PositionKind.Administrator, 13.4), (PositionKind.Pengawas, 11.8), (PositionKind.Unspecified, 15.4),
    ];

    private static readonly (DemoAgeBand Band, double Share)[] AgeShares =
    [
        (DemoAgeBand.From51, 40.2), (DemoAgeBand.From41To50, 35.1), (DemoAgeBand.From31To40, 20.3),
        (DemoAgeBand.UpTo30, 1.6), (DemoAgeBand.Unknown, 2.8),
    ];

    private static readonly (ReportSource Source, double Share)[] SourceShares =
        [(ReportSource.Bawaslu, 80), (ReportSource.Public, 10), (ReportSource.Media, 7), (ReportSource.Authority, 3)];

    private static readonly Dictionary<PositionKind, string[]> PositionTitles = new()
    {
        [PositionKind.Fungsional] = ["Guru Ahli Pertama", "Guru Ahli Muda", "Penyuluh Pertanian Ahli Muda", "Perawat Terampil", "Analis Kebijakan Ahli Muda"],
        [PositionKind.Pelaksana] = ["Pengadministrasi Umum", "Pengelola Keuangan", "Pengadministrasi Kepegawaian", "Operator Layanan Operasional"],
        [PositionKind.Jpt] = ["Kepala Dinas Pendidikan", "Kepala Dinas Kesehatan", "Kepala Badan Perencanaan Pembangunan Daerah", "Asisten Pemerintahan dan Kesejahteraan Rakyat"],
        [PositionKind.Administrator] = ["Camat", "Kepala Bagian Umum", "Sekretaris Dinas", "Kepala Bidang Pembinaan"],
        [PositionKind.Pengawas] = ["Lurah", "Kepala Seksi Pelayanan", "Kepala Subbagian Keuangan", "Sekretaris Kecamatan"],
    };

    private static readonly Dictionary<SanctionLevel, string> SanctionForms = new()
    {
        [SanctionLevel.MoralClosed] = "Pernyataan secara tertutup",
        [SanctionLevel.MoralOpen] = "Pernyataan secara terbuka",
        [SanctionLevel.HdRingan] = "Teguran tertulis",
        [SanctionLevel.HdSedang] = "Pemotongan tunjangan kinerja 25% selama 6 bulan",
        [SanctionLevel.HdBerat] = "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
        [SanctionLevel.Ptdh] = "Pemberhentian tidak dengan hormat",
    };

    // The provinces formed in 2022 had no agencies in 2020.
    private static readonly HashSet<string> ProvincesFormedIn2022 = ["93", "94", "95", "96"];

    /// <summary>Working days after its letter by which a recommendation nobody answers is blocked, with a margin.</summary>
    public const int EscalationSettledWorkingDays = 30;

    /// <summary>
    /// The request id of demo report <paramref name="index"/> (in the order of the acts); fixed, so loading
    /// twice files nothing twice. The earlier demo data set (before recommendations) used the
    /// variant group 8000; this one uses 8001 for reports, 8002 for letters and 8003 for decrees.
    /// </summary>
    public static string RequestId(int index) => Id(0x8001, index);

    /// <summary>The first report's request id of the earlier demo data set (cases only, DEMO- agency codes).</summary>
    public static string EarlierSetFirstRequestId => Id(0x8000, 0);

    private static string RecommendationRequestId(int index) => Id(0x8002, index);

    private static string DecreeRequestId(int index, int decree) => Id(0x8003, index * 2 + decree);

    private static string Id(int variant, int index) => $"00000000-0000-4000-{variant:x4}-{index:D12}";

    /// <summary>The age band at <paramref name="actDate"/> of an ASN born on <paramref name="birthDate"/>.</summary>
    public static DemoAgeBand AgeBandAt(DateOnly birthDate, DateOnly actDate)
    {
        var age = FullYears(birthDate, actDate);
        return age switch
        {
            < 18 or > 70 => DemoAgeBand.Unknown,
            <= 30 => DemoAgeBand.UpTo30,
            <= 40 => DemoAgeBand.From31To40,
            <= 50 => DemoAgeBand.From41To50,
            _ => DemoAgeBand.From51,
        };
    }

    /// <summary>Builds the set; dates of letters and decrees are counted on <paramref name="calendar"/>.</summary>
    public static DemoData Build(ReferenceCatalog catalog, WorkingDayCalendar calendar)
    {
        var random = new Random(2020);
        var nips = new HashSet<string>();
        var slots = new List<Slot>(ReportCount + Pilkada2024ReportCount);
        slots.AddRange(Pilkada2020(catalog, calendar, random, nips));
        slots.AddRange(Pilkada2024(catalog, calendar, random, nips));
        MakeLastDecree(slots, calendar);

        // Reports are numbered in the order of their acts (which no working-day calendar moves, so that
        // the request ids stay the same whatever calendar is in force); letters per authority and
        // year, and decrees per agency and year, in date order.
        var ordered = slots.OrderBy(s => s.ActDate).ThenBy(s => s.Nip, StringComparer.Ordinal).ToArray();
        var proven = ordered.Where(s => s.Outcome == Outcome.Proven).ToArray();
        var letters = proven.GroupBy(s => (s.Authority, s.IssuedOn.Year))
            .SelectMany(g => g.OrderBy(s => s.IssuedOn).Select((s, i) => (s, i + 1)))
            .ToDictionary(x => x.s, x => x.Item2);
        var decrees = proven.SelectMany(s => s.Decrees.Select((d, n) => (Slot: s, n, d.Date)))
            .GroupBy(x => (x.Slot.Agency.Code, x.Date.Year))
            .SelectMany(g => g.OrderBy(x => x.Date).Select((x, i) => (Key: (x.Slot, x.n), Number: i + 1)))
            .ToDictionary(x => x.Key, x => x.Number);
        var reports = ordered.Select((slot, i) => slot.ToReport(i, letters, decrees, random)).ToArray();
        var (pacts, teams) = MonevRecords(catalog, reports, random, nips);
        return new DemoData(reports, pacts, teams);
    }

    private static List<Slot> Pilkada2020(ReferenceCatalog catalog, WorkingDayCalendar calendar, Random random, HashSet<string> nips)
    {
        var election = catalog.FindElection(ElectionId) ?? throw new InvalidOperationException($"The demo data needs the election {ElectionId}.");
        var agencies = catalog.Agencies.Where(a => !ProvincesFormedIn2022.Contains(a.ProvinceCode)).ToArray();

        // The proven cases: every count of seed 001 exactly.
        var proven = Enumerable.Range(0, ProvenCount).Select(_ => new Slot(election, Outcome.Proven)).ToArray();
        var categories = Exact(ProvenCategories2020, random);
        var positions = Exact(ProvenPositions2020, random);
        var ages = Exact(ProvenAges2020, random);
        var provenAgencies = ProvenAgencies2020(catalog, agencies, random);
        var eitherBefore = ProvenBeforeCampaign2020 - categories.Count(BeforePenetapanCodes.Contains);
        var eitherPeriods = Enumerable.Range(0, categories.Count(c => !BeforePenetapanCodes.Contains(c) && !CampaignCodes.Contains(c)))
            .Select(i => i < eitherBefore ? Period.BeforeCampaign : Period.DuringCampaign).ToArray();
        random.Shuffle(eitherPeriods);
        var either = 0;
        for (var i = 0; i < proven.Length; i++)
        {
            var slot = proven[i];
            slot.Violation = categories[i];
            slot.Period = BeforePenetapanCodes.Contains(slot.Violation) ? Period.BeforeCampaign
                : CampaignCodes.Contains(slot.Violation) ? Period.DuringCampaign
                : eitherPeriods[either++];
            slot.Position = positions[i];
            slot.Age = ages[i];
            slot.Agency = provenAgencies[i];
        }

        // The reports not proven: shapes of our choosing, some acts after the campaign among them.
        var notProven = Enumerable.Range(0, ReportCount - ProvenCount).Select(_ => new Slot(election, Outcome.NotProven)).ToArray();
        var weights = agencies.Select(a => TopAgencies2020.Any(t => t.Code == a.Code) ? 3.0 : 0.4 + random.NextDouble()).ToArray();
        foreach (var slot in notProven)
        {
            slot.Violation = Pick(CategoryShares, random);
            var roll = random.NextDouble();
            slot.Period = BeforePenetapanCodes.Contains(slot.Violation) ? Period.BeforeCampaign
                : roll < 0.05 ? Period.AfterCampaign
                : CampaignCodes.Contains(slot.Violation) || roll < 0.55 ? Period.DuringCampaign
                : Period.BeforeCampaign;
            slot.Position = Pick(PositionShares, random);
            slot.Age = Pick(AgeShares, random);
            slot.Agency = agencies[PickIndex(weights, random)];
        }

        var all = proven.Concat(notProven).ToList();
        foreach (var slot in all)
        {
            slot.ActDate = ActDate(slot, new DateOnly(2020, 2, 3), new DateOnly(2020, 12, 31), random);
            slot.Place(catalog, random, onlyBefore2022: true);
            slot.Source = Pick(SourceShares, random);
            slot.Nip = UniqueNip(nips, slot.Age, slot.ActDate, random);
            slot.Dates(calendar, random);
            slot.Authority = Authority2020;
        }
        foreach (var slot in proven)
        {
            slot.Level = RecommendedLevel(catalog, slot);
        }
        AssignFollowUps(proven, FollowUps2020, LighterFirst2020, random);
        foreach (var slot in proven)
        {
            slot.PlanDecrees(calendar, random);
        }
        return all;
    }

    /// <summary>Seed 001's top ten exactly, Kota Semarang's share, and the rest over the other agencies, fewer than 31 each.</summary>
    private static Agency[] ProvenAgencies2020(ReferenceCatalog catalog, IReadOnlyList<Agency> agencies, Random random)
    {
        var assigned = new List<Agency>(ProvenCount);
        foreach (var (code, count) in TopAgencies2020)
        {
            assigned.AddRange(Enumerable.Repeat(Known(catalog, code), count));
        }
        assigned.AddRange(Enumerable.Repeat(Known(catalog, "3374"), SemarangProven2020));
        var others = agencies.Where(a => a.Code != "3374" && TopAgencies2020.All(t => t.Code != a.Code)).ToArray();
        var weights = others.Select(_ => 0.15 + Math.Pow(random.NextDouble(), 1.5)).ToArray();
        var counts = Allocate(weights, ProvenCount - assigned.Count, cap: TopAgencies2020[^1].Proven - 1);
        for (var i = 0; i < others.Length; i++)
        {
            assigned.AddRange(Enumerable.Repeat(others[i], counts[i]));
        }
        var array = assigned.ToArray();
        random.Shuffle(array);
        return array;
    }

    private static List<Slot> Pilkada2024(ReferenceCatalog catalog, WorkingDayCalendar calendar, Random random, HashSet<string> nips)
    {
        var election = catalog.FindElection(Pilkada2024ElectionId) ?? throw new InvalidOperationException($"The demo data needs the election {Pilkada2024ElectionId}.");
        var slots = new List<Slot>(Pilkada2024ReportCount);
        foreach (var (province, count) in Pilkada2024ByProvince)
        {
            var agencies = Agencies2024[province];
            if (agencies.Sum(a => a.Count) != count)
            {
                throw new InvalidOperationException($"The 2024 agencies of province {province} do not add up to {count}.");
            }
            foreach (var (code, n) in agencies)
            {
                for (var k = 0; k < n; k++)
                {
                    slots.Add(new Slot(election, Outcome.Proven) { Agency = Known(catalog, code) });
                }
            }
        }

        var showcase = slots.Where(s => ShowcaseAgencies.Contains(s.Agency.Code)).ToArray();
        var others = slots.Where(s => !ShowcaseAgencies.Contains(s.Agency.Code)).ToArray();
        random.Shuffle(others);
        foreach (var slot in others.Take(NotProven2024))
        {
            slot.Outcome = Outcome.NotProven;
        }
        foreach (var slot in slots)
        {
            var showcased = ShowcaseAgencies.Contains(slot.Agency.Code);
            var roll = random.NextDouble();
            slot.Period = showcased || roll < 0.62 ? Period.DuringCampaign : roll < 0.92 ? Period.BeforeCampaign : Period.AfterCampaign;
            do
            {
                slot.Violation = Pick(CategoryShares, random);
            }
            while ((slot.Period == Period.BeforeCampaign && CampaignCodes.Contains(slot.Violation))
                || (slot.Period != Period.BeforeCampaign && BeforePenetapanCodes.Contains(slot.Violation)));
            slot.Position = Pick(PositionShares, random);
            slot.Age = Pick(AgeShares, random);
            slot.ActDate = ActDate(slot, new DateOnly(2024, 6, 3), new DateOnly(2024, 12, 13), random);
            slot.Place(catalog, random, onlyBefore2022: false);
            slot.Source = ReportSource.Bawaslu;
            slot.Nip = UniqueNip(nips, slot.Age, slot.ActDate, random);
            slot.Dates(calendar, random);
            slot.Authority = Authority2024;
        }
        var proven = slots.Where(s => s.Outcome == Outcome.Proven).ToArray();
        foreach (var slot in proven)
        {
            slot.Level = RecommendedLevel(catalog, slot);
        }
        AssignFollowUps(proven, FollowUps2024, lighterFirst: 3, random);
        foreach (var slot in proven)
        {
            slot.PlanDecrees(calendar, random);
        }
        return slots;
    }

    /// <summary>
    /// The catalog's sanction on the case's track. Where the SKB matrix has none for that track the
    /// authority names one: the act's sanction on the other track (e.g. HD sedang for approaching a
    /// party before penetapan), or for LAINNYA, decided by the Satgas, an open statement (ethics) or HD ringan (discipline).
    /// </summary>
    private static SanctionLevel RecommendedLevel(ReferenceCatalog catalog, Slot slot)
    {
        var violation = catalog.FindViolation(slot.Violation) ?? throw new InvalidOperationException($"Unknown violation {slot.Violation}.");
        var track = slot.Election.TrackOf(slot.ActDate);
        var level = violation.SanctionOn(track);
        if (level != SanctionLevel.Unspecified)
        {
            return level;
        }
        var other = violation.SanctionOn(track == Track.Ethics ? Track.Discipline : Track.Ethics);
        return other != SanctionLevel.Unspecified ? other : track == Track.Ethics ? SanctionLevel.MoralOpen : SanctionLevel.HdRingan;
    }

    /// <summary>
    /// Gives each proven case what its PPK does: the showcase agencies' quotas first (a lighter decree
    /// only where a lighter level exists), then the election's remaining counts over the rest.
    /// </summary>
    private static void AssignFollowUps(Slot[] proven, (DemoFollowUpKind Kind, int Count)[] totals, int lighterFirst, Random random)
    {
        var remaining = totals.ToDictionary(t => t.Kind, t => t.Count);
        var showcaseTotal = 0;
        var rest = new List<Slot>();
        foreach (var group in proven.GroupBy(s => s.Agency.Code))
        {
            if (!ShowcaseFollowUps.TryGetValue((group.Key, group.First().Election.Id), out var quotas))
            {
                rest.AddRange(group);
                continue;
            }
            var slots = group.ToList();
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(slots));
            foreach (var (kind, count) in quotas.OrderBy(q => q.Kind == DemoFollowUpKind.Lighter ? 0 : 1))
            {
                var takers = slots.Where(s => s.FollowUp is null && (kind != DemoFollowUpKind.Lighter || s.Level > SanctionLevel.MoralClosed)).Take(count).ToArray();
                if (takers.Length < count)
                {
                    throw new InvalidOperationException($"Agency {group.Key} has too few cases for its {kind} quota.");
                }
                foreach (var slot in takers)
                {
                    slot.FollowUp = kind;
                }
            }
            foreach (var slot in slots.Where(s => s.FollowUp is null))
            {
                slot.FollowUp = DemoFollowUpKind.OnTime;
            }
            // Every showcase agency also has a late decree that came after a lighter one.
            if (slots.FirstOrDefault(s => IsLate(s.FollowUp) && s.Level > SanctionLevel.MoralClosed) is { } corrected)
            {
                corrected.LighterFirst = true;
                showcaseTotal++;
            }
            if (group.First().Election.Id == ElectionId)
            {
                foreach (var slot in slots)
                {
                    remaining[slot.FollowUp!.Value]--;
                }
            }
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rest));
        foreach (var slot in rest.Where(s => s.Level > SanctionLevel.MoralClosed).Take(remaining[DemoFollowUpKind.Lighter]))
        {
            slot.FollowUp = DemoFollowUpKind.Lighter;
        }
        remaining[DemoFollowUpKind.Lighter] -= rest.Count(s => s.FollowUp == DemoFollowUpKind.Lighter);
        var kinds = remaining.Where(r => r.Key != DemoFollowUpKind.Lighter).SelectMany(r => Enumerable.Repeat(r.Key, r.Value)).ToArray();
        var open = rest.Where(s => s.FollowUp is null).ToArray();
        if (kinds.Length != open.Length || remaining[DemoFollowUpKind.Lighter] != 0)
        {
            throw new InvalidOperationException("The follow-up counts do not add up to the proven cases.");
        }
        random.Shuffle(kinds);
        for (var i = 0; i < open.Length; i++)
        {
            open[i].FollowUp = kinds[i];
        }
        foreach (var slot in rest.Where(s => IsLate(s.FollowUp) && s.Level > SanctionLevel.MoralClosed).Take(Math.Max(0, lighterFirst - showcaseTotal)))
        {
            slot.LighterFirst = true;
        }
    }

    private static bool IsLate(DemoFollowUpKind? kind) =>
        kind is DemoFollowUpKind.LateAfterWarning or DemoFollowUpKind.LateAfterReprimand or DemoFollowUpKind.LateAfterBlock;

    /// <summary>
    /// One Kota Semarang recommendation of 2024, blocked, is complied with after every other event of
    /// the set (and after every other recommendation's escalation has run its course): loaded last.
    /// </summary>
    private static void MakeLastDecree(List<Slot> slots, WorkingDayCalendar calendar)
    {
        var last = slots.First(s => s.Agency.Code == "3374" && s.Election.Id == Pilkada2024ElectionId && s.FollowUp == DemoFollowUpKind.LateAfterBlock);
        var settled = slots.Where(s => s.Outcome == Outcome.Proven && !ReferenceEquals(s, last))
            .Select(s => s.SettledBy(calendar))
            .Append(last.SettledBy(calendar))
            .Max();
        last.Decrees[^1] = last.Decrees[^1] with { Date = calendar.AddWorkingDays(settled, 10).Date };
    }

    private static (IReadOnlyList<DemoIntegrityPact>, IReadOnlyList<DemoSupervisionTeam>) MonevRecords(
        ReferenceCatalog catalog, IReadOnlyList<DemoReport> reports, Random random, HashSet<string> nips)
    {
        var pacts = new List<DemoIntegrityPact>();
        var teams = new List<DemoSupervisionTeam>();
        foreach (var (election, year) in new[] { (ElectionId, 2020), (Pilkada2024ElectionId, 2024) })
        {
            var agencies = reports.Where(r => r.Report.ElectionId == election).Select(r => r.Report.InstansiCode)
                .Distinct().Order(StringComparer.Ordinal).Select(code => Known(catalog, code)).Where(a => !a.IsCentral).ToArray();
            var sequence = 0;
            foreach (var agency in agencies)
            {
                var showcase = ShowcaseAgencies.Contains(agency.Code);
                var roll = random.NextDouble();
                var hasPact = showcase || roll < 0.45;
                var hasTeam = agency.Code == "3303" || (!showcase && roll < 0.25);
                var asn = agency.Code.Length == 2 ? random.Next(9_000, 26_000) : random.Next(3_500, 14_000);
                if (agency.Code == "3303")
                {
                    asn = year == 2020 ? 8_142 : 8_397;
                }
                else if (agency.Code == "3374")
                {
                    asn = year == 2020 ? 12_480 : 12_905;
                }
                sequence++;
                if (hasPact)
                {
                    var complete = agency.Code == "3303" || (agency.Code != "3374" && random.NextDouble() < 0.7);
                    var signatories = complete ? asn : (int)(asn * (0.55 + 0.4 * random.NextDouble()));
                    if (agency.Code == "3374")
                    {
                        signatories = year == 2020 ? 9_305 : 11_214;
                    }
                    pacts.Add(new DemoIntegrityPact(agency.Code, election, RandomDate(new DateOnly(year, 7, 1), new DateOnly(year, 9, 18), random),
                        $"DEMO/PAKTA-INTEGRITAS/{agency.Code}/{year}/{sequence:D3}", signatories, asn));
                }
                if (hasTeam)
                {
                    var members = new List<(string, string)> { (MemberNip(nips, random), "CHAIR"), (MemberNip(nips, random), "SECRETARY") };
                    var count = random.Next(3, 8);
                    for (var m = 0; m < count; m++)
                    {
                        members.Add((MemberNip(nips, random), "MEMBER"));
                    }
                    teams.Add(new DemoSupervisionTeam(agency.Code, election, $"DEMO/SK-TIM-PENGAWASAN/{agency.Code}/{year}/{sequence:D3}",
                        RandomDate(new DateOnly(year, 6, 15), new DateOnly(year, 8, 31), random), members));
                }
            }
        }
        return (pacts, teams);
    }

    private static string MemberNip(HashSet<string> nips, Random random)
    {
        var reference = new DateOnly(2020, 7, 1);
        return UniqueNip(nips, DemoAgeBand.From41To50, reference, random);
    }

    private static Agency Known(ReferenceCatalog catalog, string code) =>
        catalog.FindAgency(code) ?? throw new InvalidOperationException($"The demo data needs the agency {code} in the agency catalog (agencies.json).");

    /// <summary>An act date in the slot's period (before penetapan for acts about a bakal calon).</summary>
    private static DateOnly ActDate(Slot slot, DateOnly earliest, DateOnly latest, Random random)
    {
        var election = slot.Election;
        return slot.Period switch
        {
            // Reports pick up as the candidates are nominated: later dates are likelier.
            Period.BeforeCampaign => Skewed(earliest,
                BeforePenetapanCodes.Contains(slot.Violation) ? election.CandidateDeterminationDate.AddDays(-1) : election.CampaignStartDate.AddDays(-1), random),
            Period.DuringCampaign => RandomDate(election.CampaignStartDate, election.CampaignEndDate, random),
            _ => RandomDate(election.CampaignEndDate.AddDays(1), latest, random),
        };
    }

    private static DateOnly Skewed(DateOnly from, DateOnly to, Random random) =>
        from.AddDays((int)((to.DayNumber - from.DayNumber) * Math.Sqrt(random.NextDouble())));

    private static string UniqueNip(HashSet<string> taken, DemoAgeBand band, DateOnly actDate, Random random)
    {
        string nip;
        do
        {
            nip = SyntheticNip(band, actDate, random);
        }
        while (!taken.Add(nip));
        return nip;
    }

    /// <summary>A valid NIP whose birth date gives <paramref name="band"/> at <paramref name="actDate"/>, appointed before it; sequence 900–999.</summary>
    private static string SyntheticNip(DemoAgeBand band, DateOnly actDate, Random random)
    {
        DateOnly birth;
        DateOnly appointed;
        if (band == DemoAgeBand.Unknown)
        {
            // A legacy record's placeholder birth date; the appointment month is real.
            birth = new DateOnly(1900, 1, 1);
            appointed = new DateOnly(random.Next(1986, 2013), random.Next(1, 13), 1);
        }
        else
        {
            var (min, max) = band switch
            {
                DemoAgeBand.UpTo30 => (23, 30),
                DemoAgeBand.From31To40 => (31, 40),
                DemoAgeBand.From41To50 => (41, 50),
                _ => (51, 58),
            };
            var age = random.Next(min, max + 1);
            do
            {
                // No 29 February: every way of counting full years agrees on the others.
                birth = actDate.AddYears(-age - 1).AddDays(1 + random.Next(365));
            }
            while (birth is { Month: 2, Day: 29 } || FullYears(birth, actDate) != age);
            appointed = birth.AddYears(random.Next(21, Math.Min(age - 1, 35) + 1)).AddMonths(random.Next(0, 12));
            var latest = actDate.AddMonths(-3);
            if (appointed > latest)
            {
                appointed = latest;
            }
        }
        var gender = random.Next(2) + 1;
        return $"{birth:yyyyMMdd}{appointed:yyyyMM}{gender}{random.Next(900, 1000):D3}";
    }

    private static int FullYears(DateOnly birth, DateOnly on)
    {
        var years = on.Year - birth.Year;
        return (on.Month, on.Day).CompareTo((birth.Month, birth.Day)) < 0 ? years - 1 : years;
    }

    /// <summary>Exactly the given counts, shuffled.</summary>
    private static T[] Exact<T>(IReadOnlyList<(T Value, int Count)> counts, Random random)
    {
        var values = counts.SelectMany(c => Enumerable.Repeat(c.Value, c.Count)).ToArray();
        random.Shuffle(values);
        return values;
    }

    /// <summary><paramref name="total"/> split in proportion to <paramref name="weights"/> (largest remainder), none above <paramref name="cap"/>.</summary>
    private static int[] Allocate(double[] weights, int total, int cap)
    {
        if (weights.Length * cap < total)
        {
            throw new InvalidOperationException("Too few agencies for the cases under the cap.");
        }
        var counts = new int[weights.Length];
        var free = Enumerable.Range(0, weights.Length).ToList();
        var left = total;
        while (left > 0)
        {
            var sum = free.Sum(i => weights[i]);
            var exact = free.ToDictionary(i => i, i => weights[i] / sum * left);
            foreach (var i in free)
            {
                counts[i] += (int)Math.Floor(exact[i]);
            }
            var given = free.Sum(i => (int)Math.Floor(exact[i]));
            foreach (var i in free.OrderByDescending(i => exact[i] - Math.Floor(exact[i])).ThenBy(i => i).Take(left - given))
            {
                counts[i]++;
            }
            left = 0;
            foreach (var i in free.Where(i => counts[i] > cap))
            {
                left += counts[i] - cap;
                counts[i] = cap;
            }
            free.RemoveAll(i => counts[i] >= cap);
        }
        return counts;
    }

    private static T Pick<T>(IReadOnlyList<(T Value, double Share)> shares, Random random) =>
        shares[PickIndex(shares.Select(s => s.Share).ToArray(), random)].Value;

    private static int PickIndex(double[] weights, Random random)
    {
        var roll = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private static DateOnly RandomDate(DateOnly from, DateOnly to, Random random) =>
        from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));

    private static DateOnly WorkingDayFrom(DateOnly date, WorkingDayCalendar calendar)
    {
        while (!calendar.IsWorkingDay(date))
        {
            date = date.AddDays(1);
        }
        return date;
    }

    private static SanctionLevel LighterThan(SanctionLevel level, Random random) => level switch
    {
        SanctionLevel.MoralOpen => SanctionLevel.MoralClosed,
        SanctionLevel.HdRingan => SanctionLevel.MoralOpen,
        SanctionLevel.HdSedang => SanctionLevel.HdRingan,
        SanctionLevel.HdBerat => random.Next(3) == 0 ? SanctionLevel.HdRingan : SanctionLevel.HdSedang,
        SanctionLevel.Ptdh => SanctionLevel.HdBerat,
        _ => throw new InvalidOperationException($"Nothing is lighter than {level}."),
    };

    /// <summary>A report under construction.</summary>
    private sealed class Slot(Election election, Outcome outcome)
    {
        public Election Election { get; } = election;
        public Outcome Outcome { get; set; } = outcome;
        public Agency Agency { get; set; } = null!;
        public string Violation { get; set; } = "";
        public Period Period { get; set; }
        public PositionKind Position { get; set; }
        public DemoAgeBand Age { get; set; }
        public DateOnly ActDate { get; set; }
        public string ProvinceCode { get; private set; } = "";
        public string Regency { get; private set; } = "";
        public ReportSource Source { get; set; }
        public string Nip { get; set; } = "";
        public DateOnly FiledOn { get; private set; }
        public DateOnly DecidedOn { get; private set; }
        public DateOnly IssuedOn { get; private set; }
        public string Authority { get; set; } = "";
        public SanctionLevel Level { get; set; }
        public DemoFollowUpKind? FollowUp { get; set; }
        public bool LighterFirst { get; set; }
        public List<(DateOnly Date, SanctionLevel Level)> Decrees { get; } = [];

        /// <summary>Where the act took place: the agency's region; for a ministry, one of its regional offices' provinces.</summary>
        public void Place(ReferenceCatalog catalog, Random random, bool onlyBefore2022)
        {
            if (Agency.IsCentral)
            {
                var provinces = catalog.Provinces.Where(p => !onlyBefore2022 || !ProvincesFormedIn2022.Contains(p.Code)).ToArray();
                ProvinceCode = provinces[random.Next(provinces.Length)].Code;
                Regency = "";
                return;
            }
            ProvinceCode = Agency.ProvinceCode;
            Regency = Agency.Code.Length == 4 ? Agency.Name : "";
        }

        /// <summary>Filed a few days after the act, decided weeks later, the letter a few weeks after the decision; all on working days.</summary>
        public void Dates(WorkingDayCalendar calendar, Random random)
        {
            FiledOn = WorkingDayFrom(ActDate.AddDays(random.Next(1, 11)), calendar);
            DecidedOn = WorkingDayFrom(FiledOn.AddDays(random.Next(10, 41)), calendar);
            IssuedOn = WorkingDayFrom(DecidedOn.AddDays(random.Next(14, 36)), calendar);
        }

        /// <summary>The decrees the follow-up kind calls for, dated in working days after the letter.</summary>
        public void PlanDecrees(WorkingDayCalendar calendar, Random random)
        {
            DateOnly After(int workingDays) => calendar.AddWorkingDays(IssuedOn, workingDays).Date;
            if (LighterFirst)
            {
                Decrees.Add((After(random.Next(3, 14)), LighterThan(Level, random)));
            }
            switch (FollowUp)
            {
                case DemoFollowUpKind.OnTime:
                    // Most PPKs answer close to the deadline.
                    Decrees.Add((After(14 - (int)(12 * Math.Pow(random.NextDouble(), 2))), Level));
                    break;
                case DemoFollowUpKind.LateAfterWarning:
                    Decrees.Add((After(random.Next(15, 20)), Level));
                    break;
                case DemoFollowUpKind.LateAfterReprimand:
                    Decrees.Add((After(random.Next(20, 25)), Level));
                    break;
                case DemoFollowUpKind.LateAfterBlock:
                    Decrees.Add((After(random.Next(26, 46)), Level));
                    break;
                case DemoFollowUpKind.Lighter:
                    Decrees.Add((After(random.Next(4, 25)), LighterThan(Level, random)));
                    break;
                case DemoFollowUpKind.Unanswered:
                    break;
                default:
                    throw new InvalidOperationException("A proven case has no follow-up kind.");
            }
        }

        /// <summary>The day by which this recommendation's decrees are in and its escalation has run its course.</summary>
        public DateOnly SettledBy(WorkingDayCalendar calendar)
        {
            var escalated = calendar.AddWorkingDays(IssuedOn, EscalationSettledWorkingDays).Date;
            return Decrees.Count > 0 && Decrees[^1].Date > escalated ? Decrees[^1].Date : escalated;
        }

        public DemoReport ToReport(int index, Dictionary<Slot, int> letters, Dictionary<(Slot, int), int> decreeNumbers, Random random)
        {
            var number = index + 1;
            var report = new FileCaseCommand(
                Nip: Nip,
                ReportedName: $"ASN Sintetis {number:D4}",
                InstansiCode: Agency.Code,
                InstansiName: Agency.Name,
                PositionKind: Position,
                PositionTitle: Position == PositionKind.Unspecified ? "" : PositionTitles[Position][random.Next(PositionTitles[Position].Length)],
                ElectionId: Election.Id,
                ViolationCode: Violation,
                ActDate: new DateParts(ActDate.Year, ActDate.Month, ActDate.Day),
                ProvinceCode: ProvinceCode,
                Regency: Regency,
                Source: Source,
                SourceReference: Source == ReportSource.Bawaslu && Election.Id == Pilkada2024ElectionId
                    ? $"DEMO/BAWASLU-{ProvinceCode}/{ActDate.Year}/{number:D4}"
                    : $"DEMO/{Source.ToString().ToUpperInvariant()}/{ActDate.Year}/{number:D4}",
                EvidenceReferences: [$"demo://evidence/{number:D4}"],
                RequestId: RequestId(index));
            var decisionReference = $"DEMO/{Authority}/PEMERIKSAAN/{DecidedOn.Year}/{number:D4}";
            DemoRecommendation? recommendation = null;
            if (Outcome == Outcome.Proven)
            {
                var decrees = Decrees.Select((decree, n) => new DemoDecree(DecreeRequestId(index, n),
                    $"DEMO/SK/{Agency.Code}/{decree.Date.Year}/{decreeNumbers[(this, n)]:D4}",
                    decree.Date, decree.Level, SanctionForms[decree.Level], decree.Level >= Level)).ToArray();
                recommendation = new DemoRecommendation(RecommendationRequestId(index), Authority,
                    $"DEMO/{Authority}/REKOMENDASI/{IssuedOn.Year}/{letters[this]:D4}", IssuedOn, Level, SanctionForms[Level], FollowUp!.Value, decrees);
            }
            return new DemoReport(index, report, ActDate, FiledOn, Outcome, DecidedOn, decisionReference, recommendation);
        }
    }
}
