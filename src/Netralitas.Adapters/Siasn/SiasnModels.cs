using System.Text.Json;
using System.Text.Json.Serialization;

namespace Netralitas.Adapters.Siasn;

// The shapes of the SIASN API (reference/siasn-apimws-swagger.json), only the fields the gateway
// uses. Names are SIASN's, so that they serialize as the contract spells them. Dates are strings as
// SIASN sends them (dd-MM-yyyy); SiasnDates reads them.

/// <summary>model.Result: the envelope of every read.</summary>
public sealed class SiasnReadEnvelope<T>
{
    [JsonPropertyName("code")] public int Code { get; set; }
    [JsonPropertyName("count")] public int Count { get; set; }
    [JsonPropertyName("data")] public T? Data { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

/// <summary>model.ResultCreate: the envelope of every write.</summary>
public sealed class SiasnWriteEnvelope
{
    [JsonPropertyName("success")] public bool Success { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("mapData")] public JsonElement? MapData { get; set; }
}

/// <summary>pns.DataUtamaResponse (the fields the gateway keeps).</summary>
public sealed class SiasnDataUtama
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("nipBaru")] public string? NipBaru { get; set; }
    [JsonPropertyName("nama")] public string? Nama { get; set; }
    [JsonPropertyName("tglLahir")] public string? TglLahir { get; set; }
    [JsonPropertyName("jenisKelamin")] public string? JenisKelamin { get; set; }
    [JsonPropertyName("jenisPegawaiNama")] public string? JenisPegawaiNama { get; set; }
    [JsonPropertyName("instansiIndukId")] public string? InstansiIndukId { get; set; }
    [JsonPropertyName("instansiIndukNama")] public string? InstansiIndukNama { get; set; }
    [JsonPropertyName("instansiKerjaId")] public string? InstansiKerjaId { get; set; }
    [JsonPropertyName("instansiKerjaNama")] public string? InstansiKerjaNama { get; set; }
    [JsonPropertyName("unorId")] public string? UnorId { get; set; }
    [JsonPropertyName("unorNama")] public string? UnorNama { get; set; }
    [JsonPropertyName("jabatanNama")] public string? JabatanNama { get; set; }
    [JsonPropertyName("jenisJabatan")] public string? JenisJabatan { get; set; }
    [JsonPropertyName("golRuangAkhir")] public string? GolRuangAkhir { get; set; }
    [JsonPropertyName("kedudukanPnsNama")] public string? KedudukanPnsNama { get; set; }
}

/// <summary>riwayat.RwJabatanResponse (position history entry).</summary>
public sealed class SiasnRwJabatan
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("nipBaru")] public string? NipBaru { get; set; }
    [JsonPropertyName("jenisJabatan")] public string? JenisJabatan { get; set; }
    [JsonPropertyName("namaJabatan")] public string? NamaJabatan { get; set; }
    [JsonPropertyName("instansiKerjaId")] public string? InstansiKerjaId { get; set; }
    [JsonPropertyName("instansiKerjaNama")] public string? InstansiKerjaNama { get; set; }
    [JsonPropertyName("unorNama")] public string? UnorNama { get; set; }
    [JsonPropertyName("nomorSk")] public string? NomorSk { get; set; }
    [JsonPropertyName("tanggalSk")] public string? TanggalSk { get; set; }
    [JsonPropertyName("tmtJabatan")] public string? TmtJabatan { get; set; }
}

/// <summary>riwayat.RwHukdisResponse (discipline history entry).</summary>
public sealed class SiasnRwHukdis
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("jenisHukumanNama")] public string? JenisHukumanNama { get; set; }
    [JsonPropertyName("jenisTingkatHukumanId")] public string? JenisTingkatHukumanId { get; set; }
    [JsonPropertyName("skNomor")] public string? SkNomor { get; set; }
    [JsonPropertyName("skTanggal")] public string? SkTanggal { get; set; }
    [JsonPropertyName("hukumanTanggal")] public string? HukumanTanggal { get; set; }
    [JsonPropertyName("akhirHukumTanggal")] public string? AkhirHukumTanggal { get; set; }
    [JsonPropertyName("keterangan")] public string? Keterangan { get; set; }
}

/// <summary>riwayat.RWCltnResponse (unpaid-leave history entry).</summary>
public sealed class SiasnRwCltn
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("skNomor")] public string? SkNomor { get; set; }
    [JsonPropertyName("skTanggal")] public string? SkTanggal { get; set; }
    [JsonPropertyName("tanggalAwal")] public string? TanggalAwal { get; set; }
    [JsonPropertyName("tanggalAkhir")] public string? TanggalAkhir { get; set; }
}

/// <summary>riwayat.RWHukDisCreate: the body of <c>hukdis/save</c>.</summary>
public sealed class SiasnHukdisCreate
{
    [JsonPropertyName("pnsOrangId")] public string? PnsOrangId { get; set; }
    [JsonPropertyName("jenisHukumanId")] public string? JenisHukumanId { get; set; }
    [JsonPropertyName("jenisTingkatHukumanId")] public string? JenisTingkatHukumanId { get; set; }
    [JsonPropertyName("skNomor")] public string? SkNomor { get; set; }
    [JsonPropertyName("skTanggal")] public string? SkTanggal { get; set; }
    [JsonPropertyName("hukumanTanggal")] public string? HukumanTanggal { get; set; }
    [JsonPropertyName("masaBulan")] public string? MasaBulan { get; set; }
    [JsonPropertyName("masaTahun")] public string? MasaTahun { get; set; }
    [JsonPropertyName("keterangan")] public string? Keterangan { get; set; }
}

/// <summary>
/// The block and release commands. SIASN publishes no endpoint for them (assumption, see
/// docs/design.md): this is the body the gateway sends by default, to a configurable path.
/// </summary>
public sealed class SiasnBlockCommand
{
    [JsonPropertyName("nipBaru")] public required string NipBaru { get; set; }
    /// <summary>What the block is on account of: the data stays blocked while any reference's block stands.</summary>
    [JsonPropertyName("referensi")] public required string Referensi { get; set; }
    [JsonPropertyName("alasan")] public string? Alasan { get; set; }
}

/// <summary>The token endpoints' answer (OAuth2).</summary>
public sealed class SiasnTokenResponse
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("token_type")] public string? TokenType { get; set; }
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
}

/// <summary>SIASN's date format, dd-MM-yyyy.</summary>
public static class SiasnDates
{
    public const string Format = "dd-MM-yyyy";

    public static string Write(DateOnly date) => date.ToString(Format, System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly? TryRead(string? text) =>
        DateOnly.TryParseExact(text, Format, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var date) ? date
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out date) ? date : null;
}
