using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.WebChat.Widget;
using Dapper;

namespace ContactCenter.Connectors.WebChat.Tests;

public sealed class WidgetSessionTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_session_gives_a_visitor_token_and_the_channel_greeting_and_stores_nothing()
    {
        var channel = await fixture.CreateWebchatAsync(greeting: "Hello from the shop");

        var session = await fixture.StartSessionAsync(channel.Key);

        Assert.StartsWith("wv1.", session.Token);
        Assert.Null(session.ConversationId);
        Assert.Equal("Hello from the shop", session.Body["greeting"]!.GetValue<string>());
        Assert.False(session.Body["verified"]!.GetValue<bool>());
        Assert.Equal(0, await fixture.CountAsync("contacts"));
        Assert.Equal(0, await fixture.CountAsync("webchat_visitors"));
    }

    [Fact]
    public async Task A_returning_visitor_continues_the_same_conversation()
    {
        var channel = await fixture.CreateWebchatAsync();
        var first = await fixture.StartSessionAsync(channel.Key);
        var sent = await fixture.SendAsync(first, "Do you ship to Norway?");
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var conversationId = (await sent.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();

        var again = await fixture.StartSessionAsync(channel.Key, new { visitorId = first.VisitorId });
        await fixture.SendAsync(again, "Hello again");

        Assert.Equal(conversationId, again.ConversationId);
        Assert.Equal(first.VisitorId, again.VisitorId);
        var history = await fixture.HistoryAsync(again);
        Assert.Equal(["Hello again", "Do you ship to Norway?"], history["items"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
        Assert.Equal(1, await fixture.CountAsync("conversations"));
        Assert.Equal(1, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task A_forged_or_foreign_visitor_id_starts_a_new_visitor()
    {
        var channel = await fixture.CreateWebchatAsync();
        var other = await fixture.CreateWebchatAsync();
        var first = await fixture.StartSessionAsync(channel.Key);
        await fixture.SendAsync(first, "mine");

        var forged = first.VisitorId[..^4] + (first.VisitorId.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var withForged = await fixture.StartSessionAsync(channel.Key, new { visitorId = forged });
        var onOtherChannel = await fixture.StartSessionAsync(other.Key, new { visitorId = first.VisitorId });

        Assert.NotEqual(first.VisitorId, withForged.VisitorId);
        Assert.Null(withForged.ConversationId);
        Assert.NotEqual(first.VisitorId, onOtherChannel.VisitorId);
        Assert.Empty((await fixture.HistoryAsync(withForged))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_verified_identifier_attaches_every_device_to_one_conversation()
    {
        var secret = "site-secret-0123456789abcdef";
        var channel = await fixture.CreateWebchatAsync(secret: secret);
        var hash = IdentifierHash.Compute(secret, "customer-42");

        var laptop = await fixture.StartSessionAsync(channel.Key, new { identifier = "customer-42", identifierHash = hash, name = "Grace", email = "grace@example.com" });
        await fixture.SendAsync(laptop, "from my laptop");
        var phone = await fixture.StartSessionAsync(channel.Key, new { identifier = "customer-42", identifierHash = hash.ToUpperInvariant() });

        Assert.True(laptop.Body["verified"]!.GetValue<bool>());
        Assert.NotNull(phone.ConversationId);
        Assert.Single((await fixture.HistoryAsync(phone))["items"]!.AsArray());
        await using var db = fixture.Db();
        var contact = await db.QuerySingleAsync<(string Name, string Email, string Address)>(
            "select c.name, c.email, i.address from contacts c join contact_identities i on i.contact_id = c.id");
        Assert.Equal(("Grace", "grace@example.com", $"user:{channel.Id}:customer-42"), contact);
    }

    [Fact]
    public async Task A_wrong_identifier_hash_is_refused_and_nothing_is_stored()
    {
        var secret = "site-secret-0123456789abcdef";
        var channel = await fixture.CreateWebchatAsync(secret: secret);
        using var http = fixture.Site();

        var wrong = await http.PostAsJsonAsync($"/api/widget/{channel.Key}/session",
            new { identifier = "customer-42", identifierHash = IdentifierHash.Compute("another-secret-0123456789", "customer-42"), name = "Mallory" });
        var missing = await http.PostAsJsonAsync($"/api/widget/{channel.Key}/session", new { identifier = "customer-42", name = "Mallory" });
        var noSecret = await fixture.CreateWebchatAsync();
        var unverifiable = await http.PostAsJsonAsync($"/api/widget/{noSecret.Key}/session",
            new { identifier = "customer-42", identifierHash = IdentifierHash.Compute(secret, "customer-42") });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unverifiable.StatusCode);
        Assert.Contains("identifierHash", (await wrong.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(0, await fixture.CountAsync("webchat_visitors"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task An_unknown_key_is_404_a_foreign_origin_403_and_a_form_key_is_not_a_widget_key()
    {
        var channel = await fixture.CreateWebchatAsync();
        var form = await fixture.CreateChannelAsync("webform", []);
        using var foreign = fixture.Site("https://evil.example");
        using var site = fixture.Site();

        var unknown = await site.PostAsJsonAsync("/api/widget/no-such-key/session", new { });
        var wrongKind = await site.PostAsJsonAsync($"/api/widget/{form.Key}/session", new { });
        var refused = await foreign.PostAsJsonAsync($"/api/widget/{channel.Key}/session", new { name = "Eve" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongKind.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("https://evil.example", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(0, await fixture.CountAsync("webchat_visitors"));
    }

    [Fact]
    public async Task A_preflight_from_a_page_is_answered_with_cors_headers_without_credentials()
    {
        var channel = await fixture.CreateWebchatAsync();
        using var http = fixture.App.Http();
        using var request = new HttpRequestMessage(HttpMethod.Options, $"/api/widget/{channel.Key}/session");
        request.Headers.Add("Origin", WebChatFixture.SiteOrigin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(WebChatFixture.SiteOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task The_channel_shows_its_embed_snippet_and_keeps_its_secret()
    {
        var channel = await fixture.CreateWebchatAsync(secret: "site-secret-0123456789abcdef");
        using var http = fixture.App.Http(fixture.AdminToken);

        var read = (await http.GetFromJsonAsync<JsonObject>($"/api/channels/{channel.Id}"))!;

        Assert.Contains($"data-widget-key=\"{channel.Key}\"", read["public"]!["embedHtml"]!.GetValue<string>());
        Assert.Contains("/widget.js", read["public"]!["embedHtml"]!.GetValue<string>());
        Assert.Null(read["settings"]!["secret"]);
        Assert.Contains("secret", read["secretsSet"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Allowed_origins_are_normalised_and_paths_are_refused()
    {
        using var http = fixture.App.Http(fixture.AdminToken);

        var ok = await http.PostAsJsonAsync("/api/channels", new { kind = "webchat", name = "Chat", settings = new { allowedOrigins = new[] { "HTTPS://Shop.Example:443/" } } });
        var bad = await http.PostAsJsonAsync("/api/channels", new { kind = "webchat", name = "Chat", settings = new { allowedOrigins = new[] { "https://shop.example/contact" } } });

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal("https://shop.example", (await ok.Content.ReadFromJsonAsync<JsonObject>())!["settings"]!["allowedOrigins"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_widget_script_is_served_gzipped_with_an_etag()
    {
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = fixture.App.BaseAddress };
        http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");

        var response = await http.GetAsync("/widget.js");
        var zipped = await response.Content.ReadAsByteArrayAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, "/widget.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.Tag);
        var notModified = await http.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        // Two languages, files, pre-chat and offline forms still travel in well under a small image.
        Assert.InRange(zipped.Length, 1000, 16 * 1024);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }
}
