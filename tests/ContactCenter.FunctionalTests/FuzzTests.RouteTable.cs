using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Every route of the app's route table that takes a body (public and authenticated), walked like
/// AuthorizationMatrixTests does, so a new route is fuzzed without being listed: a seed body is built from the
/// route's declared request type, then mutated (wrong types, NULs, huge strings, malformed dates, broken JSON).
/// Never a 5xx, never a stack trace.
/// </summary>
public sealed class RouteTableFuzzTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private static readonly JsonNode?[] BadValues =
    [
        null, JsonValue.Create(-1), JsonValue.Create(1e300), JsonValue.Create(long.MaxValue), JsonValue.Create(true),
        new JsonArray(JsonValue.Create(1)), new JsonObject { ["x"] = "y" }, JsonValue.Create("\u0000nul\u0000"),
        JsonValue.Create(new string('n', 300_000)), JsonValue.Create("2026-13-45T99:99:99Z"), JsonValue.Create("not a date"),
        JsonValue.Create("'; drop table users; --"), JsonValue.Create("\uD800"), JsonValue.Create(""),
    ];

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record BodyRoute(string Method, string Pattern, string Url, bool Anonymous, Type? RequestType);

    private IReadOnlyList<BodyRoute> Routes()
    {
        var routes = new List<BodyRoute>();
        foreach (var endpoint in fixture.App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (pattern.StartsWith("/hubs/", StringComparison.Ordinal)
                || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is not { } methods)
            {
                continue;
            }
            // Another user's id: the admin's own account is never the one a mutated body may change.
            var url = string.Join("/", pattern.Split('/').Select(segment =>
                segment.StartsWith('{') ? (segment.Contains(":long") || segment.Contains(":int") ? "2" : "x") : segment));
            var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            var type = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
            foreach (var method in methods.HttpMethods.Where(m => m is "POST" or "PUT" or "PATCH"))
            {
                routes.Add(new BodyRoute(method, pattern, url.StartsWith('/') ? url : "/" + url, anonymous, type));
            }
        }
        return routes;
    }

    [Fact]
    public async Task Mutated_bodies_on_every_route_that_takes_one_are_never_a_5xx()
    {
        // Something for the routes to find: a conversation, contact and lead (ids 1) and a second user (id 2).
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.PostInboundAsync(channel, AppFixture.InboundBody("fz-1", "fz-contact", "hello", "Fuzz"));
        await fixture.CreateUserAsync("fuzzed", "manager", channel.Id);
        var routes = Routes();
        Assert.True(routes.Count >= 30, $"Only {routes.Count} routes with a body found: the walk is broken.");
        Assert.True(routes.Count(r => r.RequestType is not null) >= 20, "The walk finds no request types.");
        var random = new Random(20261202);
        using var http = fixture.App.Http(fixture.AdminToken);
        using var anonymous = fixture.App.Http();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            // A route that reads its body itself (webhooks, forms) gets a small object to mutate.
            var seed = (route.RequestType is { } type ? SeedOf(type, 0) as JsonObject : null) is { Count: > 0 } typed
                ? typed.ToJsonString() : """{"text":"fuzz","id":1,"at":"2026-12-02T10:00:00Z"}""";
            for (var i = 0; i < 16; i++)
            {
                var body = i % 2 == 0 ? Targeted(seed, random, i / 2) : FuzzMutations.Mutate(seed, random, i);
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                var response = await (route.Anonymous ? anonymous : http).SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || text.Contains("   at ", StringComparison.Ordinal))
                {
                    failures.Add($"{route.Method} {route.Pattern} {(int)response.StatusCode} for {body[..Math.Min(200, body.Length)]}: {text[..Math.Min(300, text.Length)]}");
                }
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>One property (or the body itself) replaced by a hostile value: the types and limits the binder must refuse cleanly.</summary>
    private static string Targeted(string seed, Random random, int i)
    {
        if (JsonNode.Parse(seed) is not JsonObject node || node.Count == 0)
        {
            return BadValues[i % BadValues.Length]?.ToJsonString() ?? "null";
        }
        var key = node.ElementAt(random.Next(node.Count)).Key;
        node[key] = BadValues[i % BadValues.Length]?.DeepClone();
        return node.ToJsonString();
    }

    /// <summary>A plausible value of a request type, camelCase like the app's JSON.</summary>
    private static JsonNode? SeedOf(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "fuzz";
        }
        if (type == typeof(bool))
        {
            return true;
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return 1;
        }
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
        {
            return 1.5;
        }
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return "2026-12-02T10:00:00Z";
        }
        if (type == typeof(TimeSpan))
        {
            return "00:05:00";
        }
        if (typeof(JsonNode).IsAssignableFrom(type) || type == typeof(System.Text.Json.JsonElement) || depth > 3)
        {
            // Never empty: the shared mutator picks a key of every object it descends into.
            return new JsonObject { ["key"] = "fuzz" };
        }
        if (type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)))
        {
            var item = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[^1];
            return new JsonArray(SeedOf(item, depth + 1));
        }
        if (type.IsEnum)
        {
            return Enum.GetNames(type).FirstOrDefault();
        }
        var node = new JsonObject();
        foreach (var property in type.GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            node[char.ToLowerInvariant(property.Name[0]) + property.Name[1..]] = SeedOf(property.PropertyType, depth + 1);
        }
        return node;
    }
}
