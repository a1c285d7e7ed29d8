using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.Connectors.WebChat.Tests;

public sealed class LimitsFixture : WebChatFixture
{
    protected override IDictionary<string, string?> Limits() => new Dictionary<string, string?>
    {
        ["WebChat:SessionsPerIp"] = "100000",
        ["WebChat:MessagesPerVisitor"] = "3",
        ["WebChat:MessagesPerIp"] = "100000",
        ["WebChat:FormsPerIp"] = "2",
    };
}

public sealed class RateLimitTests(LimitsFixture fixture) : IClassFixture<LimitsFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Messages_over_the_per_visitor_limit_get_429_with_Retry_After_and_are_not_stored()
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);
        var other = await fixture.StartSessionAsync(channel.Key);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(visitor, $"m{i}")).StatusCode);
        }
        var limited = await fixture.SendAsync(visitor, "one too many");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        var problem = await limited.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", (string?)problem!["type"]);
        Assert.Equal(429, (int?)problem["status"]);
        Assert.Equal(3, await fixture.CountAsync("messages"));
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(other, "another visitor is not limited")).StatusCode);
    }

    [Fact]
    public async Task The_per_visitor_limit_holds_across_nodes_through_Redis()
    {
        var channel = await fixture.CreateWebchatAsync();
        await using var second = new AppNode(fixture.Postgres, TestEnvironment.Redis, fixture.Settings);
        var visitor = await fixture.StartSessionAsync(channel.Key);

        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(visitor, "node 1, first")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(visitor, "node 1, second")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(visitor, "node 2, third", node: second)).StatusCode);
        var limited = await fixture.SendAsync(visitor, "node 2, fourth", node: second);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(3, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Without_Redis_each_node_still_limits_on_its_own()
    {
        var channel = await fixture.CreateWebchatAsync();
        // Nothing listens on port 1: the node starts, serves, and counts in memory.
        await using var alone = new AppNode(fixture.Postgres, "127.0.0.1:1,connectTimeout=200,asyncTimeout=200,syncTimeout=200", fixture.Settings);
        var visitor = await fixture.StartSessionAsync(channel.Key, node: alone);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(visitor, $"m{i}", node: alone)).StatusCode);
        }
        var limited = await fixture.SendAsync(visitor, "one too many", node: alone);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(3, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Forms_over_the_per_ip_limit_get_429_and_are_not_stored()
    {
        var form = await fixture.CreateChannelAsync("webform", []);
        using var http = fixture.Site();

        var results = new List<HttpStatusCode>();
        for (var i = 1; i <= 3; i++)
        {
            results.Add((await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { email = $"p{i}@example.com" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], results);
        Assert.Equal(2, await fixture.CountAsync("messages"));
    }
}

public sealed class SessionLimitFixture : WebChatFixture
{
    protected override IDictionary<string, string?> Limits() => new Dictionary<string, string?> { ["WebChat:SessionsPerIp"] = "3" };
}

public sealed class SessionLimitTests(SessionLimitFixture fixture) : IClassFixture<SessionLimitFixture>
{
    [Fact]
    public async Task Sessions_over_the_per_ip_limit_get_429_and_store_nothing()
    {
        var channel = await fixture.CreateWebchatAsync();
        using var http = fixture.Site();

        var results = new List<HttpResponseMessage>();
        for (var i = 1; i <= 4; i++)
        {
            results.Add(await http.PostAsJsonAsync($"/api/widget/{channel.Key}/session", new { name = $"Visitor {i}" }));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], results.Select(r => r.StatusCode));
        Assert.True(results[3].Headers.Contains("Retry-After"));
        Assert.Equal(WebChatFixture.SiteOrigin, results[3].Headers.GetValues("Access-Control-Allow-Origin").Single());
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from webchat_visitors where name = 'Visitor 4'"));
        Assert.Equal(3, await db.ExecuteScalarAsync<long>("select count(*) from webchat_visitors"));
    }
}
