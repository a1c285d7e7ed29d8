using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Walks the app's own route table, so a new route cannot be forgotten: every route refuses anonymous callers
/// (401) unless it is in the reviewed list of public routes below, and every admin- or staff-only route refuses a
/// manager (403). Ownership (another manager's conversation is 404) is covered route by route in OwnershipTests.
/// </summary>
public sealed class AuthorizationMatrixTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    /// <summary>Routes that customers, providers and probes call without a user token. Adding one here is a decision.</summary>
    private static readonly HashSet<string> PublicRoutes =
    [
        "POST /api/auth/login",
        "POST /api/inbound/{channelId:long}",
        "POST /webhooks/telegram/{channelId:long}",
        "POST /webhooks/twilio/{channelId:long}",
        "POST /webhooks/twilio/{channelId:long}/status",
        "GET /widget.js",
        "POST /api/widget/{widgetKey}/session",
        "POST /api/forms/{formKey}",
        // Visitor routes: no user token, the visitor's own signed token (checked by the web chat connector, tested there).
        "GET /api/widget/messages",
        "POST /api/widget/messages",
        "POST /api/widget/profile",
        // CORS preflights of the site channels.
        "OPTIONS /api/forms/{**rest}",
        "OPTIONS /api/widget/{**rest}",
        "GET /health/live",
        "GET /health/ready",
    ];

    private sealed record Route(string Method, string Pattern, string Url, bool Anonymous, string? Policy);

    private IReadOnlyList<Route> Routes()
    {
        var sources = fixture.App.Services.GetRequiredService<EndpointDataSource>();
        var routes = new List<Route>();
        foreach (var endpoint in sources.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (pattern.StartsWith("/hubs/", StringComparison.Ordinal) || endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is not { } methods)
            {
                continue; // hubs are checked below through their negotiate route
            }
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
            var url = string.Join("/", pattern.Split('/').Select(segment =>
                segment.StartsWith('{') ? (segment.Contains(":long") || segment.Contains(":int") ? "1" : "x") : segment));
            foreach (var method in methods.HttpMethods)
            {
                routes.Add(new Route(method, (pattern.StartsWith('/') ? pattern : "/" + pattern), url.StartsWith('/') ? url : "/" + url, anonymous, policy));
            }
        }
        return routes;
    }

    [Fact]
    public void Only_the_reviewed_routes_are_public()
    {
        var open = Routes().Where(r => r.Anonymous).Select(r => $"{r.Method} {r.Pattern}").ToHashSet();

        Assert.Empty(open.Except(PublicRoutes).Order());
    }

    [Fact]
    public async Task Every_other_route_refuses_anonymous_expired_and_tampered_callers()
    {
        var routes = Routes().Where(r => !r.Anonymous).ToList();
        Assert.True(routes.Count >= 15, $"Only {routes.Count} protected routes found: the walk is broken.");
        var expired = new ContactCenter.Api.Auth.TokenIssuer(
            Microsoft.Extensions.Options.Options.Create(new ContactCenter.Api.Auth.AuthOptions { JwtKey = TestKeys.JwtKey, TokenLifetime = TimeSpan.FromMinutes(1) }),
            new ShiftedClock(TimeSpan.FromHours(-2))).Issue(1, "Admin", "admin@test.local", "admin").Token;
        var forged = new ContactCenter.Api.Auth.TokenIssuer(
            Microsoft.Extensions.Options.Options.Create(new ContactCenter.Api.Auth.AuthOptions { JwtKey = "another-key-another-key-another-key-0000" }),
            TimeProvider.System).Issue(1, "Admin", "admin@test.local", "admin").Token;
        var failures = new List<string>();
        foreach (var token in new string?[] { null, expired, forged })
        {
            using var http = fixture.App.Http(token);
            foreach (var route in routes)
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url);
                if (route.Method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }
                var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{route.Method} {route.Url} with {(token is null ? "no" : token == expired ? "an expired" : "a forged")} token: {(int)response.StatusCode}");
                }
            }
        }
        using var hub = fixture.App.Http();
        var negotiate = await hub.PostAsync("/hubs/inbox/negotiate?negotiateVersion=1", null);
        if (negotiate.StatusCode != HttpStatusCode.Unauthorized)
        {
            failures.Add($"/hubs/inbox negotiate without a token: {(int)negotiate.StatusCode}");
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Admin_and_staff_routes_refuse_a_manager()
    {
        var manager = await fixture.CreateUserAsync("matrix-" + Guid.NewGuid().ToString("N")[..6], "manager");
        var restricted = Routes().Where(r => !r.Anonymous && r.Policy is "admin" or "staff").ToList();
        Assert.NotEmpty(restricted);
        using var http = fixture.App.Http(manager.Token);
        var failures = new List<string>();
        foreach (var route in restricted)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url);
            if (route.Method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
            var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                failures.Add($"{route.Method} {route.Url} ({route.Policy}) as a manager: {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
