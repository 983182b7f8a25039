using Google.Protobuf.WellKnownTypes;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using V1 = Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>Translation between netralitas.v1 messages and the domain. No rules here.</summary>
internal static class ProtoMapping
{
    public static FileCaseCommand ToCommand(V1.FileCaseRequest request)
    {
        var c = request.Case ?? new V1.Case();
        return new FileCaseCommand(
            Nip: c.Nip,
            ReportedName: c.ReportedName,
            InstansiCode: c.InstansiCode,
            InstansiName: c.InstansiName,
            PositionKind: (PositionKind)(c.ReportedPosition?.Kind ?? V1.PositionKind.Unspecified),
            PositionTitle: c.ReportedPosition?.Title ?? "",
            ElectionId: c.ElectionId,
            ViolationCode: c.ViolationCode,
            ActDate: ToParts(c.ActDate),
            ProvinceCode: c.Place?.ProvinceCode ?? "",
            Regency: c.Place?.Regency ?? "",
            Source: (ReportSource)c.Source,
            SourceReference: c.SourceReference,
            EvidenceReferences: c.EvidenceReferences,
            RequestId: request.RequestId);
    }

    public static DecideCaseCommand ToCommand(V1.DecideCaseRequest request) =>
        new(request.Name, (Outcome)request.Outcome, request.DecisionReference, ToParts(request.DecidedOn), request.Note, request.Etag);

    public static CaseFilter ToFilter(V1.ListCasesRequest request) =>
        new(request.Nip, request.InstansiCode, (CaseStatus)request.Status, request.ElectionId, request.ProvinceCode);

    public static V1.Case ToProto(NeutralityCase c)
    {
        var proto = new V1.Case
        {
            Name = c.ResourceName,
            CaseId = c.Id,
            Nip = c.Nip,
            ReportedName = c.ReportedName,
            InstansiCode = c.InstansiCode,
            InstansiName = c.InstansiName,
            ElectionId = c.ElectionId,
            ViolationCode = c.ViolationCode,
            ActDate = ToProto(c.ActDate),
            Place = new V1.Place { ProvinceCode = c.ProvinceCode, Regency = c.Regency ?? "" },
            Source = (V1.ReportSource)c.Source,
            SourceReference = c.SourceReference ?? "",
            EvidenceReferences = { c.EvidenceReferences },
            Status = (V1.CaseStatus)c.Status,
            Period = (V1.Period)c.Period,
            Track = (V1.Track)c.Track,
            CatalogSanction = (V1.SanctionLevel)c.CatalogSanction,
            CreateTime = Timestamp.FromDateTime(c.CreatedAt),
            UpdateTime = Timestamp.FromDateTime(c.UpdatedAt),
            Etag = c.Etag,
            Open = c.IsOpen,
        };
        if (c.PositionKind != PositionKind.Unspecified || c.PositionTitle is not null)
        {
            proto.ReportedPosition = new V1.ReportedPosition { Kind = (V1.PositionKind)c.PositionKind, Title = c.PositionTitle ?? "" };
        }
        if (c.DecisionOutcome != Outcome.Unspecified)
        {
            proto.Decision = new V1.Decision
            {
                Outcome = (V1.Outcome)c.DecisionOutcome,
                Reference = c.DecisionReference ?? "",
                DecidedOn = c.DecidedOn is { } decidedOn ? ToProto(decidedOn) : null,
                Note = c.DecisionNote ?? "",
                RecordTime = c.DecisionRecordedAt is { } recorded ? Timestamp.FromDateTime(recorded) : null,
            };
        }
        return proto;
    }

    public static V1.Violation ToProto(Violation v) => new()
    {
        Code = v.Code,
        Description = v.Description,
        DescriptionEn = v.DescriptionEn,
        EthicsSanction = (V1.SanctionLevel)v.EthicsSanction,
        DisciplineSanction = (V1.SanctionLevel)v.DisciplineSanction,
        DecidedBySatgas = v.DecidedBySatgas,
    };

    public static V1.Election ToProto(Election e) => new()
    {
        Name = $"{ReferenceCatalog.ElectionCollection}/{e.Id}",
        ElectionId = e.Id,
        DisplayName = e.DisplayName,
        Kind = (V1.ElectionKind)e.Kind,
        CandidateDeterminationDate = ToProto(e.CandidateDeterminationDate),
        CampaignStartDate = ToProto(e.CampaignStartDate),
        CampaignEndDate = ToProto(e.CampaignEndDate),
        VotingDate = ToProto(e.VotingDate),
        Source = e.Source,
    };

    public static V1.CalendarYear ToProto(CalendarYear year)
    {
        var proto = new V1.CalendarYear
        {
            Name = year.ResourceName,
            Year = year.Year,
            Provisional = year.Provisional,
            Source = year.Source,
            Origin = year.Origin,
            UpdateTime = year.StoredAt is { } stored ? Timestamp.FromDateTime(stored) : null,
            WorkingDays = year.WorkingDayCount(),
        };
        proto.Holidays.AddRange(Days(year, NonWorkingDayKind.NationalHoliday));
        proto.CutiBersama.AddRange(Days(year, NonWorkingDayKind.CutiBersama));
        return proto;
    }

    private static IEnumerable<V1.CalendarDay> Days(CalendarYear year, NonWorkingDayKind kind) =>
        year.OfKind(kind).OrderBy(d => d.Date).Select(d => new V1.CalendarDay { Date = ToProto(d.Date), Name = d.Name });

    public static Google.Type.Date ToProto(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static DateParts? ToParts(Google.Type.Date? date) =>
        date is null ? null : new DateParts(date.Year, date.Month, date.Day);
}
