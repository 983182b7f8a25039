using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Netralitas.Domain;

namespace Netralitas.Gateway.Errors;

/// <summary>Builds AIP-193 statuses: a code, a message, and BadRequest / ErrorInfo / ResourceInfo details.</summary>
internal static class RichStatus
{
    public const string ErrorDomain = "netralitas.v1";

    public static Google.Rpc.Status InvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v =>
            new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")),
            Details = { Any.Pack(badRequest) },
        };
    }

    /// <summary>The status a domain error stands for.</summary>
    public static RpcException From(DomainException error) => (error switch
    {
        InvalidRequestException invalid => InvalidArgument(invalid.Violations),
        ResourceNotFoundException notFound => WithResource(Code.NotFound, error.Message, notFound.ResourceName),
        AccessDeniedException => WithInfo(
            new Google.Rpc.Status { Code = (int)Code.PermissionDenied, Message = error.Message }, "OUTSIDE_CALLER_SCOPE"),
        ConcurrentModificationException conflict => WithInfo(
            WithResource(Code.Aborted, error.Message, conflict.ResourceName), "CONCURRENT_MODIFICATION"),
        StatePreconditionException precondition => WithInfo(
            new Google.Rpc.Status { Code = (int)Code.FailedPrecondition, Message = error.Message }, precondition.Reason),
        UpstreamUnavailableException => WithInfo(
            new Google.Rpc.Status { Code = (int)Code.Unavailable, Message = error.Message }, "SIASN_UNAVAILABLE"),
        _ => new Google.Rpc.Status { Code = (int)Code.Internal, Message = "Internal error." },
    }).ToRpcException();

    /// <summary>The database did not answer this time; the call may succeed if retried.</summary>
    public static RpcException DatabaseUnavailable() => WithInfo(
        new Google.Rpc.Status { Code = (int)Code.Unavailable, Message = "The database is unavailable; retry shortly." },
        "DATABASE_UNAVAILABLE").ToRpcException();

    public static RpcException Internal() =>
        new Google.Rpc.Status { Code = (int)Code.Internal, Message = "Internal error; the gateway logged the details." }.ToRpcException();

    private static Google.Rpc.Status WithResource(Code code, string message, string resourceName)
    {
        var slash = resourceName.IndexOf('/');
        return new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details =
            {
                Any.Pack(new ResourceInfo
                {
                    ResourceType = slash > 0 ? resourceName[..slash] : "",
                    ResourceName = resourceName,
                }),
            },
        };
    }

    private static Google.Rpc.Status WithInfo(Google.Rpc.Status status, string reason)
    {
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = ErrorDomain }));
        return status;
    }
}
