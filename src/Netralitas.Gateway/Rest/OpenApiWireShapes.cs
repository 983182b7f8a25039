using Google.Api;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Netralitas.Gateway.Rest;

/// <summary>
/// Makes the OpenAPI document say what goes over the wire where Grpc.Swagger describes the C#
/// classes instead: 64-bit integers are JSON strings (proto3 JSON, as the gateway writes them); an
/// error's <c>details</c> are <c>Any</c> messages with an <c>@type</c> and the detail's own fields
/// (not the fields of <c>google.protobuf.Value</c>); and a file (<c>google.api.HttpBody</c>) is the
/// request or response body itself — CSV in, XLSX or CSV out — not a JSON object.
/// </summary>
internal sealed class OpenApiWireShapes : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var schema in document.Components.Schemas.Values)
        {
            Int64AsString(schema);
        }
        if (document.Components.Schemas.TryGetValue("Any", out var any))
        {
            any.AdditionalProperties = new OpenApiSchema();
            any.Description = "A google.rpc error detail (BadRequest, ErrorInfo, ResourceInfo, RetryInfo): its type URL in `@type` and its own fields.";
        }
        foreach (var description in context.ApiDescriptions)
        {
            var method = description.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault()?.MethodDescriptor;
            if (method is null || !document.Paths.TryGetValue("/" + description.RelativePath, out var path)
                || !path.Operations.TryGetValue(Enum.Parse<OperationType>(description.HttpMethod!, ignoreCase: true), out var operation))
            {
                continue;
            }
            if (method.InputType.Fields.InDeclarationOrder().Any(f => f.FieldType == Google.Protobuf.Reflection.FieldType.Message
                && f.MessageType.FullName == HttpBody.Descriptor.FullName) && operation.RequestBody is not null)
            {
                operation.RequestBody.Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = File() };
            }
            if (method.OutputType.FullName == HttpBody.Descriptor.FullName && operation.Responses.TryGetValue("200", out var ok))
            {
                ok.Description = "The file, as XLSX or CSV per the request's format.";
                ok.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = File(),
                    ["text/csv"] = File(),
                };
            }
        }
    }

    private static OpenApiMediaType File() => new() { Schema = new OpenApiSchema { Type = "string", Format = "binary" } };

    private static void Int64AsString(OpenApiSchema schema)
    {
        if (schema.Type == "integer" && schema.Format is "int64" or "uint64")
        {
            schema.Type = "string";
            schema.Pattern = schema.Format == "int64" ? "^-?[0-9]+$" : "^[0-9]+$";
            schema.Example = new OpenApiString("0");
        }
        foreach (var property in schema.Properties.Values)
        {
            Int64AsString(property);
        }
        if (schema.Items is not null)
        {
            Int64AsString(schema.Items);
        }
    }
}
