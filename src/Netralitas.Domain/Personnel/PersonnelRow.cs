namespace Netralitas.Domain.Personnel;

/// <summary>
/// One row of a SIASN/SAPK export or of the ImportPersonnel stream, as text under SIASN's field
/// names; <see cref="Validate"/> turns it into facts or says what is wrong with it.
/// </summary>
public sealed record PersonnelRow
{
    public string? NipBaru { get; init; }
    public string? Id { get; init; }
    public string? Nama { get; init; }
    public string? TglLahir { get; init; }
    public string? JenisKelamin { get; init; }
    public string? JenisPegawaiNama { get; init; }
    public string? InstansiIndukId { get; init; }
    public string? InstansiIndukNama { get; init; }
    public string? InstansiKerjaId { get; init; }
    public string? InstansiKerjaNama { get; init; }
    public string? UnorId { get; init; }
    public string? UnorNama { get; init; }
    public string? JabatanNama { get; init; }
    public string? JenisJabatan { get; init; }
    public string? GolRuangAkhir { get; init; }
    public string? KedudukanPnsNama { get; init; }

    /// <summary>The NIP and its facts, or the first field that is wrong and why.</summary>
    public (string Nip, PersonnelFacts Facts)? Validate(out string field, out string reason)
    {
        field = reason = "";
        var nipText = NipBaru?.Trim() ?? "";
        if (nipText.Length == 0)
        {
            (field, reason) = ("nipBaru", "is required");
            return null;
        }
        if (!Domain.Nip.TryParse(nipText, out var nip, out var nipError))
        {
            (field, reason) = ("nipBaru", $"{nipText} is not a NIP: {nipError}");
            return null;
        }
        var name = Text(Nama);
        if (name is null)
        {
            (field, reason) = ("nama", "is required");
            return null;
        }
        DateOnly? birthDate = null;
        if (Text(TglLahir) is { } birthText)
        {
            birthDate = ReadDate(birthText);
            if (birthDate is null)
            {
                (field, reason) = ("tglLahir", $"{birthText} is not a date (dd-MM-yyyy or yyyy-MM-dd)");
                return null;
            }
            if (birthDate != nip.BirthDate)
            {
                (field, reason) = ("tglLahir", $"{birthText} disagrees with the birth date in the NIP ({nip.BirthDate:yyyy-MM-dd})");
                return null;
            }
        }
        string? gender = null;
        if (Text(JenisKelamin) is { } genderText)
        {
            gender = NormalizeGender(genderText);
            if (gender is null)
            {
                (field, reason) = ("jenisKelamin", $"{genderText} is neither Pria/L nor Wanita/P");
                return null;
            }
        }
        var facts = new PersonnelFacts
        {
            SiasnId = Text(Id), Name = name, BirthDate = birthDate, Gender = gender, EmployeeType = Text(JenisPegawaiNama),
            InstansiIndukId = Text(InstansiIndukId), InstansiIndukName = Text(InstansiIndukNama),
            InstansiKerjaId = Text(InstansiKerjaId), InstansiKerjaName = Text(InstansiKerjaNama),
            UnitId = Text(UnorId), UnitName = Text(UnorNama), PositionTitle = Text(JabatanNama),
            PositionKind = Text(JenisJabatan), Rank = Text(GolRuangAkhir), EmploymentStatus = Text(KedudukanPnsNama),
        };
        if (TooLong() is { } tooLong)
        {
            (field, reason) = (tooLong, $"is longer than {PersonnelFacts.MaxTextLength} characters");
            return null;
        }
        return (nip.ToString(), facts);
    }

    private string? TooLong() =>
        Long(Id) ? "id" : Long(Nama) ? "nama" : Long(JenisPegawaiNama) ? "jenisPegawaiNama"
        : Long(InstansiIndukId) ? "instansiIndukId" : Long(InstansiIndukNama) ? "instansiIndukNama"
        : Long(InstansiKerjaId) ? "instansiKerjaId" : Long(InstansiKerjaNama) ? "instansiKerjaNama"
        : Long(UnorId) ? "unorId" : Long(UnorNama) ? "unorNama" : Long(JabatanNama) ? "jabatanNama"
        : Long(JenisJabatan) ? "jenisJabatan" : Long(GolRuangAkhir) ? "golRuangAkhir"
        : Long(KedudukanPnsNama) ? "kedudukanPnsNama" : null;

    private static bool Long(string? value) => value is { Length: > PersonnelFacts.MaxTextLength } && value.Trim().Length > PersonnelFacts.MaxTextLength;

    /// <summary>SIASN writes Pria/Wanita; SAPK exports often L/P (laki-laki/perempuan).</summary>
    public static string? NormalizeGender(string text) => text.Trim().ToUpperInvariant() switch
    {
        "PRIA" or "L" or "LAKI-LAKI" or "M" => "Pria",
        "WANITA" or "P" or "PEREMPUAN" or "F" => "Wanita",
        _ => null,
    };

    /// <summary>SIASN's dd-MM-yyyy, or ISO yyyy-MM-dd.</summary>
    public static DateOnly? ReadDate(string? text) =>
        DateOnly.TryParseExact(text, ["dd-MM-yyyy", "yyyy-MM-dd"], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var date) ? date : null;

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
