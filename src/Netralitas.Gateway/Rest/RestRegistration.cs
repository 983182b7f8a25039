using System.Reflection;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi.Models;

namespace Netralitas.Gateway.Rest;

/// <summary>
/// REST/JSON on the same services: JSON transcoding from the google.api.http annotations in
/// protos/, and an OpenAPI document generated from the same descriptors with the proto comments.
/// A transcoded call goes through the same interceptors (call guard, errors, audit) as its gRPC twin.
/// </summary>
public static class RestRegistration
{
    /// <summary>Where the OpenAPI document is served (without credentials: it describes the public contract).</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    public const string SwaggerUiPath = "/swagger";

    public static IGrpcServerBuilder AddRestJson(this IGrpcServerBuilder grpc)
    {
        grpc.AddJsonTranscoding(options =>
        {
            // Proto3 JSON: 64-bit integers as strings (JavaScript numbers hold 53 bits), enums by name.
            options.JsonSettings.WriteInt64sAsStrings = true;
            // The details of an error (BadRequest, ErrorInfo, ResourceInfo, RetryInfo) are written as JSON.
            options.TypeRegistry = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor);
        });
        grpc.Services.AddGrpcSwagger();
        grpc.Services.TryAddEnumerable(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Transient<IApiDescriptionProvider, ResourceNamePaths>());
        grpc.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Netralitas",
                Version = "v1",
                Description = "REST/JSON face of the netralitas.v1 gRPC services: the same methods, rules, security and audit. " +
                    "Errors are a google.rpc.Status JSON body (code, message, details with BadRequest, ErrorInfo, ResourceInfo) " +
                    "under the HTTP status of the gRPC code.",
            });
            var comments = Path.Combine(AppContext.BaseDirectory, Assembly.GetExecutingAssembly().GetName().Name + ".xml");
            swagger.IncludeXmlComments(comments);
            swagger.IncludeGrpcXmlComments(comments, includeControllerXmlComments: false); // the proto comments; the service classes' own describe the implementation
            swagger.CustomOperationIds(OperationId);
            swagger.OperationFilter<ResourceNamePaths>();
            swagger.DocumentFilter<OpenApiWireShapes>();
            swagger.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token of the configured identity provider, over TLS; or a client certificate (mutual TLS) instead.",
            });
            swagger.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" } }] = [],
            });
        });
        return grpc;
    }

    /// <summary>
    /// The gRPC method's name, which code generators make the client's method name; a second
    /// binding of the same method (GetFollowUpStatus by recommendation) is named after its collection.
    /// </summary>
    private static string? OperationId(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription api)
    {
        var metadata = api.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Grpc.JsonTranscoding.GrpcJsonTranscodingMetadata>().FirstOrDefault();
        if (metadata is null)
        {
            return null;
        }
        var method = metadata.MethodDescriptor;
        var primary = method.GetOptions()?.GetExtension(Google.Api.AnnotationsExtensions.Http);
        if (primary is null || primary.Equals(metadata.HttpRule))
        {
            return method.Name;
        }
        var collection = api.RelativePath?.Split('/').Skip(1).FirstOrDefault() ?? "";
        return method.Name + "By" + char.ToUpperInvariant(collection[0]) + collection[1..];
    }

    public static void MapRestDocuments(this WebApplication app)
    {
        app.UseSwagger(options => options.RouteTemplate = "openapi/{documentName}.json");
        var rest = app.Configuration.GetSection(RestOptions.Section).Get<RestOptions>() ?? new RestOptions();
        if (rest.SwaggerUi ?? app.Environment.IsDevelopment())
        {
            app.UseSwaggerUI(options =>
            {
                options.RoutePrefix = SwaggerUiPath.TrimStart('/');
                options.SwaggerEndpoint(OpenApiPath, "Netralitas v1");
            });
        }
    }
}
