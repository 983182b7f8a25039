using Grpc.Core;
using Netralitas.Domain;
using Netralitas.Domain.Personnel;
using Netralitas.Gateway.Security;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.PersonnelService: translates messages; the directory and the import decide.</summary>
public sealed class PersonnelGrpcService(PersonnelDirectory directory, IPersonnelStore store, CallLimitOptions limits, TimeProvider clock)
    : PersonnelService.PersonnelServiceBase
{
    public override async Task<V1.Personnel> GetPersonnel(GetPersonnelRequest request, ServerCallContext context)
    {
        if (!System.Enum.IsDefined(request.View))
        {
            throw new InvalidRequestException("view", "is not a known view");
        }
        var (record, history) = await directory.GetAsync(request.Name, request.View == PersonnelView.Full, context.CancellationToken);
        return PersonnelMapping.ToProto(record, history);
    }

    public override async Task<V1.BlockStatus> GetBlockStatus(GetBlockStatusRequest request, ServerCallContext context) =>
        PersonnelMapping.ToProto(await directory.GetBlockStatusAsync(request.Nip, context.CancellationToken));

    public override async Task<ImportPersonnelResponse> ImportPersonnel(
        IAsyncStreamReader<ImportPersonnelRequest> requestStream, ServerCallContext context)
    {
        await using var import = new PersonnelImport(store, clock);
        long row = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            foreach (var input in request.Rows)
            {
                await import.AddAsync(++row, PersonnelMapping.FromProto(input), context.CancellationToken);
            }
        }
        return ToProto(await import.CompleteAsync(context.CancellationToken));
    }

    public override async Task<ImportPersonnelResponse> UploadPersonnelExport(UploadPersonnelExportRequest request, ServerCallContext context)
    {
        var rows = PersonnelExportUpload.Read(request.File, limits.MaxUploadBytes);
        await using var import = new PersonnelImport(store, clock);
        foreach (var (line, row) in rows)
        {
            await import.AddAsync(line, row, context.CancellationToken);
        }
        return ToProto(await import.CompleteAsync(context.CancellationToken));
    }

    private static ImportPersonnelResponse ToProto(ImportReport report)
    {
        var response = new ImportPersonnelResponse
        {
            Received = report.Received, Inserted = report.Inserted, Updated = report.Updated,
            Unchanged = report.Unchanged, Rejected = report.Rejected,
        };
        response.Rejections.AddRange(report.Rejections.Select(r =>
            new V1.ImportRejection { Row = r.Row, Nip = r.Nip, Field = r.Field, Reason = r.Reason }));
        return response;
    }
}
