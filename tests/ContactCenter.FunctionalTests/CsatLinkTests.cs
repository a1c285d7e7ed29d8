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
    public static async Task<string> SurveyTextAsync(AppFixture fixture)
    {
        var secret = "csat-link-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "Mailer", new JsonObject
        {
            ["secret"] = secret, ["csat"] = new JsonObject { ["enabled"] = true, ["question"] = "How did we do?" },
        });
        var channel = new AppFixture.ApiChannel(created.Id(), secret);
        var conversation = (await fixture.IngestAsync(channel, "cl-1", "mailer", "Help please")).Id("conversationId");
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PostAsJsonAsync($"/api/conversations/{conversation}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
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
