using Grpc.Core;
using Netralitas.Domain;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Recommendations;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.ComplianceService: translates messages and calls the compliance reports, the ledger and the sweep.</summary>
public sealed class ComplianceGrpcService(ComplianceReports reports, EnforcementLedger ledger, EscalationSweep sweep)
    : ComplianceService.ComplianceServiceBase
{
    public override async Task<PpkCompliance> CheckPpkCompliance(CheckPpkComplianceRequest request, ServerCallContext context)
    {
        var report = await reports.CheckPpkAsync(request.PpkInstansiCode, ProtoMapping.ToParts(request.AsOf), context.CancellationToken);
        var response = new PpkCompliance
        {
            PpkInstansiCode = report.PpkInstansiCode,
            PpkInstansiName = report.PpkInstansiName,
            AsOf = ProtoMapping.ToProto(report.AsOf),
            Total = report.Standings.Count,
            Complied = report.Count(StandingKind.Complied),
            CompliedLate = report.CompliedLate,
            AwaitingNotDue = report.Count(StandingKind.AwaitingNotDue),
            UnansweredOverdue = report.Count(StandingKind.UnansweredOverdue),
            NonCompliant = report.Count(StandingKind.NonCompliant),
        };
        response.Recommendations.AddRange(report.Standings.Select(s =>
        {
            var standing = new RecommendationStanding
            {
                Recommendation = RecommendationMapping.ToProto(s.Recommendation),
                Overdue = s.Overdue,
                WorkingDaysOverdue = s.WorkingDaysOverdue,
                WorkingDaysOverdueProvisional = s.WorkingDaysOverdueProvisional,
            };
            standing.LighterFollowUps.AddRange(s.LighterFollowUps.Select(RecommendationMapping.ToProto));
            return standing;
        }));
        return response;
    }

    public override async Task<ListNonCompliantPpkResponse> ListNonCompliantPpk(ListNonCompliantPpkRequest request, ServerCallContext context)
    {
        var (agencies, asOf, next) = await reports.ListNonCompliantAsync(request.ProvinceCode, request.ElectionId,
            ProtoMapping.ToParts(request.AsOf), request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListNonCompliantPpkResponse { AsOf = ProtoMapping.ToProto(asOf), NextPageToken = next };
        response.Agencies.AddRange(agencies.Select(a => new V1.NonCompliantPpk
        {
            PpkInstansiCode = a.PpkInstansiCode,
            PpkInstansiName = a.PpkInstansiName,
            UnansweredOverdue = a.UnansweredOverdue,
            NonCompliant = a.NonCompliant,
            Failing = a.Failing,
        }));
        return response;
    }

    public override async Task<ListEnforcementActionsResponse> ListEnforcementActions(ListEnforcementActionsRequest request, ServerCallContext context)
    {
        var (actions, next) = await ledger.ListActionsAsync(request.PpkInstansiCode, request.Nip, (EnforcementKind)request.Kind,
            request.Recommendation, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListEnforcementActionsResponse { NextPageToken = next };
        response.Actions.AddRange(actions.Select(RecommendationMapping.ToProto));
        return response;
    }

    public override async Task<RunEscalationResponse> RunEscalation(RunEscalationRequest request, ServerCallContext context)
    {
        var run = await sweep.RunAsync(request.ValidateOnly, ProtoMapping.ToParts(request.AsOf), request.PpkInstansiCode, context.CancellationToken);
        var response = new RunEscalationResponse
        {
            AsOf = ProtoMapping.ToProto(run.AsOf),
            ValidateOnly = run.ValidateOnly,
            Examined = run.Examined,
            SkippedConcurrent = run.SkippedConcurrent,
        };
        response.Steps.AddRange(run.Steps.Select(RecommendationMapping.ToProto));
        return response;
    }
}
