using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.Connectors.WebChat.Tests;

public sealed class WebFormTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject Settings(string? redirectUrl = null)
    {
        var settings = new JsonObject
        {
            ["allowedOrigins"] = new JsonArray("https://shop.example"),
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "name", ["required"] = true, ["label"] = "Your name" },
                new JsonObject { ["name"] = "email", ["type"] = "email", ["required"] = true },
                "phone",
                "message"),
        };
        if (redirectUrl is not null)
        {
            settings["redirectUrl"] = redirectUrl;
        }
        return settings;
    }

    [Fact]
    public async Task A_json_submission_becomes_a_lead_with_its_fields_and_utm_source_and_managers_are_pushed()
    {
        var form = await fixture.CreateChannelAsync("webform", Settings(), "Contact form");
        var manager = await fixture.CreateManagerAsync("mia", form.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        using var http = fixture.Site();
        http.DefaultRequestHeaders.Referrer = new Uri("https://shop.example/pricing?utm_source=newsletter&utm_campaign=spring");

        var response = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new
        {
            name = "Ann Lee", email = "Ann@Example.com", phone = "+1 (415) 555-0100", message = "Please call me about <b>pricing</b>",
            utm_medium = "email", referrer = "https://mail.example/", ignored = "not a field",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var leadId = body["leadId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var lead = await db.QuerySingleAsync<(string Source, string Name, string Email, string Phone)>(
            "select l.source, c.name, c.email, c.phone from leads l join contacts c on c.id = l.contact_id where l.id = @leadId", new { leadId });
        Assert.Equal("utm_source=newsletter; utm_medium=email; utm_campaign=spring; referrer=https://mail.example/", lead.Source);
        Assert.Equal(("Ann Lee", "ann@example.com", "+14155550100"), (lead.Name, lead.Email, lead.Phone));
        var text = await db.ExecuteScalarAsync<string>("select text from messages");
        Assert.Equal("Your name: Ann Lee\nEmail: Ann@Example.com\nPhone: +14155550100\nMessage: Please call me about <b>pricing</b>", text);
        Assert.DoesNotContain("not a field", await db.ExecuteScalarAsync<string>("select metadata::text from messages"));
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where lead_id = @leadId and type = 'message'", new { leadId }));
        await inbox.WaitForAsync("conversationUpdated", c => c["leadId"]?.GetValue<long>() == leadId);
        await inbox.WaitForAsync("countersChanged");
    }

    [Fact]
    public async Task A_plain_form_post_is_stored_and_redirected_with_303()
    {
        var form = await fixture.CreateChannelAsync("webform", Settings(redirectUrl: "https://shop.example/thanks"));
        using var http = fixture.Site();
        using var handlerless = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.App.BaseAddress };
        handlerless.DefaultRequestHeaders.Add("Origin", "https://shop.example");

        var toSetting = await handlerless.PostAsync($"/api/forms/{form.Key}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Bob", ["email"] = "bob@example.com", ["message"] = "Hello", ["utm_source"] = "google", ["submissionId"] = "s-1",
        }));
        var toPosted = await handlerless.PostAsync($"/api/forms/{form.Key}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Bob", ["email"] = "bob@example.com", ["redirect"] = "https://shop.example/custom-thanks",
        }));
        var offSite = await handlerless.PostAsync($"/api/forms/{form.Key}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Bob", ["email"] = "bob@example.com", ["redirect"] = "https://evil.example/phish",
        }));
        var repeated = await handlerless.PostAsync($"/api/forms/{form.Key}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Bob", ["email"] = "bob@example.com", ["message"] = "Hello", ["submissionId"] = "s-1",
        }));

        Assert.Equal(HttpStatusCode.SeeOther, toSetting.StatusCode);
        Assert.Equal("https://shop.example/thanks", toSetting.Headers.Location!.ToString());
        Assert.Equal("https://shop.example/custom-thanks", toPosted.Headers.Location!.ToString());
        Assert.Equal("https://shop.example/thanks", offSite.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.SeeOther, repeated.StatusCode);
        Assert.Equal(3, await fixture.CountAsync("messages"));
        await using var db = fixture.Db();
        Assert.Equal("utm_source=google", await db.ExecuteScalarAsync<string>("select source from leads order by id limit 1"));
        // Each submission is its own contact and lead: a typed email proves nothing (issue 15); the repeat of s-1 adds none.
        Assert.Equal(3, await fixture.CountAsync("leads"));
    }

    [Fact]
    public async Task A_submission_id_a_site_reuses_for_another_person_is_a_new_submission_while_the_same_post_again_is_not()
    {
        var form = await fixture.CreateChannelAsync("webform", Settings());
        using var http = fixture.Site();

        // A site script whose ids restart (or a cached page) sends "42" for two different people.
        var first = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { name = "Анна", email = "anna@example.com", message = "Нужен счёт", submissionId = "42" });
        var second = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { name = "Борис", email = "boris@example.com", message = "Перезвоните", submissionId = "42" });
        var again = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { name = "Борис", email = "boris@example.com", message = "Перезвоните", submissionId = "42" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        var firstLead = (await first.Content.ReadFromJsonAsync<JsonObject>())!["leadId"]!.GetValue<long>();
        var secondLead = (await second.Content.ReadFromJsonAsync<JsonObject>())!["leadId"]!.GetValue<long>();
        Assert.NotEqual(firstLead, secondLead);
        Assert.Equal(secondLead, (await again.Content.ReadFromJsonAsync<JsonObject>())!["leadId"]!.GetValue<long>());
        Assert.Equal(2, await fixture.CountAsync("messages"));
        Assert.Equal(2, await fixture.CountAsync("leads"));
        await using var db = fixture.Db();
        Assert.Equal(["Анна", "Борис"], await db.QueryAsync<string>("select name from contacts order by id"));
    }

    [Fact]
    public async Task A_plain_form_post_from_a_russian_browser_gets_its_pages_in_russian()
    {
        var form = await fixture.CreateChannelAsync("webform", Settings());
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.App.BaseAddress };
        browser.DefaultRequestHeaders.Add("Origin", "https://shop.example");
        browser.DefaultRequestHeaders.Add("Accept", "text/html,application/xhtml+xml");
        browser.DefaultRequestHeaders.Add("Accept-Language", "ru-RU,ru;q=0.9,en;q=0.8");

        var wrong = await browser.PostAsync($"/api/forms/{form.Key}", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Анна", ["email"] = "нет" }));
        var right = await browser.PostAsync($"/api/forms/{form.Key}", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Анна", ["email"] = "anna@example.com" }));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var page = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Проверьте, пожалуйста, форму</h1>", page);
        Assert.Contains(">Назад</a>", page);
        Assert.DoesNotContain("not a valid", page);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("<h1>Спасибо</h1>", await right.Content.ReadAsStringAsync());
        Assert.Equal(1, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Invalid_fields_are_refused_with_each_error_and_nothing_is_stored()
    {
        var form = await fixture.CreateChannelAsync("webform", Settings());
        using var http = fixture.Site();

        var response = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { email = "nope", phone = "call me", message = new string('m', 5001) });
        var browser = new HttpRequestMessage(HttpMethod.Post, $"/api/forms/{form.Key}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "nope" }),
        };
        browser.Headers.Accept.ParseAdd("text/html");
        var browserResponse = await http.SendAsync(browser);
        var wrongType = await http.PostAsync($"/api/forms/{form.Key}", new StringContent("name=x", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["name", "email", "phone", "message"], errors.Select(e => e.Key));
        Assert.Equal("Your name is required.", errors["name"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, browserResponse.StatusCode);
        Assert.Contains("Email is not a valid email address.", await browserResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task A_filled_honeypot_is_answered_as_success_and_stores_nothing()
    {
        var form = await fixture.CreateChannelAsync("webform", Settings());
        using var http = fixture.Site();

        var response = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { name = "Bot", email = "bot@example.com", website_url = "http://spam.example" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("leads"));
    }

    [Fact]
    public async Task Unknown_key_is_404_and_a_foreign_origin_403_with_nothing_stored()
    {
        var form = await fixture.CreateChannelAsync("webform", Settings());
        var chat = await fixture.CreateWebchatAsync();
        using var foreign = fixture.Site("https://evil.example");
        using var site = fixture.Site();
        var body = new { name = "Eve", email = "eve@example.com" };

        Assert.Equal(HttpStatusCode.NotFound, (await site.PostAsJsonAsync("/api/forms/nope", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await site.PostAsJsonAsync($"/api/forms/{chat.Key}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await foreign.PostAsJsonAsync($"/api/forms/{form.Key}", body)).StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task In_simple_crm_mode_a_submission_opens_a_deal()
    {
        var form = await fixture.CreateChannelAsync("webform", []);
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update app_settings set value = '{\"mode\": \"simple\"}' where key = 'crm'");
        }
        using var http = fixture.Site(origin: null);

        var response = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { email = "deal@example.com", message = "Quote please" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Null(body["leadId"]);
        Assert.True(body["dealId"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task The_form_channel_shows_an_embeddable_snippet_with_its_fields_and_honeypot()
    {
        var form = await fixture.CreateChannelAsync("webform", Settings());

        var html = form.Public["embedHtml"]!.GetValue<string>();

        Assert.Contains($"/api/forms/{form.Key}\" method=\"post\"", html);
        Assert.Contains("<label>Your name <input name=\"name\" type=\"text\" maxlength=\"2000\" required></label>", html);
        Assert.Contains("name=\"email\" type=\"text\" inputmode=\"email\"", html); // text: a browser sends an IDN domain of type=email as punycode
        Assert.Contains("maxlength=\"254\"", html);
        Assert.Contains("name=\"website_url\" tabindex=\"-1\"", html);
        Assert.Contains("utm_source", html);
    }

    [Fact]
    public async Task Bad_field_settings_are_refused()
    {
        using var http = fixture.App.Http(fixture.AdminToken);

        var reserved = await http.PostAsJsonAsync("/api/channels", new { kind = "webform", name = "F", settings = new { fields = new[] { "redirect" } } });
        var badType = await http.PostAsJsonAsync("/api/channels", new { kind = "webform", name = "F", settings = new { fields = new[] { new { name = "x", type = "date" } } } });

        Assert.Equal(HttpStatusCode.BadRequest, reserved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
    }
}
