using System.Text.Json;
using System.Xml.Linq;

namespace Netralitas.UnitTests;

/// <summary>
/// The project references are the architecture: each project references only the ones below it,
/// and the domain depends on no web, gRPC or database framework, not even transitively.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Lowest first. A project may reference only projects of a lower rank.</summary>
    private static readonly Dictionary<string, int> Rank = new()
    {
        ["Netralitas.Domain"] = 0,
        ["Netralitas.Adapters"] = 1,
        ["Netralitas.Data"] = 2,
        ["Netralitas.Gateway"] = 3,
        ["Netralitas.SiasnSimulator"] = 3, // beside the gateway: neither may reference the other
        ["Netralitas.DevHost"] = 4,
    };

    private static readonly string[] FrameworksTheDomainMustNotSee =
        ["Microsoft.AspNetCore", "Grpc", "Google.Protobuf", "Google.Api", "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data"];

    [Fact]
    public void EveryProjectReferencesOnlyLowerLayers()
    {
        var wrong = new List<string>();
        foreach (var (project, rank) in Rank)
        {
            foreach (var reference in ProjectReferencesOf(project))
            {
                if (!Rank.TryGetValue(reference, out var referenced) || referenced >= rank)
                {
                    wrong.Add($"{project} -> {reference}");
                }
            }
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public void EveryProjectUnderSrcHasALayer()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepositoryRoot, "src")).Select(Path.GetFileName);
        Assert.Equal(Rank.Keys.Order(), projects.Order()!);
    }

    [Fact]
    public void TheDomainDependsOnNoWebGrpcOrDatabaseFramework()
    {
        // The restored graph, transitive packages included.
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Netralitas.Domain", "obj", "project.assets.json")));
        var packages = assets.RootElement.GetProperty("targets").EnumerateObject()
            .SelectMany(target => target.Value.EnumerateObject().Select(p => p.Name.Split('/')[0]))
            .ToArray();
        Assert.NotEmpty(packages);
        Assert.DoesNotContain(packages, p => FrameworksTheDomainMustNotSee.Any(f => p.StartsWith(f, StringComparison.OrdinalIgnoreCase)));

        var frameworks = Project("Netralitas.Domain").Descendants("FrameworkReference").Select(f => (string?)f.Attribute("Include"));
        Assert.Empty(frameworks);
        Assert.Equal("Microsoft.NET.Sdk", (string?)Project("Netralitas.Domain").Root!.Attribute("Sdk"));

        // And what the compiled assembly actually binds to.
        var referenced = typeof(Domain.Nip).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        Assert.DoesNotContain(referenced, a => FrameworksTheDomainMustNotSee.Any(f => a.StartsWith(f, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void TheProductionGatewayShipsNoSimulatorOrDevelopmentTools()
    {
        var gateway = typeof(Gateway.GatewayApplication).Assembly;
        Assert.DoesNotContain(gateway.GetReferencedAssemblies(), a => a.Name is "Netralitas.SiasnSimulator" or "Netralitas.DevHost");
        Assert.DoesNotContain(gateway.GetTypes(), t => t.Name.Contains("Simulator", StringComparison.Ordinal)
            || t.Name.StartsWith("Development", StringComparison.Ordinal));
    }

    private static IEnumerable<string> ProjectReferencesOf(string project) =>
        Project(project).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')));

    private static XDocument Project(string name) =>
        XDocument.Load(Path.Combine(RepositoryRoot, "src", name, name + ".csproj"));

    private static readonly string RepositoryRoot = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Netralitas.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Netralitas.sln not found above " + AppContext.BaseDirectory);
    }
}
