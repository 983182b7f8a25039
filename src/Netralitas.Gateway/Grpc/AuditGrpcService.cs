using Google.Protobuf;
using Grpc.Core;
using Netralitas.Domain.Audit;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.AuditService: translates messages; the audit trail's queries and verifier decide.</summary>
public sealed class AuditGrpcService(AuditQueries queries, AuditVerifier verifier) : AuditService.AuditServiceBase
{
    public override async Task<ListAuditEntriesResponse> ListAuditEntries(ListAuditEntriesRequest request, ServerCallContext context)
    {
        var (entries, next) = await queries.ListAsync(new AuditListRequest(request.Nip, request.CallerId, request.Method,
            AuditMapping.Parts(request.StartTime), AuditMapping.Parts(request.EndTime), request.PageSize, request.PageToken), context.CancellationToken);
        var response = new ListAuditEntriesResponse { NextPageToken = next };
        response.Entries.AddRange(entries.Select(AuditMapping.ToProto));
        return response;
    }

    public override async Task<VerifyAuditTrailResponse> VerifyAuditTrail(VerifyAuditTrailRequest request, ServerCallContext context)
    {
        var verification = await verifier.VerifyAsync(new AuditVerifyRequest(request.FirstSequence, request.LastSequence,
            AuditMapping.Parts(request.StartTime), AuditMapping.Parts(request.EndTime)), context.CancellationToken);
        var response = new VerifyAuditTrailResponse
        {
            Intact = verification.Intact,
            EntriesChecked = verification.EntriesChecked,
            ProblemCount = verification.ProblemCount,
            FirstSequence = verification.FirstSequence,
            LastSequence = verification.LastSequence,
            LastHash = ByteString.CopyFrom(verification.LastHash),
        };
        response.Problems.AddRange(verification.Problems.Select(p => new V1.AuditProblem
        {
            Kind = (V1.AuditProblemKind)p.Kind,
            Sequence = p.Sequence,
            LastSequence = p.LastSequence,
            Description = p.Description,
        }));
        return response;
    }
}
