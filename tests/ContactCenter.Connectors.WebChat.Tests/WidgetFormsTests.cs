using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>The widget's settings, pre-chat and offline forms, presence, and typing and read marks between visitor and managers.</summary>
public sealed class WidgetFormsTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static JsonObject PreChat(string name, string email, string phone) => new()
    {
        ["enabled"] = true,
        ["fields"] = new JsonObject { ["name"] = name, ["email"] = email, ["phone"] = phone },
    };

    private Task<WebChatFixture.SiteChannel> ChannelAsync(JsonObject extra)
    {
        var settings = new JsonObject { ["allowedOrigins"] = new JsonArray(WebChatFixture.SiteOrigin) };
        foreach (var (name, value) in extra)
        {
            settings[name] = value?.DeepClone();
        }
        return fixture.CreateChannelAsync("webchat", settings, "Website chat");
    }

    [Fact]
    public async Task Bad_widget_settings_are_400_with_field_errors_and_create_nothing()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var before = await fixture.CountAsync("channels");

        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "webchat",
            name = "Bad",
            settings = new JsonObject
            {
                ["language"] = "de",
                ["offlineMessage"] = new string('x', 501),
                ["strings"] = new JsonObject { ["ru"] = new JsonObject { ["title"] = 5 } },
                ["preChat"] = new JsonObject { ["enabled"] = true, ["fields"] = new JsonObject { ["email"] = "sometimes", ["age"] = "required" } },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        foreach (var key in new[] { "settings.language", "settings.offlineMessage", "settings.strings.ru", "settings.preChat.fields.email", "settings.preChat.fields.age" })
        {
            Assert.True(errors.ContainsKey(key), $"{key} missing in {errors.ToJsonString()}");
        }
        Assert.Equal(before, await fixture.CountAsync("channels"));
    }

    [Fact]
    public async Task The_session_carries_the_language_texts_pre_chat_and_offline_message()
    {
        var channel = await ChannelAsync(new JsonObject
        {
            ["language"] = "ru",
            ["strings"] = new JsonObject { ["ru"] = new JsonObject { ["title"] = "Чат магазина" } },
            ["preChat"] = PreChat("required", "optional", "off"),
            ["offlineMessage"] = "Ответим в течение часа.",
        });

        var session = await fixture.StartSessionAsync(channel.Key);

        Assert.Equal("ru", session.Body["language"]!.GetValue<string>());
        Assert.Equal("Чат магазина", session.Body["strings"]!["ru"]!["title"]!.GetValue<string>());
        Assert.True(session.Body["preChat"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("required", session.Body["preChat"]!["name"]!.GetValue<string>());
        Assert.Equal("Ответим в течение часа.", session.Body["offlineMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pre_chat_form_must_be_filled_with_valid_details_before_the_first_message()
    {
        var channel = await ChannelAsync(new JsonObject { ["preChat"] = PreChat("required", "optional", "required") });
        // A known customer with that phone: the visitor's typed phone must not join them.
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("insert into contacts (name, phone) values ('Real Anna', '+79123456789')");
        }
        var visitor = await fixture.StartSessionAsync(channel.Key);
        using var site = fixture.Site(visitorToken: visitor.Token);

        var early = await fixture.SendAsync(visitor, "hello");
        var missing = await site.PostAsJsonAsync("/api/widget/prechat", new { email = "anna@example.com" });
        var bad = await site.PostAsJsonAsync("/api/widget/prechat", new { name = "Anna", email = "not-an-email", phone = "12345" });
        var good = await site.PostAsJsonAsync("/api/widget/prechat", new { name = "Anna", phone = "+7 912 345-67-89" });
        var sent = await fixture.SendAsync(visitor, "hello");

        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.True((await early.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("preChat"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var missingErrors = (await missing.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(missingErrors.ContainsKey("name") && missingErrors.ContainsKey("phone"), missingErrors.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badErrors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(badErrors.ContainsKey("email") && badErrors.ContainsKey("phone"), badErrors.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        await using var check = fixture.Db();
        var contact = await check.QuerySingleAsync<(string Name, string Phone, bool Unverified, long? Duplicate)>("""
            select ct.name, ct.phone, ct.details_unverified as unverified, ct.possible_duplicate_of as duplicate
            from conversations c join contacts ct on ct.id = c.contact_id
            """);
        Assert.Equal(("Anna", "+79123456789", true), (contact.Name, contact.Phone, contact.Unverified));
        Assert.Equal(await check.ExecuteScalarAsync<long>("select id from contacts where name = 'Real Anna'"), contact.Duplicate);
        Assert.Equal(1, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Presence_follows_the_channels_members_and_the_offline_form_opens_a_conversation_in_the_inbox()
    {
        var channel = await ChannelAsync(new JsonObject { ["offlineMessage"] = "We answer within two hours." });
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        var visitor = await fixture.StartSessionAsync(channel.Key);
        using var site = fixture.Site(visitorToken: visitor.Token);

        var offline = await site.GetFromJsonAsync<JsonObject>("/api/widget/presence");
        var noContact = await site.PostAsJsonAsync("/api/widget/offline", new { name = "Ann", text = "Call me back" });
        var noText = await site.PostAsJsonAsync("/api/widget/offline", new { email = "ann@example.com" });
        var left = await site.PostAsJsonAsync("/api/widget/offline", new { name = "Ann", email = "ann@example.com", text = "Call me back", clientMessageId = "off-1" });
        var again = await site.PostAsJsonAsync("/api/widget/offline", new { name = "Ann", email = "ann@example.com", text = "Call me back", clientMessageId = "off-1" });

        Assert.False(offline!["online"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, noContact.StatusCode);
        Assert.True((await noContact.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("email"));
        Assert.Equal(HttpStatusCode.BadRequest, noText.StatusCode);
        Assert.Equal(HttpStatusCode.Created, left.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var body = (await left.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("We answer within two hours.", body["offlineMessage"]!.GetValue<string>());
        Assert.Equal(1, await fixture.CountAsync("messages"));
        using var http = fixture.App.Http(manager.Token);
        var inbox = (await http.GetFromJsonAsync<JsonObject>("/api/conversations"))!["items"]!.AsArray();
        Assert.Equal(body["message"]!["conversationId"]!.GetValue<long>(), inbox.Single()!["id"]!.GetValue<long>());
        await using var db = fixture.Db();
        Assert.Equal(("Ann", "ann@example.com", true), await db.QuerySingleAsync<(string, string, bool)>(
            "select name, email, details_unverified from contacts"));
        Assert.Equal("offline", await db.ExecuteScalarAsync<string>("select metadata->>'form' from messages"));

        // A member comes online: the widget shows the chat again.
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        Assert.True((await site.GetFromJsonAsync<JsonObject>("/api/widget/presence"))!["online"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_visitors_typing_reaches_the_managers_and_a_managers_read_reaches_the_visitor()
    {
        var channel = await fixture.CreateWebchatAsync();
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        var visitor = await fixture.StartSessionAsync(channel.Key, new { name = "Ann" });
        var sent = (await (await fixture.SendAsync(visitor, "hello")).Content.ReadFromJsonAsync<JsonObject>())!;
        var conversationId = sent["conversationId"]!.GetValue<long>();
        await using var widget = await fixture.ConnectWidgetAsync(visitor.Token);
        var widgetEvents = new HubRecorder(widget);
        await using var inbox = await fixture.ConnectHubAsync(manager.Token);
        var inboxEvents = new HubRecorder(inbox);
        Assert.Null((await fixture.HistoryAsync(visitor))["readUpTo"]);

        await widget.InvokeAsync("Typing");
        var typing = await inboxEvents.WaitForAsync("typing");
        await inbox.InvokeAsync("MarkRead", conversationId, (long?)null);
        var read = await widgetEvents.WaitForAsync("read");

        Assert.Equal(conversationId, typing["conversationId"]!.GetValue<long>());
        Assert.Equal("Ann", typing["name"]!.GetValue<string>());
        Assert.True(typing["customer"]!.GetValue<bool>());
        Assert.Equal(sent["id"]!.GetValue<long>(), read["upToMessageId"]!.GetValue<long>());
        Assert.Equal(sent["id"]!.GetValue<long>(), (await fixture.HistoryAsync(visitor))["readUpTo"]!.GetValue<long>());
    }
}
