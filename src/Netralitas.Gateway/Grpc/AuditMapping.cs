using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Netralitas.Domain.Audit;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>Translation between AuditService messages and the domain. No rules here.</summary>
internal static class AuditMapping
{
    public static InstantParts? Parts(Timestamp? time) => time is null ? null : new InstantParts(time.Seconds, time.Nanos);

    public static V1.AuditEntry ToProto(ListedAuditEntry listed)
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
            Protocol = e.Protocol switch
            {
                Domain.Audit.AuditEntry.GrpcProtocol => CallProtocol.Grpc,
                Domain.Audit.AuditEntry.RestProtocol => CallProtocol.Rest,
                _ => CallProtocol.Unspecified,
            },
        };
        if (e.Peer is not null)
        {
            proto.Peer = e.Peer;
        }
        return proto;
    }
}
