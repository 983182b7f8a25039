using Google.Protobuf.WellKnownTypes;
using Netralitas.Domain;
using Netralitas.Domain.Personnel;
using Netralitas.V1;
using PersonnelSource = Netralitas.Domain.Personnel.PersonnelSource;
using PersonnelSyncState = Netralitas.Domain.Personnel.PersonnelSyncState;
using BlockReference = Netralitas.Domain.Personnel.BlockReference;
using BlockStatus = Netralitas.Domain.Personnel.BlockStatus;
using PersonnelRow = Netralitas.Domain.Personnel.PersonnelRow;

namespace Netralitas.Gateway.Grpc;

/// <summary>Translation between PersonnelService messages and the domain. No rules here.</summary>
internal static class PersonnelMapping
{
    public static PersonnelRow FromProto(V1.PersonnelRow r) => new()
    {
        NipBaru = r.NipBaru, Id = r.Id, Nama = r.Nama, TglLahir = r.TglLahir, JenisKelamin = r.JenisKelamin,
        JenisPegawaiNama = r.JenisPegawaiNama, InstansiIndukId = r.InstansiIndukId, InstansiIndukNama = r.InstansiIndukNama,
        InstansiKerjaId = r.InstansiKerjaId, InstansiKerjaNama = r.InstansiKerjaNama, UnorId = r.UnorId, UnorNama = r.UnorNama,
        JabatanNama = r.JabatanNama, JenisJabatan = r.JenisJabatan, GolRuangAkhir = r.GolRuangAkhir, KedudukanPnsNama = r.KedudukanPnsNama,
    };

    public static V1.Personnel ToProto(PersonnelRecord record, PersonnelHistory? history)
    {
        var f = record.Facts!;
        var proto = new V1.Personnel
        {
            Name = record.ResourceName,
            Nip = record.Nip,
            SiasnId = f.SiasnId ?? "",
            FullName = f.Name ?? "",
            BirthDate = f.BirthDate is { } birth ? ProtoMapping.ToProto(birth) : null,
            Gender = f.Gender ?? "",
            EmployeeType = f.EmployeeType ?? "",
            InstansiIndukId = f.InstansiIndukId ?? "",
            InstansiIndukName = f.InstansiIndukName ?? "",
            InstansiKerjaId = f.InstansiKerjaId ?? "",
            InstansiKerjaName = f.InstansiKerjaName ?? "",
            UnitId = f.UnitId ?? "",
            UnitName = f.UnitName ?? "",
            PositionTitle = f.PositionTitle ?? "",
            PositionKind = f.PositionKind ?? "",
            Rank = f.Rank ?? "",
            EmploymentStatus = f.EmploymentStatus ?? "",
            Source = record.Source switch
            {
                PersonnelSource.Siasn => V1.PersonnelSource.Siasn,
                PersonnelSource.Import => V1.PersonnelSource.Import,
                _ => V1.PersonnelSource.Unspecified,
            },
            SyncState = (V1.PersonnelSyncState)record.SyncState,
            SyncTime = Time(record.SyncedAt),
            NextSyncTime = Time(record.NextSyncAt),
            SyncError = record.SyncError ?? "",
            UpdateTime = Timestamp.FromDateTime(record.UpdatedAt),
        };
        if (history is not null)
        {
            proto.PositionHistory.AddRange(history.Positions.Select(p => new PositionHistoryEntry
            {
                Title = p.Title ?? "", Kind = p.Kind ?? "", InstansiName = p.InstansiName ?? "", UnitName = p.UnitName ?? "",
                DecreeNumber = p.DecreeNumber ?? "", DecreeDate = Date(p.DecreeDate), EffectiveDate = Date(p.EffectiveDate),
            }));
            proto.DisciplineHistory.AddRange(history.Discipline.Select(d => new DisciplineHistoryEntry
            {
                Kind = d.Kind ?? "", LevelId = d.LevelId ?? "", DecreeNumber = d.DecreeNumber ?? "", DecreeDate = Date(d.DecreeDate),
                StartDate = Date(d.StartDate), EndDate = Date(d.EndDate), Note = d.Note ?? "",
            }));
            proto.UnpaidLeaveHistory.AddRange(history.UnpaidLeave.Select(c => new V1.UnpaidLeaveEntry
            {
                DecreeNumber = c.DecreeNumber ?? "", DecreeDate = Date(c.DecreeDate), StartDate = Date(c.StartDate), EndDate = Date(c.EndDate),
            }));
        }
        return proto;
    }

    public static V1.BlockStatus ToProto(BlockStatus status)
    {
        var proto = new V1.BlockStatus { Nip = status.Nip, Blocked = status.Blocked, BlockedInSiasn = status.BlockedInSiasn };
        proto.References.AddRange(status.References.Select(ToProto));
        return proto;
    }

    public static V1.BlockReference ToProto(BlockReference reference) => new()
    {
        Recommendation = reference.RecommendationName,
        State = (V1.BlockReferenceState)reference.State,
        Block = RecommendationMapping.ToProto(reference.Block),
        Release = reference.Release is { } release ? RecommendationMapping.ToProto(release) : null,
    };

    public static Timestamp? Time(DateTime? time) => time is { } t ? Timestamp.FromDateTime(t) : null;

    public static Google.Type.Date? Date(DateOnly? date) => date is { } d ? ProtoMapping.ToProto(d) : null;
}
