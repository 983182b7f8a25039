using Netralitas.Gateway.Errors;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Netralitas.Domain;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Telemetry;
using Netralitas.Gateway.Security;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.CaseService: translates messages and calls the case registry.</summary>
public sealed class CaseGrpcService(
    Lazy<CaseRegistry> registryOnDemand, OpenCaseIndex index, DomainMetrics metrics, IHostApplicationLifetime lifetime)
    : CaseService.CaseServiceBase
{
    // The read-only checks need only the in-memory index; the registry (and with it a database
    // context) is created only for the calls that use it.
    private CaseRegistry Registry => registryOnDemand.Value;

    public override async Task<Case> FileCase(FileCaseRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await Registry.FileAsync(ProtoMapping.ToCommand(request), context.CancellationToken));

    public override async Task<Case> GetCase(GetCaseRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await Registry.GetAsync(request.Name, context.InstansiScope(), context.CancellationToken));

    public override async Task<ListCasesResponse> ListCases(ListCasesRequest request, ServerCallContext context)
    {
        var (cases, next) = await Registry.ListAsync(
            ProtoMapping.ToFilter(request), context.InstansiScope(), request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListCasesResponse { NextPageToken = next };
        response.Cases.AddRange(cases.Select(ProtoMapping.ToProto));
        return response;
    }

    public override async Task<Case> DecideCase(DecideCaseRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await Registry.DecideAsync(ProtoMapping.ToCommand(request), context.CancellationToken));

    public override Task<HasOpenCaseResponse> HasOpenCase(HasOpenCaseRequest request, ServerCallContext context)
    {
        var standing = index.StandingOf(Nip.Parse(request.Nip, "nip"));
        var response = new HasOpenCaseResponse { Nip = request.Nip, HasOpenCase = standing.OpenCount > 0, OpenCaseCount = standing.OpenCount };
        if (standing.BlockedSince is { } since)
        {
            response.Blocked = true;
            response.BlockedSince = Timestamp.FromDateTime(since);
        }
        metrics.RecordOpenCaseCheck(1);
        return Task.FromResult(response);
    }

    public override async Task CheckOpenCases(
        IAsyncStreamReader<CheckOpenCasesRequest> requestStream,
        IServerStreamWriter<CheckOpenCasesResponse> responseStream,
        ServerCallContext context)
    {
        // A bulk check can run for minutes: on shutdown it ends after the message in hand, with
        // UNAVAILABLE, so the caller resumes with the NIPs not yet answered (on this or another replica).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        await using var requests = requestStream.ReadAllAsync(stopping.Token).GetAsyncEnumerator(stopping.Token);
        while (await NextOrShutdownAsync(requests, context))
        {
            var request = requests.Current;
            if (request.Nips.Count > OpenCaseIndex.MaxNipsPerBatch)
            {
                throw new InvalidRequestException("nips", $"at most {OpenCaseIndex.MaxNipsPerBatch} NIPs in one message, got {request.Nips.Count}");
            }
            var response = new CheckOpenCasesResponse();
            response.Answers.AddRange(Answers(request.Nips));
            metrics.RecordOpenCaseCheck(request.Nips.Count);
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    public override Task<BatchCheckOpenCasesResponse> BatchCheckOpenCases(BatchCheckOpenCasesRequest request, ServerCallContext context)
    {
        if (request.Nips.Count is 0 or > OpenCaseIndex.MaxNipsPerBatch)
        {
            throw new InvalidRequestException("nips", $"give 1 to {OpenCaseIndex.MaxNipsPerBatch} NIPs, got {request.Nips.Count}");
        }
        var response = new BatchCheckOpenCasesResponse();
        response.Answers.AddRange(Answers(request.Nips));
        metrics.RecordOpenCaseCheck(request.Nips.Count);
        return Task.FromResult(response);
    }

    private IEnumerable<OpenCaseAnswer> Answers(IReadOnlyList<string> nips)
    {
        for (var i = 0; i < nips.Count; i++)
        {
            yield return Answer(nips[i], i);
        }
    }

    private async Task<bool> NextOrShutdownAsync(IAsyncEnumerator<CheckOpenCasesRequest> requests, ServerCallContext context)
    {
        try
        {
            return await requests.MoveNextAsync();
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The gateway is shutting down; send the NIPs not yet answered again."));
        }
    }

    private OpenCaseAnswer Answer(string text, int position)
    {
        if (!Nip.TryParse(text, out var nip, out var error))
        {
            return new OpenCaseAnswer
            {
                Nip = text,
                Error = RichStatus.InvalidArgument([new FieldViolation($"nips[{position}]", error)]),
            };
        }
        var standing = index.StandingOf(nip);
        var answer = new OpenCaseAnswer { Nip = text, HasOpenCase = standing.OpenCount > 0, OpenCaseCount = standing.OpenCount };
        if (standing.BlockedSince is { } since)
        {
            answer.Blocked = true;
            answer.BlockedSince = Timestamp.FromDateTime(since);
        }
        return answer;
    }
}
