using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>
/// Issue 18: PostgreSQL text cannot hold NUL. What visitors send as JSON strings with \u0000 is stored
/// with the NULs removed (the inbound pipeline's rule), never refused; a form post with %00 is a 400 problem; an id
/// (clientMessageId) with a NUL is a 400 (session 28: dropping it made another message's id).
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
        using var http = fixture.Site(visitorToken: visitor.Token);
        var profile = await http.PostAsJsonAsync("/api/widget/profile", new { name = "Grace\0 B. Hopper", email = "grace.b\0@example.com" });
        var first = await fixture.SendAsync(visitor, "First", clientMessageId: "c-1");
        var sent = await fixture.SendAsync(visitor, "Hello\0 there", clientMessageId: "c-2");
        // An id is compared, not read: "c-1\0" with its NUL dropped was "c-1", and the new text was answered with the
        // first message as a repeat (lost). An id with a NUL is refused instead, naming the field.
        var nulId = await fixture.SendAsync(visitor, "Lost?", clientMessageId: "c-1\0");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nulId.StatusCode);
        Assert.Contains("clientMessageId", await nulId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, profile.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal(["First", "Hello there"], await db.QueryAsync<string>("select text from messages order by id"));
        var contact = await db.QuerySingleAsync<(string Name, string Email)>("select name, email from contacts");
        Assert.Equal(("Grace B. Hopper", "grace.b@example.com"), contact);
    }

    [Fact]
    public async Task A_json_form_submission_with_NULs_is_stored_without_them_and_a_urlencoded_NUL_is_a_400()
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
        // ASP.NET Core's form reader refuses %00 itself: a 400 problem, nothing stored.
        var urlencoded = await http.PostAsync($"/api/forms/{form.Key}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Bob\0", ["email"] = "bob@example.com", ["message"] = "Hi!",
        }));

        // A field named twice: which was meant is not guessed (it was a 500).
        var twice = await http.PostAsync($"/api/forms/{form.Key}", new StringContent(
            """{"email":"dj1@example.com","email":"dj2@example.com"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal("application/problem+json", twice.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, urlencoded.StatusCode);
        Assert.Equal("application/problem+json", urlencoded.Content.Headers.ContentType!.MediaType);
        await using var db = fixture.Db();
        var stored = await db.QuerySingleAsync<string>("select text || ' | ' || metadata::text || ' | ' || raw::text from messages");
        Assert.DoesNotContain("\\u0000", stored, StringComparison.Ordinal);
        Assert.StartsWith("Name: Ann Lee\nEmail: ann@example.com\nMessage: Call me", stored, StringComparison.Ordinal);
        Assert.Equal("utm_source=newsletter", await db.ExecuteScalarAsync<string>("select source from leads"));
        Assert.Equal("ann@example.com", await db.ExecuteScalarAsync<string>("select email from contacts"));
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_json_form_is_kept_as_a_replacement_character_not_a_500()
    {
        var form = await fixture.CreateChannelAsync("webform", new JsonObject
        {
            ["allowedOrigins"] = new JsonArray("https://shop.example"),
            ["fields"] = new JsonArray("name", new JsonObject { ["name"] = "email", ["type"] = "email" }, "message"),
        });
        using var http = fixture.Site();
        HttpContent Json(string body) => new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var value = await http.PostAsync($"/api/forms/{form.Key}", Json("""{"name":"Ann","email":"ann@example.com","message":"half \ud83d of it"}"""));
        var key = await http.PostAsync($"/api/forms/{form.Key}", Json("""{"\ud800":"x","email":"bob@example.com","message":"hi"}"""));

        Assert.Equal(HttpStatusCode.Created, value.StatusCode);
        Assert.True((int)key.StatusCode is >= 200 and < 500, $"a member name with a lone surrogate answered {(int)key.StatusCode}");
        await using var db = fixture.Db();
        Assert.Contains("Message: half \uFFFD of it", await db.ExecuteScalarAsync<string>("select text from messages order by id limit 1"), StringComparison.Ordinal);
    }
}
