using Netralitas.Domain;
using Netralitas.Domain.Cases;

namespace Netralitas.Data.Demo;

/// <summary>
/// A clearly synthetic national data set shaped like seed 001's KASN figures for 2020–2021:
/// 2,034 reports in Pilkada Serentak 2020, of which 1,596 proven; the category, position, period,
/// age and top-instansi distributions of docs/domain.md ("The national figures"). Every name says
/// "Sintetis", every reference starts with DEMO, and NIP sequence numbers start at 900. Deterministic: the same set every time.
/// </summary>
public static class DemoDataSet
{
    public const int ReportCount = 2034;
    public const int ProvenCount = 1596;
    public const string ElectionId = "pilkada-2020";

    private static readonly DateOnly BeforeCampaignFrom = new(2020, 3, 2);
    private static readonly DateOnly CampaignStart = new(2020, 9, 26);
    private static readonly DateOnly CampaignEnd = new(2020, 12, 5);
    private static readonly DateOnly AgeReference = new(2020, 12, 31);

    // Every synthetic ASN was appointed before the first demo act.
    private static readonly DateOnly LatestAppointment = new(2019, 12, 1);

    // Seed 001: social media 30.4%, partisan activities 22.4%, partisan photos 12.6%,
    // declarations 10.9%, approaching parties 5.6%; the remaining 18.1% spread over the rest.
    private static readonly (string Code, double Share)[] Categories =
    [
        ("MEDSOS_KAMPANYE", 30.4), ("KEGIATAN_KEBERPIHAKAN", 22.4), ("FOTO_SIMBOL", 12.6), ("DEKLARASI", 10.9),
        ("PENDEKATAN_PARPOL", 5.6), ("MEDSOS_INTERAKSI", 5.0), ("APK", 4.0), ("KEGIATAN_KAMPANYE", 3.0),
        ("PASANGAN_TANPA_CLTN", 1.5), ("KEPUTUSAN_MENGUNTUNGKAN", 1.5), ("TIM_SEBELUM_PENETAPAN", 1.0),
        ("LAINNYA", 1.0), ("DUKUNGAN_KTP", 0.6), ("TIM_SETELAH_PENETAPAN", 0.5),
    ];

    // Seed 001: Fungsional 26.5%, Pelaksana 17.2%, JPT 15.7%, Administrator 13.4%, Pengawas 11.8%;
    // the other 15.4% did not state a position.
    private static readonly (PositionKind Kind, double Share)[] Positions =
    [
        (PositionKind.Fungsional, 26.5), (PositionKind.Pelaksana, 17.2), (PositionKind.Jpt, 15.7),
        (PositionKind.Administrator, 13.4), (PositionKind.Pengawas, 11.8), (PositionKind.Unspecified, 15.4),
    ];

    // Seed 001: before campaign 47.1%, during 52.9%, after 0.
    private static readonly (Period Period, double Share)[] Periods =
        [(Period.BeforeCampaign, 47.1), (Period.DuringCampaign, 52.9)];

    // Seed 001: >=51 40.2%, 41-50 35.1%, 31-40 20.3%, <=30 1.6%, unknown 2.8%. A NIP always carries
    // a birth date, so the unknown share is spread over the known groups in proportion.
    private static readonly ((int Min, int Max) Ages, double Share)[] AgeGroups =
        [((51, 58), 40.2), ((41, 50), 35.1), ((31, 40), 20.3), ((23, 30), 1.6)];

    // Seed 001's top instansi, with their Kemendagri province codes.
    private static readonly (string Name, string Province, int Count)[] TopInstansi =
    [
        ("Kabupaten Purbalingga", "33", 57), ("Kabupaten Kepulauan Siau Tagulandang Biaro", "71", 56),
        ("Kabupaten Sumba Timur", "53", 40), ("Kabupaten Wakatobi", "74", 38), ("Kabupaten Mamuju", "76", 36),
    ];

    private const int OtherInstansiCount = 120;

    private static readonly (ReportSource Source, double Share)[] Sources =
        [(ReportSource.Bawaslu, 80), (ReportSource.Public, 10), (ReportSource.Media, 7), (ReportSource.Authority, 3)];

    /// <summary>The request id of demo report <paramref name="index"/>; fixed, so loading twice files nothing twice.</summary>
    public static string RequestId(int index) => $"00000000-0000-4000-8000-{index:D12}";

    /// <summary>The reports, each with the examination outcome it gets.</summary>
    public static IReadOnlyList<(FileCaseCommand Report, Outcome Outcome)> Build(IReadOnlyList<Province> provinces)
    {
        var random = new Random(2020);
        var categories = Spread(Categories, random);
        var positions = Spread(Positions, random);
        var periods = Spread(Periods, random);
        var ages = Spread(AgeGroups, random);
        var sources = Spread(Sources, random);
        var instansi = InstansiAssignments(provinces, random);
        var outcomes = Enumerable.Range(0, ReportCount)
            .Select(i => i < ProvenCount ? Outcome.Proven : Outcome.NotProven).ToArray();
        random.Shuffle(outcomes);

        var nips = new HashSet<string>(ReportCount);
        var reports = new List<(FileCaseCommand, Outcome)>(ReportCount);
        for (var i = 0; i < ReportCount; i++)
        {
            var actDate = periods[i] == Period.BeforeCampaign
                ? RandomDate(BeforeCampaignFrom, CampaignStart.AddDays(-1), random)
                : RandomDate(CampaignStart, CampaignEnd, random);
            var (instansiCode, instansiName, province) = instansi[i];
            var report = new FileCaseCommand(
                Nip: UniqueNip(nips, ages[i], random),
                ReportedName: $"ASN Sintetis {i + 1:D4}",
                InstansiCode: instansiCode,
                InstansiName: instansiName,
                PositionKind: positions[i],
                PositionTitle: positions[i] == PositionKind.Unspecified ? "" : $"Jabatan Sintetis ({positions[i]})",
                ElectionId: ElectionId,
                ViolationCode: categories[i],
                ActDate: new DateParts(actDate.Year, actDate.Month, actDate.Day),
                ProvinceCode: province,
                Regency: instansiName.StartsWith("Provinsi", StringComparison.Ordinal) ? "" : instansiName,
                Source: sources[i],
                SourceReference: $"DEMO/{sources[i].ToString().ToUpperInvariant()}/2020/{i + 1:D4}",
                EvidenceReferences: [$"demo://evidence/{i + 1:D4}"],
                RequestId: RequestId(i));
            reports.Add((report, outcomes[i]));
        }
        return reports;
    }

    /// <summary>The business date the demo decision of a case is dated: two to six weeks after the act.</summary>
    public static DateOnly DecisionDate(DateOnly actDate, int index) => actDate.AddDays(14 + index % 28);

    /// <summary>Exactly <see cref="ReportCount"/> values with the given shares (largest remainder), shuffled.</summary>
    private static T[] Spread<T>(IReadOnlyList<(T Value, double Share)> shares, Random random)
    {
        var total = shares.Sum(s => s.Share);
        var exact = shares.Select(s => s.Share / total * ReportCount).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var i in Enumerable.Range(0, shares.Count).OrderByDescending(i => exact[i] - counts[i])
                     .Take(ReportCount - counts.Sum()))
        {
            counts[i]++;
        }
        var values = shares.SelectMany((s, i) => Enumerable.Repeat(s.Value, counts[i])).ToArray();
        random.Shuffle(values);
        return values;
    }

    private static (string Code, string Name, string Province)[] InstansiAssignments(IReadOnlyList<Province> provinces, Random random)
    {
        var assignments = new List<(string, string, string)>(ReportCount);
        for (var t = 0; t < TopInstansi.Length; t++)
        {
            var (name, province, count) = TopInstansi[t];
            assignments.AddRange(Enumerable.Repeat(($"DEMO-TOP-{t + 1}", name, province), count));
        }
        // The rest over synthetic agencies in every province, none as large as the top five.
        var others = Enumerable.Range(0, OtherInstansiCount).Select(n =>
        {
            var province = provinces[n % provinces.Count];
            var name = n % 6 == 0 ? $"Provinsi {province.Name} (Sintetis)" : $"Kabupaten Sintetis {n + 1:D3} ({province.Name})";
            return ($"DEMO-{n + 1:D3}", name, province.Code);
        }).ToArray();
        while (assignments.Count < ReportCount)
        {
            // Skewed: lower-numbered synthetic agencies get more reports, as in real data.
            var pick = (int)(OtherInstansiCount * Math.Pow(random.NextDouble(), 1.6));
            assignments.Add(others[Math.Min(pick, OtherInstansiCount - 1)]);
        }
        var array = assignments.ToArray();
        random.Shuffle(array);
        return array;
    }

    private static string UniqueNip(HashSet<string> taken, (int Min, int Max) ages, Random random)
    {
        string nip;
        do
        {
            nip = SyntheticNip(ages, random);
        }
        while (!taken.Add(nip));
        return nip;
    }

    private static string SyntheticNip((int Min, int Max) ages, Random random)
    {
        var age = random.Next(ages.Min, ages.Max + 1);
        var birth = RandomDate(AgeReference.AddYears(-age - 1).AddDays(1), AgeReference.AddYears(-age), random);
        var appointed = birth.AddYears(random.Next(21, Math.Min(age, 35) + 1)).AddMonths(random.Next(0, 12));
        if (appointed > LatestAppointment)
        {
            appointed = LatestAppointment;
        }
        var gender = random.Next(2) + 1;
        // Sequence numbers 900-999 mark the NIPs as synthetic.
        return $"{birth:yyyyMMdd}{appointed:yyyyMM}{gender}{random.Next(900, 1000):D3}";
    }

    private static DateOnly RandomDate(DateOnly from, DateOnly to, Random random) =>
        from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));
}
