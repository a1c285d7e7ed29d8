using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// GET /openapi/v1.json describes the app's own route table (walked through EndpointDataSource, so a route mapped
/// without its metadata, or excluded from the description, fails here), with responses and the bearer scheme, and
/// docs/openapi.json (what the web app's types are generated from, without a running server) is that document.
/// </summary>
public sealed partial class OpenApiDocumentTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    /// <summary>Routes the document leaves out on purpose, each with its reason. Nothing else may be missing.</summary>
    private static readonly Dictionary<string, string> Excluded = new()
    {
        ["/hubs/"] = "SignalR hubs (negotiate and the connection): their contract is the typed hub client, not REST",
        ["/openapi/{documentName}.json"] = "the document itself",
        ["/api/forms/{**rest}"] = "the CORS preflight (OPTIONS) a browser sends before a form post: not an operation a client calls",
        ["/api/widget/{**rest}"] = "the CORS preflight (OPTIONS) of the widget's routes",
    };

    [Fact]
    public async Task The_document_is_OpenAPI_3_and_names_every_route_of_the_route_table_with_its_method()
    {
        var document = await DocumentAsync();

        Assert.Matches(@"^3\.\d+\.\d+$", (string?)document["openapi"]);
        var missing = Missing(document, Routes());

        Assert.True(missing.Count == 0, "Routes missing from /openapi/v1.json (give them metadata, or add them to Excluded with a reason):\n"
            + string.Join("\n", missing));
    }

    /// <summary>
    /// The check above can fail: the app's own route table plus two endpoints the document cannot know (one with a method,
    /// one without, as a route mapped without its metadata would be) — the check names exactly those two, and nothing else.
    /// </summary>
    [Fact]
    public async Task The_route_check_names_a_route_the_document_does_not_describe()
    {
        var document = await DocumentAsync();
        Endpoint[] undocumented =
        [
            new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/undocumented/{id:long}"), 0)
            {
                Metadata = { new HttpMethodMetadata(["POST"]) },
            }.Build(),
            new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse("/undocumented-probe"), 0).Build(),
        ];

        var missing = Missing(document, Routes(AppEndpoints().Concat(undocumented)));

        Assert.Equal(["* /undocumented-probe", "POST /api/undocumented/{id:long}"], missing);
    }

    [Fact]
    public async Task The_document_reads_back_with_no_error_and_passes_the_OpenAPI_rule_set()
    {
        using var http = fixture.App.Http();
        var text = await (await http.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();

        Assert.Equal([], Problems(text));
    }

    /// <summary>
    /// The check above can fail: the served document with a second path of the same signature (what a catch-all CORS
    /// route `/api/forms/{rest}` beside `/api/forms/{formKey}` once was) is refused, naming the path.
    /// </summary>
    [Fact]
    public async Task The_rule_set_check_names_a_path_whose_signature_is_not_unique()
    {
        var document = await DocumentAsync();
        document["paths"]!.AsObject()["/api/forms/{rest}"] = new JsonObject { ["get"] = new JsonObject { ["responses"] = new JsonObject { ["204"] = new JsonObject { ["description"] = "No Content" } } } };

        Assert.Contains(Problems(document.ToJsonString()), p => p.Contains("/api/forms/{}", StringComparison.Ordinal) && p.Contains("MUST be unique", StringComparison.Ordinal));
    }

    /// <summary>What Microsoft.OpenApi's reader reports reading the document, then its default validation rules.</summary>
    private static List<string> Problems(string json)
    {
        var read = OpenApiDocument.Parse(json, "json", null);
        var problems = (read.Diagnostic?.Errors ?? []).Select(e => $"read: {e}").ToList();
        if (read.Document is { } document)
        {
            problems.AddRange(document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.Select(e => $"rule: {e}") ?? []);
        }
        return problems;
    }

    /// <summary>The routes (as "METHOD pattern", ordered) that the document does not describe.</summary>
    private static List<string> Missing(JsonObject document, IEnumerable<(string Method, string Pattern, bool RequiresUser)> routes)
    {
        var paths = document["paths"]!.AsObject();
        var described = paths.SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {Normalize(p.Key)}")).ToHashSet();
        var describedPaths = paths.Select(p => Normalize(p.Key)).ToHashSet();
        var missing = new List<string>();
        foreach (var (method, pattern, _) in routes)
        {
            var path = Normalize(pattern);
            var found = method == "*" ? describedPaths.Contains(path) : described.Contains($"{method} {path}");
            if (!found)
            {
                missing.Add($"{method} {pattern}");
            }
        }
        return missing.Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Every_operation_has_a_response_and_exactly_the_signed_in_ones_declare_the_bearer_scheme()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]?["securitySchemes"]?.AsObject();
        Assert.Equal("bearer", (string?)schemes?["Bearer"]?["scheme"]);
        Assert.NotNull(document["components"]?["schemas"]?["ProblemDetails"]);
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Key: $"{o.Key.ToUpperInvariant()} {Normalize(p.Key)}", Operation: o.Value!.AsObject())))
            .ToDictionary(o => o.Key, o => o.Operation);
        var wrong = new List<string>();
        var signedIn = 0;
        var tooMany = 0;
        foreach (var (method, pattern, requiresUser) in Routes().Where(r => r.Method != "*"))
        {
            if (!operations.TryGetValue($"{method} {Normalize(pattern)}", out var operation))
            {
                continue; // the other test names it
            }
            if (operation["responses"] is not JsonObject { Count: > 0 } responses)
            {
                wrong.Add($"{method} {pattern}: no response");
                continue;
            }
            var bearer = operation["security"]?.AsArray().Any(s => s?.AsObject().ContainsKey("Bearer") == true) == true;
            if (requiresUser)
            {
                signedIn++;
                if (!bearer || !responses.ContainsKey("401"))
                {
                    wrong.Add($"{method} {pattern}: requires a user but declares {(bearer ? "no 401" : "no bearer security")}");
                }
            }
            else if (bearer)
            {
                wrong.Add($"{method} {pattern}: allows anonymous callers but declares bearer security");
            }
            var problem = responses.Where(r => r.Key[0] is '4' or '5').Select(r => r.Value?["content"]?.AsObject()).FirstOrDefault(c => c is not null);
            if (problem is not null && !problem.ContainsKey("application/problem+json"))
            {
                wrong.Add($"{method} {pattern}: its error answers are not application/problem+json");
            }
            // Every 429 the service sends says when to try again; a client generated from the document should read it.
            if (responses["429"] is JsonObject refused && refused["headers"]?["Retry-After"]?["schema"]?["type"]?.ToString() != "integer")
            {
                wrong.Add($"{method} {pattern}: its 429 does not declare the Retry-After header");
            }
            tooMany += responses.ContainsKey("429") ? 1 : 0;
        }

        Assert.True(signedIn > 100, $"only {signedIn} signed-in operations were checked");
        Assert.True(tooMany > 10, $"only {tooMany} operations declare 429");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task The_committed_docs_openapi_json_is_the_served_document()
    {
        using var http = fixture.App.Http();
        var served = (await http.GetStringAsync("/openapi/v1.json")).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var file = Path.Combine(RepoRoot(), "docs", "openapi.json");
        var committed = File.Exists(file) ? (await File.ReadAllTextAsync(file)).ReplaceLineEndings("\n") : "";

        if (committed != served)
        {
            // Rewritten here so that the fix is to review and commit it; the failure keeps a stale copy out of main.
            await File.WriteAllTextAsync(file, served);
        }

        Assert.True(committed == served, $"{file} was not the served document; it has been rewritten: review and commit it "
            + "(the web app's src/api/schema.d.ts is generated from it by npm run build).");
    }

    [Fact]
    public async Task The_document_is_public_and_its_unknown_neighbours_are_404_not_the_web_app()
    {
        using var http = fixture.App.Http();

        var document = await http.GetAsync("/openapi/v1.json");
        var unknown = await http.GetAsync("/openapi/v2.json");
        var reference = await http.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal("application/json", document.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reference.StatusCode); // the interactive page is Development only
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using var http = fixture.App.Http();
        var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Every route as (method, pattern, requires a user); "*" for a route without methods (health probes).</summary>
    private IEnumerable<(string Method, string Pattern, bool RequiresUser)> Routes() => Routes(AppEndpoints());

    private IReadOnlyList<Endpoint> AppEndpoints() => fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints;

    private static IEnumerable<(string Method, string Pattern, bool RequiresUser)> Routes(IEnumerable<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (Excluded.Keys.Any(prefix => pattern.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }
            var requiresUser = endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
            {
                yield return (method, pattern, requiresUser);
            }
        }
    }

    /// <summary>A route pattern as an OpenAPI path: `{id:long}`, `{**rest}`, `{x?}` become `{id}`, `{rest}`, `{x}`.</summary>
    private static string Normalize(string pattern)
    {
        var path = Parameter().Replace(pattern, "{$1}").TrimEnd('/');
        return path.StartsWith('/') ? path : "/" + path;
    }

    [GeneratedRegex(@"\{\**([^}:=?]+)[^}]*\}")]
    private static partial Regex Parameter();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "ContactCenter.sln")))
        {
            dir = dir.Parent;
        }
        return dir.FullName;
    }
}
