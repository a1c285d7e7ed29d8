using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Telegram;
using ContactCenter.FunctionalTests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>The app on a real port, with WireMock standing in for the Bot API (each channel's apiBaseUrl points at it).</summary>
public class TelegramFixture : AppFixture
{
    public const string Token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    public const string Secret = "wh-secret-0123456789abcdef";
    public const long BotId = 7000000001;

    public WireMockServer Bot { get; private set; } = null!;

    public string BotApiUrl => Bot.Urls[0];

    public override async Task InitializeAsync()
    {
        Bot = WireMockServer.Start();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Bot.Stop();
    }

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Telegram:PollingEnabled"] = "false";
        return settings;
    }

    /// <summary>Empties the database and the stand-in API, then answers getMe as a healthy bot.</summary>
    public async Task ResetTelegramAsync()
    {
        await ResetAsync();
        Bot.Reset();
        // Defaults at a low priority (WireMock: lower number wins), so a test's own stub for a method takes over.
        StubOk("getMe", new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Магазин", ["username"] = "shop_demo_bot" }, priority: 100);
        StubOk("deleteWebhook", true, priority: 100);
        StubOk("setWebhook", true, priority: 100);
    }

    public string MethodPath(string method) => $"/bot{Token}/{method}";

    public void StubOk(string method, JsonNode result, int priority = 10) =>
        Bot.Given(Request.Create().WithPath(MethodPath(method)).UsingPost()).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(new JsonObject { ["ok"] = true, ["result"] = result }.ToJsonString()));

    public static string Error(int code, string description, int? retryAfter = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is not null)
        {
            body["parameters"] = new JsonObject { ["retry_after"] = retryAfter };
        }
        return body.ToJsonString();
    }

    public void StubError(string method, int code, string description) =>
        Bot.Given(Request.Create().WithPath(MethodPath(method)).UsingPost()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(code).WithHeader("Content-Type", "application/json").WithBody(Error(code, description)));

    public static JsonObject SentMessage(long chatId, int messageId, string text) => new()
    {
        ["message_id"] = messageId,
        ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Магазин", ["username"] = "shop_demo_bot" },
        ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Анна" },
        ["date"] = 1764170000,
        ["text"] = text,
    };

    public IEnumerable<WireMock.Logging.ILogEntry> Calls(string method) =>
        Bot.LogEntries.Where(e => e.RequestMessage.Path == MethodPath(method)).OrderBy(e => e.RequestMessage.DateTime);

    public async Task<JsonObject> CreateTelegramChannelAsync(string token = Token, string name = "Telegram bot")
    {
        using var http = App.Http(AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "telegram",
            name,
            settings = new { botToken = token, webhookSecret = Secret, apiBaseUrl = BotApiUrl },
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task<long> CreateChannelIdAsync() => (await CreateTelegramChannelAsync())["id"]!.GetValue<long>();

    public static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name + ".json"));

    public async Task<HttpResponseMessage> PostUpdateAsync(long channelId, string body, string? secret = Secret)
    {
        using var http = App.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{channelId}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add(TelegramWebhookEndpoint.SecretHeader, secret);
        }
        return await http.SendAsync(request);
    }

    /// <summary>The customer writes first (message 1365 of chat 5551234567), so there is a conversation to answer.</summary>
    public async Task<long> OpenConversationAsync()
    {
        var channelId = await CreateChannelIdAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await PostUpdateAsync(channelId, Sample("text"))).StatusCode);
        await using var db = Db();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "select id from conversations");
    }

    /// <summary>A manager's (the admin's) reply through REST; returns the queued message's id.</summary>
    public async Task<long> ReplyAsync(long conversationId, string text, long? replyToMessageId = null, long[]? attachmentIds = null)
    {
        using var http = App.Http(AdminToken);
        var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text, replyToMessageId, attachmentIds });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    public Task<string?> StatusWhenSettledAsync(long messageId) =>
        EventuallyAsync<string>("select status from messages where id = @messageId", s => s is "sent" or "failed", new { messageId });

    /// <summary>Waits until the SQL scalar satisfies the check (background work: outbox, poller).</summary>
    public async Task<T?> EventuallyAsync<T>(string sql, Func<T?, bool> check, object? args = null, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            await using var db = Db();
            var value = await Dapper.SqlMapper.ExecuteScalarAsync<T>(db, sql, args);
            if (check(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"`{sql}` is still {value}.");
            }
            await Task.Delay(100);
        }
    }
}
