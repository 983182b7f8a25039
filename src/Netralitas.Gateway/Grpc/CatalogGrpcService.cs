using Netralitas.Adapters.ReferenceData;
using Grpc.Core;
using Netralitas.Data;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Gateway.Security;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>netralitas.v1.CatalogService: the reference data, straight from memory, and the working-day calendar.</summary>
public sealed class CatalogGrpcService(ReferenceCatalog catalog, CalendarDesk calendars) : CatalogService.CatalogServiceBase
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

    public override Task<V1.CalendarYear> GetCalendarYear(GetCalendarYearRequest request, ServerCallContext context) =>
        Task.FromResult(ProtoMapping.ToProto(calendars.Get(request.Name)));

    public override Task<ListCalendarYearsResponse> ListCalendarYears(ListCalendarYearsRequest request, ServerCallContext context)
    {
        var (official, warnings) = calendars.List();
        var response = new ListCalendarYearsResponse();
        response.CalendarYears.AddRange(official.Select(ProtoMapping.ToProto));
        response.Warnings.AddRange(warnings);
        return Task.FromResult(response);
    }

    public override async Task<PublishCalendarYearResponse> PublishCalendarYear(PublishCalendarYearRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.CalendarJson))
        {
            throw new InvalidRequestException("calendar_json", "is required: the year as JSON, as in a calendar file");
        }
        Domain.Calendar.CalendarYear year;
        try
        {
            year = CalendarYearJson.Parse(request.CalendarJson) with { Origin = $"published by {context.CallerId()}" };
        }
        catch (InvalidDataException e)
        {
            throw new InvalidRequestException("calendar_json", e.Message);
        }
        var publication = await calendars.PublishAsync(year, request.ValidateOnly, context.CancellationToken);
        var response = new PublishCalendarYearResponse
        {
            CalendarYear = ProtoMapping.ToProto(publication.Year),
            ValidateOnly = publication.ValidateOnly,
            Unchanged = publication.Unchanged,
        };
        response.DueDateChanges.AddRange(publication.Changes.Select(c => new V1.DueDateChange
        {
            Recommendation = c.Recommendation.ResourceName,
            OldDueOn = ProtoMapping.ToProto(c.Before.Date),
            OldDueOnProvisional = c.Before.Provisional,
            NewDueOn = ProtoMapping.ToProto(c.After.Date),
            NewDueOnProvisional = c.After.Provisional,
        }));
        return response;
    }
}
