using System.Diagnostics.Metrics;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Netralitas.Domain;
using Netralitas.Domain.Audit;
using Netralitas.Gateway.Errors;

namespace Netralitas.Gateway.Security;

/// <summary>
/// Refuses requests that cannot be read — a gRPC message that does not parse, a REST body or query
/// that is not its message's JSON — with INVALID_ARGUMENT and <c>ErrorInfo.reason</c>
/// <see cref="Reason"/>; counts them (<c>netralitas.requests.malformed</c>, by method and protocol);
/// and logs at most one warning per <see cref="WarningInterval"/>, saying how many were refused
/// since the last one, so that a flood of garbage cannot flood the log.
/// </summary>
public sealed partial class MalformedRequests : IDisposable
{
    public const string MeterName = Telemetry.GatewayMetrics.MeterName;
    public const string InstrumentName = "netralitas.requests.malformed";
    public const string Reason = "MALFORMED_REQUEST";

    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly Counter<long> _refused;
    private readonly ITimer _flush;
    private readonly ILogger<MalformedRequests> _logger;
    private readonly object _gate = new();
    private long _unreported;
    private string _lastMethod = "";
    private string _lastProtocol = "";
    private string _lastCaller = "";
    private bool _quiet = true;

    public MalformedRequests(IMeterFactory meters, TimeProvider clock, ILogger<MalformedRequests> logger)
    {
        _logger = logger;
        _refused = meters.Create(MeterName).CreateCounter<long>(InstrumentName, "{request}",
            "Requests refused because their message or body could not be read");
        _flush = clock.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Counts a gRPC message that did not parse as <paramref name="messageType"/> and returns its refusal.</summary>
    public RpcException RefuseMessage(string method, string caller, string messageType) =>
        Refuse(method, AuditEntry.GrpcProtocol, caller, new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"The request message could not be parsed as {messageType}.",
        });

    /// <summary>Counts a gRPC request stream that is not a sequence of length-prefixed messages and returns its refusal.</summary>
    public RpcException RefuseFraming(string method, string caller, string fault) =>
        Refuse(method, AuditEntry.GrpcProtocol, caller, new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"The request message could not be parsed: the request stream is not length-prefixed gRPC messages ({fault}).",
        });

    /// <summary>Counts a REST request whose body or query is not its message's JSON and returns its refusal, naming the fields.</summary>
    public RpcException RefuseRest(string method, string caller, IReadOnlyList<FieldViolation> violations) =>
        Refuse(method, AuditEntry.RestProtocol, caller, RichStatus.InvalidArgument(violations));

    private RpcException Refuse(string method, string protocol, string caller, Google.Rpc.Status status)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("protocol", protocol));
        lock (_gate)
        {
            _unreported++;
            (_lastMethod, _lastProtocol, _lastCaller) = (method, protocol, caller);
            if (_quiet)
            {
                // The first after a quiet interval is reported at once; those that follow it, when the interval ends.
                _quiet = false;
                ReportLocked();
            }
        }
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = Reason, Domain = RichStatus.ErrorDomain }));
        return status.ToRpcException();
    }

    private void Flush()
    {
        lock (_gate)
        {
            if (_unreported == 0)
            {
                _quiet = true;
                return;
            }
            ReportLocked();
        }
    }

    private void ReportLocked()
    {
        LogRefused(_unreported, _lastMethod, _lastProtocol, _lastCaller);
        _unreported = 0;
        _flush.Change(WarningInterval, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _flush.Dispose();

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused {Count} request(s) whose message could not be read (at most one such line a minute); the last: {Method} over {Protocol} from {Caller}")]
    private partial void LogRefused(long count, string method, string protocol, string caller);
}
