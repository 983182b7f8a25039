using Netralitas.Domain.Personnel;

namespace Netralitas.Adapters.Exports;

/// <summary>Where each of SIASN's fields is in an export (looked up once from its header, not per row).</summary>
public sealed class SiasnExportColumns(SiasnExportReader reader)
{
    /// <summary>The one column an export must have.</summary>
    public const string Nip = "nipBaru";

    private readonly int _nipBaru = reader.IndexOf(Nip), _id = reader.IndexOf("id"), _nama = reader.IndexOf("nama"),
        _tglLahir = reader.IndexOf("tglLahir"), _jenisKelamin = reader.IndexOf("jenisKelamin"),
        _jenisPegawaiNama = reader.IndexOf("jenisPegawaiNama"), _instansiIndukId = reader.IndexOf("instansiIndukId"),
        _instansiIndukNama = reader.IndexOf("instansiIndukNama"), _instansiKerjaId = reader.IndexOf("instansiKerjaId"),
        _instansiKerjaNama = reader.IndexOf("instansiKerjaNama"), _unorId = reader.IndexOf("unorId"), _unorNama = reader.IndexOf("unorNama"),
        _jabatanNama = reader.IndexOf("jabatanNama"), _jenisJabatan = reader.IndexOf("jenisJabatan"),
        _golRuangAkhir = reader.IndexOf("golRuangAkhir"), _kedudukanPnsNama = reader.IndexOf("kedudukanPnsNama");

    public PersonnelRow RowOf(string[] f) => new()
    {
        NipBaru = At(f, _nipBaru), Id = At(f, _id), Nama = At(f, _nama), TglLahir = At(f, _tglLahir), JenisKelamin = At(f, _jenisKelamin),
        JenisPegawaiNama = At(f, _jenisPegawaiNama), InstansiIndukId = At(f, _instansiIndukId), InstansiIndukNama = At(f, _instansiIndukNama),
        InstansiKerjaId = At(f, _instansiKerjaId), InstansiKerjaNama = At(f, _instansiKerjaNama), UnorId = At(f, _unorId),
        UnorNama = At(f, _unorNama), JabatanNama = At(f, _jabatanNama), JenisJabatan = At(f, _jenisJabatan),
        GolRuangAkhir = At(f, _golRuangAkhir), KedudukanPnsNama = At(f, _kedudukanPnsNama),
    };

    private static string? At(string[] fields, int index) => index < 0 ? null : fields[index];
}
