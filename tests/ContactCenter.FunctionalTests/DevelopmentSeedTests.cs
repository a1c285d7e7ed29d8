using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>The demo that ./run.sh serves: accounts and channels from the repository's appsettings.Development.json.</summary>
public sealed class DevelopmentSeedTests
{
    [Fact]
    public async Task Development_start_seeds_the_demo_logins_and_channels_once()
    {
        var database = await TestEnvironment.CreateDatabaseAsync();
        await using (var first = new AppNode(database, null, environment: "Development"))
        {
            await AssertDemoAsync(first);
        }
        await using var second = new AppNode(database, null, environment: "Development");
        await AssertDemoAsync(second);
    }

    private static async Task AssertDemoAsync(AppNode node)
    {
        using var anonymous = node.Http();
        foreach (var email in new[] { "admin@demo.local", "supervisor@demo.local", "manager1@demo.local", "manager2@demo.local" })
        {
            var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "demo-password-1" });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }
        var admin = await (await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "admin@demo.local", password = "demo-password-1" }))
            .Content.ReadFromJsonAsync<JsonObject>();
        using var http = node.Http(admin!["accessToken"]!.GetValue<string>());
        var channels = (await http.GetFromJsonAsync<JsonArray>("/api/channels"))!.Select(c => c!.AsObject()).ToList();
        Assert.Equal(["api", "webchat", "webform"], channels.Select(c => c["kind"]!.GetValue<string>()).Order().ToArray());
        var webchat = channels.Single(c => c["kind"]!.GetValue<string>() == "webchat");
        Assert.Equal("demo-widget-key", webchat["public"]!["widgetKey"]!.GetValue<string>());
        Assert.Equal(2, webchat["settings"]!["allowedOrigins"]!.AsArray().Count);
        var api = channels.Single(c => c["kind"]!.GetValue<string>() == "api");
        Assert.DoesNotContain("demo-api-secret", api.ToJsonString());
        var inbound = await new AppFixtureForNode(node).PostAsync(api["id"]!.GetValue<long>(), "demo-api-secret-0123456789");
        Assert.Equal(HttpStatusCode.Accepted, inbound);
        // The contract's scrape endpoint is on in Development (issue #20): Prometheus text with the app's own metrics.
        var metrics = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        Assert.Contains("contactcenter_outbox_depth", await metrics.Content.ReadAsStringAsync());
    }

    private sealed class AppFixtureForNode(AppNode node) : AppFixture
    {
        public async Task<HttpStatusCode> PostAsync(long channelId, string secret) =>
            (await PostInboundAsync(new ApiChannel(channelId, secret), InboundBody("seed-1", "seed-customer", "hello demo"), node: node)).StatusCode;
    }
}
