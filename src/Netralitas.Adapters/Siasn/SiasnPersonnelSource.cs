using Microsoft.Extensions.Options;
using Netralitas.Adapters.Siasn;
using Netralitas.Domain;
using Netralitas.Domain.Personnel;

namespace Netralitas.Adapters.Siasn;

/// <summary>SIASN's pns/data-utama and history endpoints, as the domain's source of personnel facts.</summary>
public sealed class SiasnPersonnelSource(SiasnClient client, IOptions<SiasnOptions> options) : IPersonnelSource
{
    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<PersonnelFacts?> FetchAsync(string nip, CancellationToken cancellationToken)
    {
        var record = await Call(() => client.GetDataUtamaAsync(nip, cancellationToken));
        return record is null ? null : Clip(new PersonnelFacts
        {
            SiasnId = record.Id, Name = record.Nama ?? "", BirthDate = PersonnelRow.ReadDate(record.TglLahir),
            Gender = record.JenisKelamin is { } g ? PersonnelRow.NormalizeGender(g) ?? g : null,
            EmployeeType = record.JenisPegawaiNama, InstansiIndukId = record.InstansiIndukId, InstansiIndukName = record.InstansiIndukNama,
            InstansiKerjaId = record.InstansiKerjaId, InstansiKerjaName = record.InstansiKerjaNama, UnitId = record.UnorId,
            UnitName = record.UnorNama, PositionTitle = record.JabatanNama, PositionKind = record.JenisJabatan,
            Rank = record.GolRuangAkhir, EmploymentStatus = record.KedudukanPnsNama,
        });
    }

    /// <summary>SIASN's texts cut to the column size, so that an overlong field cannot make the record unstorable.</summary>
    private static PersonnelFacts Clip(PersonnelFacts f) => f with
    {
        SiasnId = C(f.SiasnId), Name = C(f.Name), Gender = C(f.Gender), EmployeeType = C(f.EmployeeType),
        InstansiIndukId = C(f.InstansiIndukId), InstansiIndukName = C(f.InstansiIndukName), InstansiKerjaId = C(f.InstansiKerjaId),
        InstansiKerjaName = C(f.InstansiKerjaName), UnitId = C(f.UnitId), UnitName = C(f.UnitName), PositionTitle = C(f.PositionTitle),
        PositionKind = C(f.PositionKind), Rank = C(f.Rank), EmploymentStatus = C(f.EmploymentStatus),
    };

    private static string? C(string? text) => text is { Length: > PersonnelFacts.MaxTextLength } ? text[..PersonnelFacts.MaxTextLength] : text;

    public async Task<PersonnelHistory> FetchHistoryAsync(string nip, CancellationToken cancellationToken)
    {
        var positions = Call(() => client.GetPositionHistoryAsync(nip, cancellationToken));
        var discipline = Call(() => client.GetDisciplineHistoryAsync(nip, cancellationToken));
        var leave = Call(() => client.GetUnpaidLeaveHistoryAsync(nip, cancellationToken));
        return new PersonnelHistory(
            (await positions).Select(p => new PositionEntry(p.NamaJabatan, p.JenisJabatan, p.InstansiKerjaNama, p.UnorNama, p.NomorSk,
                PersonnelRow.ReadDate(p.TanggalSk), PersonnelRow.ReadDate(p.TmtJabatan))).ToArray(),
            (await discipline).Select(d => new DisciplineEntry(d.JenisHukumanNama, d.JenisTingkatHukumanId, d.SkNomor,
                PersonnelRow.ReadDate(d.SkTanggal), PersonnelRow.ReadDate(d.HukumanTanggal), PersonnelRow.ReadDate(d.AkhirHukumTanggal), d.Keterangan)).ToArray(),
            (await leave).Select(c => new UnpaidLeaveEntry(c.SkNomor, PersonnelRow.ReadDate(c.SkTanggal),
                PersonnelRow.ReadDate(c.TanggalAwal), PersonnelRow.ReadDate(c.TanggalAkhir))).ToArray());
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (SiasnException e)
        {
            throw new UpstreamUnavailableException(e.Message);
        }
    }
}
