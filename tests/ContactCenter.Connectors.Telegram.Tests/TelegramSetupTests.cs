using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Connectors.Telegram.Tests;

public sealed class TelegramSetupTests(TelegramFixture fixture) : IClassFixture<TelegramFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetTelegramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Saving_a_channel_checks_the_token_with_getMe_and_never_returns_the_secrets()
    {
        var channel = await fixture.CreateTelegramChannelAsync();

        Assert.Single(fixture.Calls("getMe"));
        Assert.Null(channel["statusError"]?.GetValue<string>());
        Assert.Null(channel["settings"]!["botToken"]);
        Assert.Null(channel["settings"]!["webhookSecret"]);
        Assert.Equal(fixture.BotApiUrl, channel["settings"]!["apiBaseUrl"]!.GetValue<string>());
        Assert.Equal(["botToken", "webhookSecret"], channel["secretsSet"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.DoesNotContain(TelegramFixture.Token, channel.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal($"/webhooks/telegram/{channel["id"]}", channel["public"]!["webhookUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_telegram_rejects_gives_a_clear_status_error_not_a_crash()
    {
        fixture.StubError("getMe", 401, "Unauthorized");

        var channel = await fixture.CreateTelegramChannelAsync();

        Assert.Equal("Telegram rejected the bot token (Unauthorized): check it with @BotFather.", channel["statusError"]!.GetValue<string>());

        // Fixing the token clears the error.
        fixture.Bot.Reset();
        fixture.StubOk("getMe", new JsonObject { ["id"] = TelegramFixture.BotId, ["is_bot"] = true, ["first_name"] = "Магазин" });
        using var http = fixture.App.Http(fixture.AdminToken);
        var patched = await http.PatchAsJsonAsync($"/api/channels/{channel["id"]}", new { settings = new { botToken = TelegramFixture.Token } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Null((await patched.Content.ReadFromJsonAsync<JsonObject>())!["statusError"]?.GetValue<string>());
    }

    [Fact]
    public async Task An_unreachable_bot_api_gives_a_status_error()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "telegram",
            name = "Nowhere",
            settings = new { botToken = TelegramFixture.Token, webhookSecret = TelegramFixture.Secret, apiBaseUrl = "http://127.0.0.1:9" },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var channel = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("cannot connect to 127.0.0.1", channel!["statusError"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not-a-token", "wh-secret-0123456789abcdef", null, "settings.botToken")]
    [InlineData("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "short", null, "settings.webhookSecret")]
    [InlineData("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "has spaces in it, not allowed", null, "settings.webhookSecret")]
    [InlineData("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "wh-secret-0123456789abcdef", "ftp://example.com", "settings.apiBaseUrl")]
    public async Task Bad_settings_are_400_with_the_field(string token, string secret, string? apiBaseUrl, string field)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "telegram",
            name = "Bad",
            settings = new { botToken = token, webhookSecret = secret, apiBaseUrl },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]![field]);
        Assert.Empty(fixture.Calls("getMe"));
    }
}

/// <summary>The service has a public URL: saving a channel registers its webhook.</summary>
public sealed class TelegramWebhookFixture : TelegramFixture
{
    public const string PublicBaseUrl = "https://cc.example.com/";

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Telegram:PublicBaseUrl"] = PublicBaseUrl;
        return settings;
    }
}

public sealed class TelegramWebhookRegistrationTests(TelegramWebhookFixture fixture) : IClassFixture<TelegramWebhookFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetTelegramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Saving_a_channel_registers_the_webhook_with_the_secret_and_the_allowed_updates()
    {
        var channel = await fixture.CreateTelegramChannelAsync();
        var id = channel["id"]!.GetValue<long>();

        var call = Assert.Single(fixture.Calls("setWebhook"));
        var body = JsonNode.Parse(call.RequestMessage.Body!)!;
        Assert.Equal($"https://cc.example.com/webhooks/telegram/{id}", body["url"]!.GetValue<string>());
        Assert.Equal(TelegramFixture.Secret, body["secret_token"]!.GetValue<string>());
        Assert.Equal(["callback_query", "edited_message", "message", "my_chat_member"],
            body["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Empty(fixture.Calls("deleteWebhook"));
        Assert.Equal($"https://cc.example.com/webhooks/telegram/{id}", channel["public"]!["webhookUrl"]!.GetValue<string>());
        Assert.Equal("webhook", channel["public"]!["mode"]!.GetValue<string>());
        Assert.Null(channel["statusError"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_webhook_is_a_status_error()
    {
        fixture.StubError("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be provided for webhook");

        var channel = await fixture.CreateTelegramChannelAsync();

        Assert.Contains("bad webhook", channel["statusError"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
