using Grpc.Core;
using Netralitas.Gateway.Domain;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.CatalogService: the reference data, straight from memory.</summary>
public sealed class CatalogGrpcService(ReferenceCatalog catalog) : CatalogService.CatalogServiceBase
{
    private const string ElectionPrefix = "elections/";

    public override Task<ListViolationsResponse> ListViolations(ListViolationsRequest request, ServerCallContext context)
    {
        var response = new ListViolationsResponse { CatalogVersion = catalog.CatalogVersion };
        response.Violations.AddRange(catalog.Violations.Select(ProtoMapping.ToProto));
        return Task.FromResult(response);
    }

    public override Task<ListElectionsResponse> ListElections(ListElectionsRequest request, ServerCallContext context)
    {
        var response = new ListElectionsResponse();
        response.Elections.AddRange(catalog.Elections.Select(ProtoMapping.ToProto));
        return Task.FromResult(response);
    }

    public override Task<V1.Election> GetElection(GetElectionRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.Name))
        {
            throw new InvalidRequestException("name", "is required: elections/{election_id}");
        }
        if (!request.Name.StartsWith(ElectionPrefix, StringComparison.Ordinal))
        {
            throw new InvalidRequestException("name", "must be of the form elections/{election_id}");
        }
        var election = catalog.FindElection(request.Name[ElectionPrefix.Length..])
            ?? throw new ResourceNotFoundException(request.Name);
        return Task.FromResult(ProtoMapping.ToProto(election));
    }

    public override Task<ListProvincesResponse> ListProvinces(ListProvincesRequest request, ServerCallContext context)
    {
        var response = new ListProvincesResponse();
        response.Provinces.AddRange(catalog.Provinces.Select(p => new V1.Province { Code = p.Code, Name = p.Name }));
        return Task.FromResult(response);
    }
}
