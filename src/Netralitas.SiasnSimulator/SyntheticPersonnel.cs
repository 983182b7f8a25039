using Netralitas.Adapters.Siasn;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Netralitas.Simulator;

/// <summary>
/// Made-up, deterministic personnel: a record for any NIP, lists of valid NIPs, and a SIASN/SAPK-style
/// CSV export. Every name starts with "Sintetis" so that nobody mistakes it for a real person.
/// </summary>
public static class SyntheticPersonnel
{
    private static readonly int LastTmtMonth = MonthIndex(2024, 12);
    private static readonly DateOnly FirstBirthDate = new(1960, 1, 1);
    private static readonly int BirthDays = new DateOnly(2000, 12, 31).DayNumber - FirstBirthDate.DayNumber + 1;

    // A NIP index decodes, lowest digit first, into: sequence 001–999, gender, one of TmtSlots
    // appointment months, birth day. Every birth date leaves at least TmtSlots months between the
    // 18th birthday and min(35th birthday, 2024-12), so distinct indices give distinct NIPs.
    private const int Sequences = 999;
    private const int TmtSlots = 72;
    private static readonly long NipSpace = (long)Sequences * 2 * TmtSlots * BirthDays;

    private static readonly (string Name, Func<SiasnDataUtama, string?> Value)[] Columns =
    [
        ("nipBaru", r => r.NipBaru),
        ("id", r => r.Id),
        ("nama", r => r.Nama),
        ("tglLahir", r => r.TglLahir),
        ("jenisKelamin", r => r.JenisKelamin),
        ("jenisPegawaiNama", r => r.JenisPegawaiNama),
        ("instansiIndukId", r => r.InstansiIndukId),
        ("instansiIndukNama", r => r.InstansiIndukNama),
        ("instansiKerjaId", r => r.InstansiKerjaId),
        ("instansiKerjaNama", r => r.InstansiKerjaNama),
        ("unorId", r => r.UnorId),
        ("unorNama", r => r.UnorNama),
        ("jabatanNama", r => r.JabatanNama),
        ("jenisJabatan", r => r.JenisJabatan),
        ("golRuangAkhir", r => r.GolRuangAkhir),
        ("kedudukanPnsNama", r => r.KedudukanPnsNama),
    ];

    public static readonly IReadOnlyList<string> CsvColumns = Array.ConvertAll(Columns, c => c.Name);

    private static readonly SearchValues<char> CsvSpecial = SearchValues.Create(",\"\r\n");

    /// <summary>The deterministic record of any 18-digit NIP (its dates need not be real).</summary>
    public static SiasnDataUtama For(string nip)
    {
        var value = ParseNip(nip);
        var pick = new Picker(value);
        var female = nip[14] == '2';
        var instansi = SyntheticCatalog.Instansi[pick.Next(SyntheticCatalog.Instansi.Length)];
        var unit = instansi.Units[pick.Next(instansi.Units.Length)];
        var jabatan = unit.Jabatan[pick.Next(unit.Jabatan.Length)];
        var firstNames = female ? SyntheticCatalog.FemaleNames : SyntheticCatalog.MaleNames;
        var nama = "Sintetis " + firstNames[pick.Next(firstNames.Length)] + " "
            + SyntheticCatalog.FamilyNames[pick.Next(SyntheticCatalog.FamilyNames.Length)]
            + SyntheticCatalog.Degrees[pick.Next(SyntheticCatalog.Degrees.Length)];
        return new SiasnDataUtama
        {
            Id = IdOf(value),
            NipBaru = nip,
            Nama = nama,
            TglLahir = $"{nip.AsSpan(6, 2)}-{nip.AsSpan(4, 2)}-{nip.AsSpan(0, 4)}",
            JenisKelamin = female ? "Wanita" : "Pria",
            JenisPegawaiNama = instansi.Pusat ? "PNS Pusat" : "PNS Daerah",
            InstansiIndukId = instansi.Id,
            InstansiIndukNama = instansi.Nama,
            InstansiKerjaId = instansi.Id,
            InstansiKerjaNama = instansi.Nama,
            UnorId = unit.Id,
            UnorNama = unit.Nama,
            JabatanNama = jabatan.Nama,
            JenisJabatan = jabatan.Jenis,
            GolRuangAkhir = GolRuang(jabatan.Jenis, TmtYear(nip)),
            KedudukanPnsNama = "Aktif",
        };
    }

    /// <summary>
    /// <paramref name="count"/> distinct valid NIPs (born 1960–2000, appointed after their 18th and by
    /// their 35th birthday, by 2024-12), the same for the same seed, in an order that looks random.
    /// </summary>
    public static IEnumerable<string> Nips(int count, int seed = 1)
    {
        // Any int count fits: NipSpace is larger than int.MaxValue.
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Enumerate(count, new NipPermutation(seed));

        static IEnumerable<string> Enumerate(int count, NipPermutation permutation)
        {
            for (uint i = 0; i < count; i++)
            {
                yield return NipAt(permutation.Apply(i));
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> people of <see cref="Nips"/> as CSV: a header of
    /// <see cref="CsvColumns"/>, then one line each, CRLF line ends and RFC 4180 quoting.
    /// </summary>
    public static void WriteCsv(TextWriter writer, int count, int seed = 1)
    {
        writer.Write(string.Join(',', CsvColumns));
        writer.Write("\r\n");
        foreach (var nip in Nips(count, seed))
        {
            var record = For(nip);
            for (var c = 0; c < Columns.Length; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }
                WriteField(writer, Columns[c].Value(record));
            }
            writer.Write("\r\n");
        }
    }

    /// <summary>2–3 positions from the appointment to now, the latest being the record's current one.</summary>
    internal static IReadOnlyList<SiasnRwJabatan> PositionHistory(SiasnDataUtama record)
    {
        var nip = record.NipBaru ?? throw new ArgumentException("the record has no nipBaru", nameof(record));
        var value = ParseNip(nip);
        var pick = new Picker(value ^ 0x6A09E667F3BCC908);
        var count = 2 + pick.Next(2);
        var firstMonth = MonthIndex(TmtYear(nip), Math.Clamp(Digits(nip, 12, 2), 1, 12));
        var months = LastTmtMonth - firstMonth + 1;
        var history = new SiasnRwJabatan[count];
        for (var k = 0; k < count; k++)
        {
            var latest = k == count - 1;
            var earlier = SyntheticCatalog.EarlierJabatan[pick.Next(SyntheticCatalog.EarlierJabatan.Length)];
            var month = firstMonth + k * months / count;
            var tmt = new DateOnly(month / 12, month % 12 + 1, 1);
            history[k] = new SiasnRwJabatan
            {
                Id = new Guid(HashBytes(value, (ulong)k + 1)).ToString(),
                NipBaru = nip,
                JenisJabatan = latest ? record.JenisJabatan : earlier.Jenis,
                NamaJabatan = latest ? record.JabatanNama : earlier.Nama,
                InstansiKerjaId = record.InstansiKerjaId,
                InstansiKerjaNama = record.InstansiKerjaNama,
                UnorNama = record.UnorNama,
                NomorSk = FormattableString.Invariant($"821.2/{100 + pick.Next(900)}/BKPSDM/{tmt.Year}"),
                TanggalSk = SiasnDates.Write(tmt.AddDays(-7 - pick.Next(21))),
                TmtJabatan = SiasnDates.Write(tmt),
            };
        }
        return history;
    }

    /// <summary>The NIP a synthetic <c>id</c> was made from, or null when the id is not one of ours.</summary>
    internal static string? NipOfId(string? id)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!Guid.TryParse(id, out var guid) || !guid.TryWriteBytes(bytes))
        {
            return null;
        }
        var value = (BinaryPrimitives.ReadUInt64LittleEndian(bytes) * IdInverse) ^ IdKey;
        return value < 1_000_000_000_000_000_000 && BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]) == Mix(value)
            ? value.ToString("D18", CultureInfo.InvariantCulture)
            : null;
    }

    internal static bool IsNipShaped(string? text) => text is { Length: 18 } && text.All(char.IsAsciiDigit);

    // The id holds the NIP, scrambled by an invertible multiplication, and a check hash: hukdis/save
    // can then find the person of any pnsOrangId the simulator ever served, even before a restart of it.
    private const ulong IdKey = 0x5A173C9ED2B48F61;
    private const ulong IdMultiplier = 0x9E3779B97F4A7C15;
    private static readonly ulong IdInverse = InverseOf(IdMultiplier);

    private static string IdOf(ulong value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (value ^ IdKey) * IdMultiplier);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], Mix(value));
        return new Guid(bytes).ToString();
    }

    /// <summary>The inverse of an odd number modulo 2^64 (Newton's iteration doubles the correct bits).</summary>
    private static ulong InverseOf(ulong odd)
    {
        var inverse = odd;
        for (var i = 0; i < 5; i++)
        {
            inverse *= 2 - odd * inverse;
        }
        return inverse;
    }

    private static string NipAt(long index)
    {
        var sequence = (int)(index % Sequences) + 1;
        index /= Sequences;
        var gender = (int)(index % 2) + 1;
        index /= 2;
        var tmtSlot = (int)(index % TmtSlots);
        var birth = DateOnly.FromDayNumber(FirstBirthDate.DayNumber + (int)(index / TmtSlots));
        var earliest = MonthIndex(birth.Year + 18, birth.Month) + 1;
        var latest = Math.Min(LastTmtMonth, MonthIndex(birth.Year + 35, birth.Month));
        var tmt = earliest + tmtSlot * (latest - earliest + 1) / TmtSlots;
        return string.Create(18, (birth, tmt, gender, sequence), static (chars, n) =>
        {
            WriteDigits(chars[..4], n.birth.Year);
            WriteDigits(chars[4..6], n.birth.Month);
            WriteDigits(chars[6..8], n.birth.Day);
            WriteDigits(chars[8..12], n.tmt / 12);
            WriteDigits(chars[12..14], n.tmt % 12 + 1);
            WriteDigits(chars[14..15], n.gender);
            WriteDigits(chars[15..18], n.sequence);
        });
    }

    private static void WriteDigits(Span<char> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }

    private static int MonthIndex(int year, int month) => year * 12 + month - 1;

    private static int TmtYear(string nip) => Math.Clamp(Digits(nip, 8, 4), 1960, 2024);

    private static int Digits(string text, int start, int length) =>
        int.Parse(text.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);

    private static ulong ParseNip(string nip) => IsNipShaped(nip)
        ? ulong.Parse(nip, NumberStyles.None, CultureInfo.InvariantCulture)
        : throw new ArgumentException($"a NIP has 18 digits, got \"{nip}\"", nameof(nip));

    /// <summary>A rank from the years since appointment: one step every four years, from II/a or III/a.</summary>
    private static string GolRuang(string jenisJabatan, int tmtYear)
    {
        var start = jenisJabatan == SyntheticCatalog.FungsionalUmum ? 0 : 4;
        var cap = jenisJabatan == SyntheticCatalog.FungsionalUmum ? 7 : SyntheticCatalog.GolRuang.Length - 1;
        return SyntheticCatalog.GolRuang[Math.Min(cap, start + Math.Max(0, 2025 - tmtYear) / 4)];
    }

    private static void WriteField(TextWriter writer, string? value)
    {
        if (value is null || value.AsSpan().IndexOfAny(CsvSpecial) < 0)
        {
            writer.Write(value);
            return;
        }
        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\""));
        writer.Write('"');
    }

    private static byte[] HashBytes(ulong value, ulong salt)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Mix(value ^ salt));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), Mix(value + salt));
        return bytes;
    }

    /// <summary>SplitMix64's finalizer: a fast, well-spread 64-bit hash.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }

    /// <summary>Deterministic choices seeded by a NIP.</summary>
    private struct Picker(ulong seed)
    {
        private ulong _state = seed;

        public int Next(int choices)
        {
            _state = Mix(_state);
            return (int)(_state % (ulong)choices);
        }
    }

    /// <summary>
    /// A seeded permutation of [0, NipSpace): a four-round Feistel network on 32 bits, re-applied
    /// until the result falls inside the space (cycle walking). NipSpace is just over half of 2^32,
    /// so that takes two rounds on average.
    /// </summary>
    private readonly struct NipPermutation(int seed)
    {
        private readonly ulong _key = Mix((ulong)seed);

        public long Apply(uint index)
        {
            var x = index;
            do
            {
                x = Encrypt(x);
            }
            while (x >= NipSpace);
            return x;
        }

        private uint Encrypt(uint x)
        {
            uint left = x >> 16, right = x & 0xFFFF;
            for (var round = 0UL; round < 4; round++)
            {
                (left, right) = (right, left ^ ((uint)Mix(right ^ (_key + round)) & 0xFFFF));
            }
            return left << 16 | right;
        }
    }
}

/// <summary>The made-up agencies, units, positions and names synthetic records are picked from.</summary>
internal static class SyntheticCatalog
{
    public const string Struktural = "Struktural";
    public const string FungsionalTertentu = "Fungsional Tertentu";
    public const string FungsionalUmum = "Fungsional Umum";

    public sealed record Jabatan(string Nama, string Jenis);
    public sealed record Unit(string Id, string Nama, Jabatan[] Jabatan);
    public sealed record Agency(string Id, string Nama, bool Pusat, Unit[] Units);

    private static readonly (string Nama, Jabatan[] Jabatan)[] RegionalUnits =
    [
        ("Dinas Pendidikan dan Kebudayaan", [new("Guru Ahli Pertama", FungsionalTertentu), new("Guru Ahli Muda", FungsionalTertentu), new("Kepala Dinas Pendidikan dan Kebudayaan", Struktural), new("Pengadministrasi Umum", FungsionalUmum)]),
        ("Dinas Kesehatan", [new("Perawat Terampil", FungsionalTertentu), new("Dokter Ahli Pertama", FungsionalTertentu), new("Kepala Seksi Pelayanan Kesehatan", Struktural), new("Pengelola Data", FungsionalUmum)]),
        ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", [new("Analis Kepegawaian Ahli Muda", FungsionalTertentu), new("Kepala Bidang Mutasi dan Promosi", Struktural), new("Pengadministrasi Kepegawaian", FungsionalUmum)]),
        ("Sekretariat Daerah", [new("Kepala Bagian Pemerintahan", Struktural), new("Analis Kebijakan Ahli Muda", FungsionalTertentu), new("Pengelola Keuangan", FungsionalUmum)]),
    ];

    private static readonly (string Nama, Jabatan[] Jabatan)[] CentralUnits =
    [
        ("Sekretariat Jenderal", [new("Kepala Biro Sumber Daya Manusia", Struktural), new("Analis Sumber Daya Manusia Aparatur Ahli Muda", FungsionalTertentu), new("Pengadministrasi Perkantoran", FungsionalUmum)]),
        ("Inspektorat Jenderal", [new("Auditor Ahli Muda", FungsionalTertentu), new("Kepala Bagian Umum", Struktural), new("Pengelola Laporan", FungsionalUmum)]),
    ];

    public static readonly Agency[] Instansi =
    [
        Regional("Kabupaten Purbalingga"),
        Regional("Kabupaten Kepulauan Siau Tagulandang Biaro"),
        Regional("Kabupaten Sumba Timur"),
        Regional("Kabupaten Wakatobi"),
        Regional("Kabupaten Mamuju"),
        Regional("Kabupaten Aceh Besar"),
        Regional("Kota Makassar"),
        Regional("Provinsi Jawa Tengah"),
        Central("Kementerian Dalam Negeri"),
        Central("Kementerian Agama"),
        Central("Badan Kepegawaian Negara"),
    ];

    /// <summary>Positions a person held before the current one.</summary>
    public static readonly Jabatan[] EarlierJabatan =
    [
        new("Pengadministrasi Umum", FungsionalUmum),
        new("Pengelola Data", FungsionalUmum),
        new("Penyusun Laporan Keuangan", FungsionalUmum),
        new("Guru Ahli Pertama", FungsionalTertentu),
        new("Pranata Komputer Ahli Pertama", FungsionalTertentu),
        new("Kepala Sub Bagian Umum dan Kepegawaian", Struktural),
    ];

    public static readonly string[] MaleNames =
        ["Budi", "Agus", "Joko", "Eko", "Andi", "Rudi", "Hendra", "Dedi", "Ahmad", "Muhammad", "I Wayan", "I Made", "Yohanes", "Stefanus", "Rizky", "Fajar", "Arief", "Bambang", "Slamet", "Teguh"];

    public static readonly string[] FemaleNames =
        ["Siti", "Sri", "Dewi", "Ratna", "Nur", "Putri", "Rina", "Wulan", "Maria", "Ni Luh", "Ayu", "Fitri", "Lestari", "Yuliana", "Indah", "Kartika"];

    public static readonly string[] FamilyNames =
        ["Santoso", "Wibowo", "Hidayat", "Nugroho", "Setiawan", "Kurniawan", "Pratama", "Rahayu", "Simanjuntak", "Siregar", "Nainggolan", "Lubis", "Manuputty", "Wenas", "Hasibuan", "Harahap", "Sembiring", "Tarigan", "Wijaya", "Purnomo", "Kusuma", "Rahman", "Ramadhan", "Daeng Matutu"];

    /// <summary>Most have none; the rest carry a degree after a comma, as SIASN writes names.</summary>
    public static readonly string[] Degrees = ["", "", "", ", S.Pd.", ", S.E.", ", S.Kom.", ", S.H.", ", S.Sos.", ", A.Md.", ", M.Si."];

    public static readonly string[] GolRuang =
        ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e"];

    private static Agency Regional(string nama) => Make(nama, pusat: false, RegionalUnits, unit => $"{unit} {nama}");

    private static Agency Central(string nama) => Make(nama, pusat: true, CentralUnits, unit => unit);

    private static Agency Make(string nama, bool pusat, (string Nama, Jabatan[] Jabatan)[] units, Func<string, string> unitName) =>
        new(HexId(nama), nama, pusat, Array.ConvertAll(units, u => new Unit(HexId(nama + "/" + u.Nama), unitName(u.Nama), u.Jabatan)));

    /// <summary>A 32-hex-digit id in the style of SAPK's, made up from the name.</summary>
    private static string HexId(string name) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0, 16);
}
