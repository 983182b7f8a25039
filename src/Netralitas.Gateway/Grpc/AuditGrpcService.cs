using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
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
            Parts(request.StartTime), Parts(request.EndTime), request.PageSize, request.PageToken), context.CancellationToken);
        var response = new ListAuditEntriesResponse { NextPageToken = next };
        response.Entries.AddRange(entries.Select(ToProto));
        return response;
    }

    public override async Task<VerifyAuditTrailResponse> VerifyAuditTrail(VerifyAuditTrailRequest request, ServerCallContext context)
    {
        var verification = await verifier.VerifyAsync(new AuditVerifyRequest(request.FirstSequence, request.LastSequence,
            Parts(request.StartTime), Parts(request.EndTime)), context.CancellationToken);
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

    private static InstantParts? Parts(Timestamp? time) => time is null ? null : new InstantParts(time.Seconds, time.Nanos);

    private static V1.AuditEntry ToProto(ListedAuditEntry listed)
    {
        var e = listed.Entry;
        var proto = new V1.AuditEntry
        {
            Sequence = e.Sequence,
            Time = Timestamp.FromDateTime(e.Time),
            CallerId = e.CallerId,
            CallerProof = e.CallerProof,
            Method = e.Method,
            Status = e.Status,
            RequestId = e.RequestId,
            CaseIds = { e.CaseIdList ?? [] },
            NipCount = e.NipCount,
            NipDigest = ByteString.CopyFrom(e.NipDigest),
            Bulk = e.Bulk,
            NipBlobDigest = ByteString.CopyFrom(e.NipBlobDigest ?? []),
            Nips = { listed.Nips ?? [] },
            PreviousHash = ByteString.CopyFrom(e.PreviousHash),
            Hash = ByteString.CopyFrom(e.Hash),
        };
        if (e.Peer is not null)
        {
            proto.Peer = e.Peer;
        }
        return proto;
    }
}
