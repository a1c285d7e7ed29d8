using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Security issue #15: sizes capped where input enters, JSON errors that are 400s, SVG never served as an image,
/// admin-set targets that are internal addresses refused, and the security headers on every response.
/// </summary>
public sealed class InputBoundaryTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Session 23's outside review: a NUL that reached PostgreSQL as a parameter of a statement Npgsql was preparing left the
    /// pooled connection out of step, and the next request on it failed with a 500 ("unexpected backend message DataRow")
    /// though its write was stored. A NUL anywhere a manager's request carries text (a typed body's field, a string in a
    /// PATCH, a query value) is now a 400 before any statement, and the requests around it go through.
    /// </summary>
    [Fact]
    public async Task A_NUL_in_a_managers_request_is_a_400_naming_the_field_and_the_requests_after_it_work()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        for (var round = 0; round < 4; round++)
        {
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/companies", new { name = $"Before {round}" })).StatusCode);
            var refused = await http.PostAsJsonAsync("/api/companies", new { name = $"Nul \0 {round}" });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var after = await http.PostAsJsonAsync("/api/companies", new { name = $"After {round}" });
            Assert.True(after.StatusCode == HttpStatusCode.Created, $"round {round}: {(int)after.StatusCode} {await after.Content.ReadAsStringAsync()}");
            var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(problem!["errors"]?["name"]?[0]?.GetValue<string>() == "The value contains a NUL character, which cannot be stored.", problem.ToJsonString());
        }
        await using (var db = fixture.Db())
        {
            Assert.Equal(8, await db.ExecuteScalarAsync<long>("select count(*) from companies where name like 'Before %' or name like 'After %'"));
            Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from companies where name like 'Nul%'"));
        }

        var deal = await (await http.PostAsJsonAsync("/api/deals", new { title = "Desk", amount = 10 })).OkJsonAsync(HttpStatusCode.Created);
        var patch = await http.PatchAsJsonAsync($"/api/deals/{deal.Id()}", new { title = "Desk\0" });
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Contains("NUL", await patch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Desk", (await (await http.GetAsync($"/api/deals/{deal.Id()}")).OkJsonAsync())["title"]!.GetValue<string>());
        foreach (var url in new[] { "/api/contacts?q=a%00b", "/api/conversations?q=%00", "/api/deals?q=x%00" })
        {
            var response = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("NUL", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/contacts?q=Before")).StatusCode);
    }

    [Fact]
    public async Task A_million_character_contact_name_is_cut_to_the_name_limit()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var name = "  " + new string('N', 1_000_000) + "  ";

        var response = await fixture.PostInboundAsync(channel, AppFixture.InboundBody("big-1", "big-contact", "hello", name));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var http = fixture.App.Http(fixture.AdminToken);
        var list = await http.GetFromJsonAsync<JsonObject>("/api/conversations");
        var listed = list!["items"]![0]!["contact"]!["name"]!.GetValue<string>();
        Assert.Equal(new string('N', ContactCenter.Api.Inbound.InboundLimits.Name), listed);
    }

    [Theory]
    [InlineData("""{"subject":{"type":"lead","id":1},"type":"call","title":"Call","dueAt":"not a date"}""")]
    [InlineData("""{"subject":{"type":"lead","id":1},"type":"call","title":"Call","dueAt":"2026-13-45T99:00:00Z"}""")]
    [InlineData("""{"subject":{"type":"lead","id":1},"type":"call","title":"Call","dueAt":12345}""")]
    [InlineData("""{"subject":{"type":"lead","id":1},"type":"call","title":"Call","dueAt":{"x":1}}""")]
    [InlineData("""{"subject":{"type":"lead","id":1},"type":"call","title":"Call","dueAt":"0001-01-01T00:00:00Z"}""")] // overdue forever
    [InlineData("""{"subject":{"type":"lead","id":1},"type":"call","title":"Call","dueAt":"9999-12-31T23:59:59Z"}""")]
    public async Task A_malformed_dueAt_is_a_400_problem(string body)
    {
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await http.PostAsync("/api/activities", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await fixture.CountAsync("activities"));
    }

    [Theory]
    [InlineData("/api/leads", "title")]
    [InlineData("/api/deals", "title")]
    [InlineData("/api/users", "name")]
    [InlineData("/api/channels", "name")]
    public async Task Names_and_titles_above_their_limit_are_a_400_that_names_the_field(string url, string field)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var body = new JsonObject { [field] = new string('x', 100_000), ["kind"] = "api", ["email"] = "long@test.local", ["role"] = "manager", ["password"] = "password-1234" };

        var response = await http.PostAsJsonAsync(url, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains($"{field} is at most", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"{field} is at most", problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/leads")]
    [InlineData("/api/deals")]
    public async Task A_new_contacts_email_above_its_limit_is_a_400_that_names_it_by_its_path(string url)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var before = await fixture.CountAsync("contacts");

        var response = await http.PostAsJsonAsync(url, new { title = "Long", contact = new { name = "Long", email = new string('a', 300) + "@example.com" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]!["contact.email"]);
        Assert.Equal(before, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task A_comment_above_its_limit_is_a_400()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var lead = await http.PostAsJsonAsync("/api/leads", new { title = "Lead", contact = new { name = "C" } });
        var id = (await lead.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        var response = await http.PostAsJsonAsync($"/api/leads/{id}/comments", new { text = new string('c', 50_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("image/SVG+xml")]
    [InlineData("IMAGE/SVG+XML")]
    [InlineData("image/svg+xml; charset=utf-8")]
    public async Task An_svg_in_any_case_is_served_as_a_download_not_an_image(string type)
    {
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.PostInboundAsync(channel, AppFixture.InboundBody("svg-1", "svg-contact", "hello"));
        using var http = fixture.App.Http(fixture.AdminToken);
        var conversationId = (await http.GetFromJsonAsync<JsonObject>("/api/conversations"))!["items"]![0]!["id"]!.GetValue<long>();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"));
        file.Headers.TryAddWithoutValidation("Content-Type", type);
        form.Add(file, "file", "x.svg");
        var uploaded = await http.PostAsync($"/api/conversations/{conversationId}/attachments", form);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var url = (await uploaded.Content.ReadFromJsonAsync<JsonObject>())!["url"]!.GetValue<string>();

        var response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("callbackUrl", "http://169.254.169.254/latest/meta-data/")]
    [InlineData("callbackUrl", "http://10.0.0.5:8080/hook")]
    [InlineData("callbackUrl", "http://[::ffff:192.168.1.1]/hook")]
    [InlineData("callbackUrl", "http://[fd00::1]/hook")]
    public async Task An_api_channel_pointing_at_an_internal_address_is_refused(string setting, string value)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var settings = new JsonObject { ["secret"] = "secret-0123456789abcdef", [setting] = value };

        var response = await http.PostAsJsonAsync("/api/channels", new { kind = "api", name = "Internal", settings });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]![$"settings.{setting}"]);
        Assert.Equal(0, await fixture.CountAsync("channels"));
    }

    [Fact]
    public async Task An_api_channel_updated_to_point_at_metadata_is_refused()
    {
        var channel = await fixture.CreateApiChannelAsync();
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await http.PatchAsJsonAsync($"/api/channels/{channel.Id}", new { settings = new { callbackUrl = "https://169.254.169.254/" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/api/conversations")]
    [InlineData("/api/auth/login")]
    [InlineData("/no/such/page")]
    [InlineData("/inbox")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var http = fixture.App.Http();

        var response = await http.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415_and_a_method_no_route_takes_a_405_each_a_problem_that_changes_nothing()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var channel = await fixture.CreateApiChannelAsync("http://127.0.0.1:9/cb");
        var conversation = (await fixture.IngestAsync(channel, "ct-1", "cust", "hello"))["conversationId"]!.GetValue<long>();

        // These used to fall through to the browser app's catch-all and answer 404 "There is nothing here."
        using var text = new StringContent("{\"text\":\"hi\"}", Encoding.UTF8, "text/plain");
        var wrongType = await http.PostAsync($"/api/conversations/{conversation}/messages", text);
        var login = await http.PostAsync("/api/auth/login", new StringContent("email=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var wrongMethod = await http.DeleteAsync("/api/auth/login");
        var unknown = await http.PostAsJsonAsync("/api/no-such-route", new { });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, login.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("POST", Assert.Single(wrongMethod.Content.Headers.Allow)); // the path's own methods, not the app's GET/HEAD
        // No route has that path: 404 whatever the method (the app's deep links are a fallback, not a route).
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        foreach (var response in new[] { wrongType, login, wrongMethod, unknown })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(0, await fixture.CountAsync("messages where direction = 'outbound'"));
        // Reads of unknown API paths stay the 404 problem; the app's own deep links stay the app.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/no-such-route")).StatusCode);
        var deepLink = await http.GetAsync("/conversations/1");
        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, deepLink.StatusCode);
        Assert.NotEqual(HttpStatusCode.NotFound, deepLink.StatusCode);
        using var head = new HttpRequestMessage(HttpMethod.Head, "/conversations/1");
        Assert.Equal(deepLink.StatusCode, (await http.SendAsync(head)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/webhooks/no-such-route", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/conversations/1", new { })).StatusCode); // app paths: GET and HEAD only
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=")]
    [InlineData("application/json; charset=\"utf-8\\\"")]
    public async Task A_json_body_in_a_charset_the_server_cannot_read_is_a_415_problem_that_changes_nothing(string contentType)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var channel = await fixture.CreateApiChannelAsync("http://127.0.0.1:9/cb");
        var conversation = (await fixture.IngestAsync(channel, "cs-1", "cust", "hello"))["conversationId"]!.GetValue<long>();
        var before = await fixture.CountAsync("messages");

        StringContent Body(string json) => JsonAs(json, contentType);
        // A route that binds JSON (these were 500s: the binder throws on an unknown charset), an anonymous one, and the
        // api channel's webhook, which reads its body raw.
        var reply = await http.PostAsync($"/api/conversations/{conversation}/messages", Body("{\"text\":\"hi\"}"));
        var login = await fixture.App.Http().PostAsync("/api/auth/login", Body("{\"email\":\"a@b.c\",\"password\":\"x\"}"));
        var inbound = await fixture.App.Http().PostAsync($"/api/inbound/{channel.Id}", Body("{\"externalId\":\"cs-2\",\"contact\":{\"externalId\":\"c\"},\"text\":\"x\"}"));

        foreach (var response in new[] { reply, login, inbound })
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains("charset", await reply.ProblemAsync(HttpStatusCode.UnsupportedMediaType), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.CountAsync("messages"));
    }

    [Theory]
    [InlineData("application/json; charset=\"UTF-8\"")] // quoted, as RFC 9110 allows
    [InlineData("application/json; charset=utf8")] // a common spelling .NET does not know
    [InlineData("application/json;charset=UTF-8")]
    public async Task A_json_body_in_utf8_however_the_charset_is_spelled_is_read(string contentType)
    {
        var channel = await fixture.CreateApiChannelAsync("http://127.0.0.1:9/cb");
        var login = JsonAs("{\"email\":\"nobody@test.local\",\"password\":\"wrong-password\"}", contentType);
        var bytes = Encoding.UTF8.GetBytes(AppFixture.InboundBody("cs-ok-" + Guid.NewGuid().ToString("N")[..8], "cust", "Привет"));
        using var inbound = new ByteArrayContent(bytes);
        inbound.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inbound/{channel.Id}") { Content = inbound };
        request.Headers.TryAddWithoutValidation(ContactCenter.Connectors.Api.ApiSignature.Header, ContactCenter.Connectors.Api.ApiSignature.Compute(channel.Secret, bytes));

        // The JSON binder read it (wrong credentials, not 415 or 500), and the raw webhook stored it.
        await (await fixture.App.Http().PostAsync("/api/auth/login", login)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.App.Http().SendAsync(request)).StatusCode);
    }

    /// <summary>A UTF-8 body sent with <paramref name="contentType"/> exactly as written (HttpClient would refuse to parse some).</summary>
    private static StringContent JsonAs(string json, string contentType)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
