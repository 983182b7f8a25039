using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Rpc;
using MethodDescriptor = Google.Protobuf.Reflection.MethodDescriptor;

namespace Netralitas.IntegrationTests;

/// <summary>
/// The same mandates over REST/JSON: every binding of every method's google.api.http rule (read from
/// the descriptors, additional bindings included), called over TLS and HTTP/1.1 as every member
/// by client certificate and by bearer token, and as nobody. Refused is 403 with a
/// PERMISSION_DENIED status naming the method; allowed is anything else but 401 (the dummy ids are
/// unknown, the empty bodies invalid, a resource outside a PPK's scope is 403 too); nothing is ever a 5xx.
/// </summary>
public sealed partial class AccessMatrixContract
{
    private const string DummyNip = "198609262015051001";

    /// <summary>A stream, refused or admitted, answers at once; this bounds a wait that would otherwise hang the matrix.</summary>
    private static readonly TimeSpan StreamPatience = TimeSpan.FromSeconds(1);

    /// <summary>A syntactically valid id for each collection of the API's resource names.</summary>
    private static readonly Dictionary<string, string> DummyIds = new()
    {
        ["cases"] = "0193a1b2-0000-7000-8000-000000000001",
        ["recommendations"] = "0193a1b2-0000-7000-8000-000000000002",
        ["outboxMessages"] = "0193a1b2-0000-7000-8000-000000000003",
        ["elections"] = "pilkada-2024",
        ["calendarYears"] = "2024",
        ["personnel"] = DummyNip,
    };

    /// <summary>A method's REST bindings: its google.api.http rule and the rule's additional bindings.</summary>
    private static IReadOnlyList<HttpRule> Bindings(MethodDescriptor method) =>
        method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is { } rule ? [rule, .. rule.AdditionalBindings] : [];

    internal static IEnumerable<(MethodDescriptor Method, HttpRule Rule)> RestBindings =>
        ApiMethods.SelectMany(m => Bindings(m).Select(rule => (m, rule)));

    [Fact]
    public void EveryMethodButTheTwoClientStreamsHasARestBinding()
    {
        Assert.Equal(["CaseService/CheckOpenCases", "PersonnelService/ImportPersonnel"], ApiMethods.Where(m => Bindings(m).Count == 0).Select(Key).Order());
        Assert.Contains(RestBindings, b => b.Rule.Get == "/v1/{name=recommendations/*}:followUpStatus");
        // Every binding has a verb, and a path whose variables this test can fill.
        Assert.All(RestBindings, b => Assert.StartsWith("/v1/", PathOf(b.Rule.PatternCase, Route(b.Rule).Template, null)));
    }

    [Fact]
    public async Task EveryRestBindingAsEveryMemberByClientCertificateAndByBearerToken()
    {
        var failures = new ConcurrentQueue<string>();
        await Task.WhenAll(SecureGateway.Members.Select(async member =>
        {
            var token = gateway.TokenFor(member.Id);
            foreach (var (method, rule) in RestBindings)
            {
                var (status, body) = await CallRestAsync(gateway.RestClient(member.Id), method, rule, null, member);
                CheckRest(failures, $"{member.Id} (certificate)", member.Role, method, rule, status, body);
                (status, body) = await CallRestAsync(gateway.RestClient(null), method, rule, token, member);
                CheckRest(failures, $"{member.Id} (token)", member.Role, method, rule, status, body);
            }
        }));
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryRestBindingWithoutCredentialsIsUnauthenticated()
    {
        var failures = new List<string>();
        foreach (var (method, rule) in RestBindings)
        {
            var (status, body) = await CallRestAsync(gateway.RestClient(null), method, rule, null, null);
            if (status != 401 || !IsStatus(body, Code.Unauthenticated))
            {
                failures.Add($"nobody → {Describe(method, rule)}: {status} {body}, expected 401 UNAUTHENTICATED");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Refused is 403 PERMISSION_DENIED for the method (METHOD_NOT_ALLOWED). A 403 for the resource
    /// (OUTSIDE_CALLER_SCOPE: a PPK asking for a case id that is not its agency's, or not there at
    /// all) comes from the method, so the guard let the call through.
    /// </summary>
    private static void CheckRest(ConcurrentQueue<string> failures, string who, string role, MethodDescriptor method, HttpRule rule, int status, string body)
    {
        var allowed = Allowed[Key(method)].Contains(role);
        var error = StatusOf(body);
        var refused = status == 403 && error?.Code == (int)Code.PermissionDenied && error.Reason() == "METHOD_NOT_ALLOWED";
        var outOfScope = status == 403 && error?.Code == (int)Code.PermissionDenied && error.Reason() == "OUTSIDE_CALLER_SCOPE";
        if (status is 401 or >= 500 || (status == 403 && !refused && !outOfScope) || allowed == refused)
        {
            failures.Enqueue($"{who} → {Describe(method, rule)}: {status} {body}, expected {(allowed ? "allowed" : "403 PERMISSION_DENIED")}");
        }
    }

    /// <summary>Calls the binding with dummy path values and an empty body; the HTTP status (0: a stream still open) and the body.</summary>
    private static async Task<(int Status, string Body)> CallRestAsync(HttpClient client, MethodDescriptor method, HttpRule rule, string? token, TestMember? member)
    {
        var (verb, template) = Route(rule);
        using var request = client.Request(verb, PathOf(rule.PatternCase, template, member));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (rule.Body.Length > 0)
        {
            var upload = rule.Body != "*" && method.InputType.FindFieldByName(rule.Body)?.MessageType.FullName == HttpBody.Descriptor.FullName;
            request.Content = upload ? Rest.Body("nipBaru,nama\n"u8.ToArray(), "text/csv") : Rest.Body("{}");
        }
        if (!method.IsServerStreaming)
        {
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        using var patience = new CancellationTokenSource(StreamPatience);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, patience.Token);
            // An error's body ends; an admitted stream's may not (disposing the response ends the call).
            return response.IsSuccessStatusCode
                ? ((int)response.StatusCode, "")
                : ((int)response.StatusCode, await response.Content.ReadAsStringAsync(patience.Token));
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested)
        {
            return (0, "(a stream still open)");
        }
    }

    internal static (HttpMethod Verb, string Template) Route(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => (HttpMethod.Get, rule.Get),
        HttpRule.PatternOneofCase.Post => (HttpMethod.Post, rule.Post),
        HttpRule.PatternOneofCase.Put => (HttpMethod.Put, rule.Put),
        HttpRule.PatternOneofCase.Patch => (HttpMethod.Patch, rule.Patch),
        HttpRule.PatternOneofCase.Delete => (HttpMethod.Delete, rule.Delete),
        HttpRule.PatternOneofCase.Custom => (new HttpMethod(rule.Custom.Kind), rule.Custom.Path),
        _ => throw new InvalidOperationException($"A rule without a pattern: {rule}"),
    };

    /// <summary>
    /// The template with its variables filled: <c>{name=cases/*}</c> with a valid id of the
    /// collection, <c>{nip}</c> with a valid NIP, an agency code with the member's own (so that its
    /// scope does not refuse what its role may do).
    /// </summary>
    internal static string PathOf(HttpRule.PatternOneofCase verb, string template, TestMember? member) => PathVariable().Replace(template, m =>
    {
        var (name, pattern) = (m.Groups["name"].Value, m.Groups["pattern"].Value);
        if (pattern.Length > 0)
        {
            var collection = pattern.EndsWith("/*", StringComparison.Ordinal) ? pattern[..^2] : "";
            return DummyIds.TryGetValue(collection, out var id)
                ? $"{collection}/{id}"
                : throw new InvalidOperationException($"No dummy value for {m.Value} in {verb} {template}");
        }
        return name switch
        {
            "nip" => DummyNip,
            "instansi_code" or "ppk_instansi_code" => member?.Instansi?[0] ?? "3303",
            _ => throw new InvalidOperationException($"No dummy value for {m.Value} in {verb} {template}"),
        };
    });

    private static bool IsStatus(string body, Code code) => StatusOf(body)?.Code == (int)code;

    private static Google.Rpc.Status? StatusOf(string body)
    {
        try
        {
            return Rest.Parse<Google.Rpc.Status>(body);
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string Describe(MethodDescriptor method, HttpRule rule) => $"{Route(rule).Verb} {Route(rule).Template} ({Key(method)})";

    [GeneratedRegex(@"\{(?<name>[a-z_]+)(?:=(?<pattern>[^}]*))?\}")]
    private static partial Regex PathVariable();
}
