namespace Netralitas.Gateway.Rest;

/// <summary>Configuration section <c>Netralitas:Rest</c>: the REST/JSON face of the gRPC services.</summary>
public sealed class RestOptions
{
    public const string Section = "Netralitas:Rest";

    /// <summary>The interactive page (Swagger UI) at /swagger: on in Development, off elsewhere unless an operator turns it on.</summary>
    public bool? SwaggerUi { get; set; }
}
