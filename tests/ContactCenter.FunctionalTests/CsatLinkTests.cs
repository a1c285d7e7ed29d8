using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>The app with Channels:PublicBaseUrl set: CSAT links are built on it, whatever address the manager used.</summary>
public sealed class PublicBaseUrlFixture : AppFixture
{
    public const string PublicBase = "https://cc.public.test";

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Channels:PublicBaseUrl"] = PublicBase + "/";
        return settings;
    }
}

/// <summary>The CSAT question sent by email, SMS or an integration carries an absolute link, never a path (issue #16).</summary>
public static class CsatLink
{
    public static async Task<string> SurveyTextAsync(AppFixture fixture, string? host = null)
    {
        var secret = "csat-link-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "Mailer", new JsonObject
        {
            ["secret"] = secret, ["csat"] = new JsonObject { ["enabled"] = true, ["question"] = "How did we do?" },
        });
        var channel = new AppFixture.ApiChannel(created.Id(), secret);
        var conversation = (await fixture.IngestAsync(channel, "cl-1", "mailer", "Help please")).Id("conversationId");
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var resolve = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{conversation}/status") { Content = JsonContent.Create(new { status = "resolved" }) };
        if (host is not null)
        {
            resolve.Headers.Host = host;
        }
        (await admin.SendAsync(resolve)).EnsureSuccessStatusCode();
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<string>("""
            select m.text from messages m join outbox o on o.message_id = m.id and o.kind = 'send'
            where m.conversation_id = @conversation and m.metadata->>'automated' = 'csat'
            """, new { conversation }) ?? "";
    }
}

public sealed class CsatLinkTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Without_a_public_base_url_the_link_is_built_on_the_address_of_the_request_that_resolved_it()
    {
        var text = await CsatLink.SurveyTextAsync(fixture);

        var origin = fixture.App.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.StartsWith($"How did we do?\n{origin}/csat/", text);
        Assert.Matches(@"^How did we do\?\nhttps?://[^/\s]+/csat/[0-9]+\.[0-9]+\.[0-9]+\.[A-Za-z0-9_-]+$", text);
    }
}

/// <summary>The app as deployed (Production) with no Channels:PublicBaseUrl.</summary>
public sealed class ProductionWithoutPublicUrlFixture : AppFixture
{
    protected override string HostEnvironment => "Production";
}

public sealed class CsatHostHeaderTests(ProductionWithoutPublicUrlFixture fixture) : IClassFixture<ProductionWithoutPublicUrlFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task In_production_a_Host_header_never_becomes_the_link_customers_are_sent()
    {
        var text = await CsatLink.SurveyTextAsync(fixture, host: "evil.example");

        // No public address is configured: the survey is skipped rather than built on the address the manager's request named.
        Assert.Equal("", text);
    }
}

public sealed class CsatPublicLinkTests(PublicBaseUrlFixture fixture) : IClassFixture<PublicBaseUrlFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task With_a_public_base_url_the_link_is_built_on_it()
    {
        var text = await CsatLink.SurveyTextAsync(fixture);

        Assert.StartsWith($"How did we do?\n{PublicBaseUrlFixture.PublicBase}/csat/", text);
    }
}
