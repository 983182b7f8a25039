using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Netralitas.Gateway.Rest;

/// <summary>
/// Gives the OpenAPI document the literal segments of AIP resource-name paths. Grpc.Swagger writes
/// <c>/v1/{name=cases/*}</c> as <c>/v1/{name}</c>, so that cases, recommendations, elections… all
/// collide on one path and the document cannot be generated (dotnet/aspnetcore#64879). This
/// rewrites it as <c>/v1/cases/{name}</c>: the client puts the id where <c>{name}</c> is, and the
/// transcoder binds <c>name</c> to <c>cases/{id}</c> as before.
/// </summary>
internal sealed partial class ResourceNamePaths : IApiDescriptionProvider, IOperationFilter
{
    /// <summary>After Grpc.Swagger's provider has added the descriptions.</summary>
    public int Order => 1000;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            var template = RuleOf(description);
            if (template is not null && ResourceVariable().IsMatch(template))
            {
                description.RelativePath = ResourceVariable().Replace(template, m => m.Groups["prefix"].Value + "{" + m.Groups["name"].Value + "}").TrimStart('/');
            }
        }
    }

    /// <summary>Says, on each such path variable, that the URL holds only the id.</summary>
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var template = context.ApiDescription.RelativePath ?? "";
        foreach (var parameter in operation.Parameters.Where(p => p.In == ParameterLocation.Path))
        {
            var at = template.IndexOf("/{" + parameter.Name + "}", StringComparison.Ordinal);
            if (at > 0 && ResourceVariable().IsMatch(RuleOf(context.ApiDescription) ?? ""))
            {
                var collection = template[..at].Split('/')[^1];
                parameter.Description = $"The id alone: the URL already holds `{collection}/`, and the method receives `{collection}/{{id}}`. {parameter.Description}";
            }
        }
    }

    private static string? RuleOf(ApiDescription description)
    {
        var rule = description.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault()?.HttpRule;
        return rule?.PatternCase switch
        {
            Google.Api.HttpRule.PatternOneofCase.Get => rule.Get,
            Google.Api.HttpRule.PatternOneofCase.Post => rule.Post,
            _ => null,
        };
    }

    /// <summary><c>{name=cases/*}</c>: a variable whose pattern is literal segments and one trailing <c>*</c>.</summary>
    [GeneratedRegex(@"\{(?<name>[a-z_]+)=(?<prefix>(?:[A-Za-z]+/)+)\*\}")]
    private static partial Regex ResourceVariable();
}
