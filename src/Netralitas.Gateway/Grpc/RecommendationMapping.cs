using Netralitas.Gateway.Workers;
using Google.Protobuf.WellKnownTypes;
using Netralitas.Domain;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Recommendations;
using V1 = Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>Translation between netralitas.v1 recommendation messages and the domain. No rules here.</summary>
internal static class RecommendationMapping
{
    public static IssueRecommendationCommand ToCommand(V1.IssueRecommendationRequest request)
    {
        var r = request.Recommendation ?? new V1.Recommendation();
        return new IssueRecommendationCommand(
            request.Case, r.AuthorityCode, r.LetterNumber, ProtoMapping.ToParts(r.IssuedOn), r.PpkInstansiCode, r.PpkInstansiName,
            (SanctionLevel)(r.Sanction?.Level ?? V1.SanctionLevel.Unspecified), r.Sanction?.Form ?? "", request.RequestId);
    }

    public static RecordFollowUpCommand ToCommand(V1.RecordFollowUpRequest request) =>
        new(request.Name, request.DecreeNumber, ProtoMapping.ToParts(request.DecreeDate),
            (SanctionLevel)(request.Imposed?.Level ?? V1.SanctionLevel.Unspecified), request.Imposed?.Form ?? "", request.RequestId);

    public static RecommendationFilter ToFilter(V1.ListRecommendationsRequest request) =>
        new(request.PpkInstansiCode, (RecommendationStatus)request.Status, request.AuthorityCode, ProtoMapping.ToParts(request.OverdueAsOf));

    public static V1.Recommendation ToProto(Recommendation r)
    {
        var proto = new V1.Recommendation
        {
            Name = r.ResourceName,
            RecommendationId = r.Id,
            Case = r.CaseName,
            Nip = r.Nip,
            AuthorityCode = r.AuthorityCode,
            LetterNumber = r.LetterNumber,
            IssuedOn = ProtoMapping.ToProto(r.IssuedOn),
            PpkInstansiCode = r.PpkInstansiCode,
            PpkInstansiName = r.PpkInstansiName,
            Sanction = new V1.Sanction { Level = (V1.SanctionLevel)r.SanctionLevel, Form = r.SanctionForm ?? "" },
            DueOn = ProtoMapping.ToProto(r.DueOn),
            Status = (V1.RecommendationStatus)r.Status,
            CreateTime = Timestamp.FromDateTime(r.CreatedAt),
            UpdateTime = Timestamp.FromDateTime(r.UpdatedAt),
            Etag = r.Etag,
            EscalationStage = (V1.EscalationStage)r.EscalationStage,
            LastEscalatedOn = r.LastEscalatedOn is { } last ? ProtoMapping.ToProto(last) : null,
            BlockTime = r.BlockedAt is { } blockedAt ? Timestamp.FromDateTime(blockedAt) : null,
            DueOnProvisional = r.DueOnProvisional,
        };
        proto.FollowUps.AddRange(r.FollowUps.OrderBy(f => f.RecordedAt).Select(ToProto));
        return proto;
    }

    public static V1.FollowUp ToProto(FollowUp f) => new()
    {
        DecreeNumber = f.DecreeNumber,
        DecreeDate = ProtoMapping.ToProto(f.DecreeDate),
        Imposed = new V1.Sanction { Level = (V1.SanctionLevel)f.ImposedLevel, Form = f.ImposedForm ?? "" },
        Compliant = f.Compliant,
        Late = f.Late,
        RecordTime = Timestamp.FromDateTime(f.RecordedAt),
    };

    public static V1.FollowUpStatus ToProto(FollowUpStatusReport report)
    {
        var r = report.Recommendation;
        var status = new V1.FollowUpStatus
        {
            Recommendation = r.ResourceName,
            Case = r.CaseName,
            Status = (V1.RecommendationStatus)r.Status,
            DueOn = ProtoMapping.ToProto(r.DueOn),
            AsOf = ProtoMapping.ToProto(report.AsOf),
            WorkingDaysLeft = report.WorkingDaysLeft,
            Overdue = report.Overdue,
            EscalationStage = (V1.EscalationStage)r.EscalationStage,
            LastEscalatedOn = r.LastEscalatedOn is { } last ? ProtoMapping.ToProto(last) : null,
            DueOnProvisional = r.DueOnProvisional,
            WorkingDaysLeftProvisional = report.WorkingDaysLeftProvisional,
        };
        status.History.AddRange(report.History.Select(e => new V1.FollowUpEvent
        {
            Time = Timestamp.FromDateTime(e.OccurredAt),
            BusinessDate = ProtoMapping.ToProto(e.BusinessDate),
            Kind = (V1.FollowUpEventKind)e.Kind,
            Detail = e.Detail,
            DueOn = ProtoMapping.ToProto(e.DueOn),
            DueOnProvisional = e.DueOnProvisional,
        }));
        return status;
    }

    public static V1.FollowUpChange ToChange(FollowUpEvent e) => new()
    {
        ResumeToken = FollowUpFeed.ResumeTokenOf(e),
        Kind = (V1.FollowUpEventKind)e.Kind,
        Recommendation = Recommendation.ResourceNameOf(e.RecommendationId),
        Case = Domain.Cases.NeutralityCase.ResourceNameOf(e.CaseId),
        Nip = e.Nip,
        PpkInstansiCode = e.PpkInstansiCode,
        Time = Timestamp.FromDateTime(e.OccurredAt),
        BusinessDate = ProtoMapping.ToProto(e.BusinessDate),
        Detail = e.Detail,
        Status = (V1.RecommendationStatus)e.Status,
        EscalationStage = (V1.EscalationStage)e.EscalationStage,
        DueOn = ProtoMapping.ToProto(e.DueOn),
        DueOnProvisional = e.DueOnProvisional,
    };

    public static V1.EnforcementAction ToProto(EnforcementAction a) => new()
    {
        Name = a.ResourceName,
        Kind = (V1.EnforcementActionKind)a.Kind,
        Recommendation = a.RecommendationName,
        Case = Domain.Cases.NeutralityCase.ResourceNameOf(a.CaseId),
        Nip = a.Nip,
        PpkInstansiCode = a.PpkInstansiCode,
        PpkInstansiName = a.PpkInstansiName,
        BusinessDate = ProtoMapping.ToProto(a.BusinessDate),
        CreateTime = Timestamp.FromDateTime(a.CreatedAt),
        OutboxMessage = a.OutboxMessageId is { } id ? OutboxMessage.ResourceNameOf(id) : "",
        Detail = a.Detail,
    };

    public static V1.OutboxMessage ToProto(OutboxMessage m) => new()
    {
        Name = m.ResourceName,
        Kind = (V1.OutboxMessageKind)m.Kind,
        State = (V1.OutboxMessageState)m.State,
        Nip = m.Nip,
        Recommendation = m.RecommendationName,
        EnforcementAction = m.EnforcementActionId is { } id ? $"{EnforcementAction.CollectionName}/{id}" : "",
        IdempotencyKey = m.IdempotencyKey,
        PayloadJson = m.PayloadJson,
        Attempts = m.Attempts,
        CreateTime = Timestamp.FromDateTime(m.CreatedAt),
        NextAttemptTime = m.State == OutboxState.Pending ? Timestamp.FromDateTime(m.NextAttemptAt) : null,
        DeliverTime = m.DeliveredAt is { } delivered ? Timestamp.FromDateTime(delivered) : null,
        LastError = m.LastError ?? "",
        SiasnReceipt = m.Receipt ?? "",
    };

    public static V1.EscalationStep ToProto(EscalationStepTaken step) => new()
    {
        Recommendation = step.Recommendation.ResourceName,
        Nip = step.Recommendation.Nip,
        PpkInstansiCode = step.Recommendation.PpkInstansiCode,
        Kind = (V1.FollowUpEventKind)step.Kind,
        Stage = (V1.EscalationStage)step.Stage,
        WorkingDaysOverdue = step.WorkingDaysOverdue,
        Provisional = step.Provisional,
    };
}
