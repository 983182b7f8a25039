using Google.Protobuf.WellKnownTypes;
using Netralitas.Adapters.Reports;
using Netralitas.Domain;
using Netralitas.Domain.Monev;
using Netralitas.Domain.Statistics;
using V1 = Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>Statistics and monev messages to and from the domain's words; enums convert by number (EnumMirrorTests).</summary>
public static class StatisticsMapping
{
    public static StatisticsFilter ToFilter(V1.StatisticsFilter? filter) => filter is null
        ? StatisticsFilter.None
        : new StatisticsFilter(filter.ElectionId, ProtoMapping.ToParts(filter.ActDateFrom), ProtoMapping.ToParts(filter.ActDateTo),
            ProtoMapping.ToParts(filter.FiledFrom), ProtoMapping.ToParts(filter.FiledTo), filter.ProvinceCode, filter.InstansiCode,
            (ReportSource)filter.Source);

    public static V1.StatisticsFilter ToProto(StatisticsFilter filter) => new()
    {
        ElectionId = filter.ElectionId,
        ActDateFrom = ToProto(filter.ActDateFrom),
        ActDateTo = ToProto(filter.ActDateTo),
        FiledFrom = ToProto(filter.FiledFrom),
        FiledTo = ToProto(filter.FiledTo),
        ProvinceCode = filter.ProvinceCode,
        InstansiCode = filter.InstansiCode,
        Source = (V1.ReportSource)filter.Source,
    };

    public static V1.Funnel ToProto(FunnelReport report)
    {
        var funnel = new V1.Funnel { Filter = ToProto(report.Filter) };
        funnel.Stages.AddRange(report.Stages.Select(s => new V1.FunnelStageCount
        {
            Stage = (V1.FunnelStage)s.Stage,
            Count = s.Count,
            OfStage = (V1.FunnelStage)s.OfStage,
            Percent = s.Percent,
        }));
        return funnel;
    }

    public static V1.Breakdown ToProto(BreakdownReport report)
    {
        var breakdown = new V1.Breakdown
        {
            Filter = ToProto(report.Filter),
            Dimension = (V1.Dimension)report.Dimension,
            Population = (V1.Population)report.Population,
            PopulationCount = report.PopulationCount,
            OthersCount = report.OthersCount,
        };
        breakdown.Rows.AddRange(report.Rows.Select(r => new V1.BreakdownRow { Key = r.Key, Label = r.Label, Count = r.Count, Percent = r.Percent }));
        return breakdown;
    }

    public static V1.TimeSeries ToProto(TimeSeriesReport report)
    {
        var series = new V1.TimeSeries { Filter = ToProto(report.Filter), Granularity = (V1.Granularity)report.Granularity };
        series.Points.AddRange(report.Points.Select(p => new V1.TimeSeriesPoint
        {
            PeriodStart = ProtoMapping.ToProto(p.PeriodStart),
            Acts = p.Acts,
            Filed = p.Filed,
            Decided = p.Decided,
            Proven = p.Proven,
        }));
        return series;
    }

    public static ReportFormat ToFormat(V1.ExportFormat format) => (ReportFormat)format;

    public static RecordIntegrityPactCommand ToCommand(V1.IntegrityPact? pact) => pact is null
        ? new RecordIntegrityPactCommand("", "", null, "", 0, 0)
        : new RecordIntegrityPactCommand(pact.InstansiCode, pact.ElectionId, ProtoMapping.ToParts(pact.SignedOn), pact.DocumentReference,
            pact.SignatoryCount, pact.AsnCount);

    public static RecordSupervisionTeamCommand ToCommand(V1.SupervisionTeam? team) => team is null
        ? new RecordSupervisionTeamCommand("", "", "", null, [])
        : new RecordSupervisionTeamCommand(team.InstansiCode, team.ElectionId, team.DecreeNumber, ProtoMapping.ToParts(team.DecreeDate),
            team.Members.Select(m => (m.Nip, (TeamRole)m.Role)).ToArray());

    public static V1.IntegrityPact ToProto(IntegrityPact pact) => new()
    {
        Name = pact.ResourceName,
        InstansiCode = pact.InstansiCode,
        ElectionId = pact.ElectionId,
        SignedOn = ProtoMapping.ToProto(pact.SignedOn),
        DocumentReference = pact.DocumentReference,
        SignatoryCount = pact.SignatoryCount,
        AsnCount = pact.AsnCount,
        RecordedBy = pact.RecordedBy,
        RecordTime = Timestamp.FromDateTime(pact.RecordedAt),
    };

    public static V1.SupervisionTeam ToProto(SupervisionTeam team)
    {
        var proto = new V1.SupervisionTeam
        {
            Name = team.ResourceName,
            InstansiCode = team.InstansiCode,
            ElectionId = team.ElectionId,
            DecreeNumber = team.DecreeNumber,
            DecreeDate = ProtoMapping.ToProto(team.DecreeDate),
            RecordedBy = team.RecordedBy,
            RecordTime = Timestamp.FromDateTime(team.RecordedAt),
        };
        proto.Members.AddRange(team.Members.Select(m => new V1.TeamMember { Nip = m.Nip, Role = (V1.TeamRole)m.Role }));
        return proto;
    }

    public static V1.AgencyMonev ToProto(AgencyMonevReport report)
    {
        var proto = new V1.AgencyMonev
        {
            InstansiCode = report.InstansiCode,
            InstansiName = report.InstansiName,
            ElectionId = report.ElectionId,
            AsOf = ProtoMapping.ToProto(report.AsOf),
            IntegrityPact = report.Pact is null ? null : ToProto(report.Pact),
            SupervisionTeam = report.Team is null ? null : ToProto(report.Team),
            Cases = ToProto(report.Cases),
            FollowUp = ToProto(report.FollowUp),
            NextPageToken = report.NextPageToken,
        };
        proto.Checklist.AddRange(report.Checklist.Select(c => new V1.DutyCheck { Duty = (V1.PpkDuty)c.Duty, Status = (V1.DutyStatus)c.Status, Evidence = c.Evidence }));
        proto.FollowUps.AddRange(report.FollowUps.Select(ToProto));
        return proto;
    }

    public static V1.AgencyMonevSummary ToProto(AgencyMonevSummary summary) => new()
    {
        InstansiCode = summary.InstansiCode,
        InstansiName = summary.InstansiName,
        Cases = ToProto(summary.Cases),
        FollowUp = ToProto(summary.FollowUp),
        IntegrityPactRecorded = summary.PactRecorded,
        SupervisionTeamRecorded = summary.TeamRecorded,
        Failing = summary.FollowUp.Failing,
    };

    private static V1.AgencyFollowUp ToProto(AgencyFollowUp followUp)
    {
        var r = followUp.Recommendation;
        return new V1.AgencyFollowUp
        {
            Recommendation = r.ResourceName,
            Case = r.CaseName,
            Nip = r.Nip,
            LetterNumber = r.LetterNumber,
            IssuedOn = ProtoMapping.ToProto(r.IssuedOn),
            DueOn = ProtoMapping.ToProto(r.DueOn),
            RecommendedLevel = (V1.SanctionLevel)r.SanctionLevel,
            Outcome = (V1.FollowUpOutcome)followUp.Outcome,
            DecreeNumber = followUp.Decree?.DecreeNumber ?? "",
            DecreeDate = followUp.Decree is { } decree ? ProtoMapping.ToProto(decree.DecreeDate) : null,
            ImposedLevel = (V1.SanctionLevel)(followUp.Decree?.ImposedLevel ?? SanctionLevel.Unspecified),
            WorkingDaysTaken = followUp.WorkingDaysTaken,
            EscalationStage = (V1.EscalationStage)r.EscalationStage,
        };
    }

    private static V1.AgencyCaseCounts ToProto(AgencyCaseCounts c) => new()
    {
        Reported = c.Reported, UnderExamination = c.UnderExamination, Proven = c.Proven, NotProven = c.NotProven, Sanctioned = c.Sanctioned,
    };

    private static V1.AgencyFollowUpCounts ToProto(AgencyFollowUpCounts f) => new()
    {
        Recommendations = f.Recommendations, OnTime = f.OnTime, Late = f.Late, Lighter = f.Lighter, Unanswered = f.Unanswered,
        Awaiting = f.Awaiting, Warned = f.Warned, Reprimanded = f.Reprimanded, Blocked = f.Blocked, Released = f.Released,
        OnTimePercent = f.OnTimePercent,
    };

    private static Google.Type.Date? ToProto(Domain.Cases.DateParts? parts) =>
        parts is { } p ? new Google.Type.Date { Year = p.Year, Month = p.Month, Day = p.Day } : null;
}
