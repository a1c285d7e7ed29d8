using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>
/// Issue 18: PostgreSQL text cannot hold NUL. What visitors send (JSON strings with \u0000, form fields with %00) is
/// stored with the NULs removed, the same rule as the inbound pipeline's, never refused with a 5xx.
/// </summary>
public sealed class NulCharacterTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Widget_session_message_and_profile_with_NULs_are_stored_without_them()
    {
        var channel = await fixture.CreateWebchatAsync();

        var visitor = await fixture.StartSessionAsync(channel.Key, new { name = "Grace\0 Hopper", email = "grace\0@example.com" });
        var sent = await fixture.SendAsync(visitor, "Hello\0 there", clientMessageId: "c\0-1");
        using var http = fixture.Site(visitorToken: visitor.Token);
        var profile = await http.PostAsJsonAsync("/api/widget/profile", new { name = "Grace\0 B. Hopper", email = "grace.b\0@example.com" });

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, profile.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal("Hello there", await db.ExecuteScalarAsync<string>("select text from messages"));
        var contact = await db.QuerySingleAsync<(string Name, string Email)>("select name, email from contacts");
        Assert.Equal(("Grace B. Hopper", "grace.b@example.com"), contact);
    }

    [Fact]
    public async Task Form_submissions_with_NULs_in_json_or_urlencoded_fields_are_stored_without_them()
    {
        var form = await fixture.CreateChannelAsync("webform", new JsonObject
        {
            ["allowedOrigins"] = new JsonArray("https://shop.example"),
            ["fields"] = new JsonArray("name", new JsonObject { ["name"] = "email", ["type"] = "email" }, "message"),
        });
        using var http = fixture.Site();

        var json = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new
        {
            name = "Ann\0 Lee", email = "ann\0@example.com", message = "Call\0 me", utm_source = "news\0letter", submissionId = "s\0-1",
        });
        var urlencoded = await http.PostAsync($"/api/forms/{form.Key}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Bob\0", ["email"] = "bob@example.com\0", ["message"] = "Hi\0!", ["utm_source"] = "goo\0gle", ["\0odd"] = "\0",
        }));

        Assert.Equal(HttpStatusCode.Created, json.StatusCode);
        Assert.Equal(HttpStatusCode.Created, urlencoded.StatusCode);
        await using var db = fixture.Db();
        var stored = (await db.QueryAsync<string>("select text || ' | ' || metadata::text || ' | ' || raw::text from messages order by id")).ToList();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, s => Assert.DoesNotContain("\\u0000", s, StringComparison.Ordinal));
        Assert.StartsWith("Name: Ann Lee\nEmail: ann@example.com\nMessage: Call me", stored[0], StringComparison.Ordinal);
        Assert.StartsWith("Name: Bob\nEmail: bob@example.com\nMessage: Hi!", stored[1], StringComparison.Ordinal);
        Assert.Equal(["utm_source=google", "utm_source=newsletter"], (await db.QueryAsync<string>("select source from leads order by source")).ToList());
        Assert.Equal(["ann@example.com", "bob@example.com"], (await db.QueryAsync<string>("select email from contacts order by email")).ToList());
    }
}
