using Grpc.Core;
using Netralitas.Gateway.Domain;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.CatalogService: the reference data, straight from memory.</summary>
public sealed class CatalogGrpcService(ReferenceCatalog catalog) : CatalogService.CatalogServiceBase
{
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

    public override Task<V1.Election> GetElection(GetElectionRequest request, ServerCallContext context) =>
        Task.FromResult(ProtoMapping.ToProto(catalog.GetElection(request.Name)));

    public override Task<ListAuthoritiesResponse> ListAuthorities(ListAuthoritiesRequest request, ServerCallContext context)
    {
        var response = new ListAuthoritiesResponse();
        response.Authorities.AddRange(catalog.Authorities.Select(a => new V1.Authority { Code = a.Code, Name = a.Name }));
        return Task.FromResult(response);
    }

    public override Task<ListProvincesResponse> ListProvinces(ListProvincesRequest request, ServerCallContext context)
    {
        var response = new ListProvincesResponse();
        response.Provinces.AddRange(catalog.Provinces.Select(p => new V1.Province { Code = p.Code, Name = p.Name }));
        return Task.FromResult(response);
    }
}
