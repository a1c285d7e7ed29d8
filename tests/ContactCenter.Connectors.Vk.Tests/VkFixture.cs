using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.Connectors.Vk.Tests;

/// <summary>The app on a real port, with WireMock standing in for api.vk.com and VK's file hosts (each channel's apiBaseUrl points at it).</summary>
public partial class VkFixture : AppFixture
{
    public const long GroupId = 218375120;
    public const long UserId = 743784474;
    public const string Token = "vk1.a.c0VkTestCommunityToken_0123456789abcdefABCDEF";
    public const string Secret = "cc0vkSecretKey2026";
    public const string ConfirmationCode = "a1b2c3d4";

    public WireMockServer Vk { get; private set; } = null!;

    /// <summary>As in production: `https://api.vk.com/method`, here on loopback.</summary>
    public string ApiBaseUrl => Vk.Urls[0] + "/method";

    public override async Task InitializeAsync()
    {
        Vk = WireMockServer.Start();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Vk.Stop();
    }

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Telegram:PollingEnabled"] = "false";
        settings["Vk:PublicBaseUrl"] = "https://cc.example.com/";
        settings["Logging:LogLevel:Default"] = "Information";
        return settings;
    }

    /// <summary>Everything the app logs, to prove no token or secret key is ever in it.</summary>
    public LogSink Logs { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddLogging(l => l.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));

    /// <summary>Empties the database and the stand-in API, then answers groups.getById and users.get as VK would.</summary>
    public async Task ResetVkAsync()
    {
        await ResetAsync();
        await ResetVkStubsAsync();
    }

    /// <summary>Only the stand-in: forgets every stub and call, then answers groups.getById and users.get again.</summary>
    public Task ResetVkStubsAsync()
    {
        Vk.Reset();
        App.Services.GetRequiredService<VkNames>().Forget();
        // Defaults at a low priority (WireMock: lower number wins), so a test's own stub for a method takes over.
        StubOk("groups.getById", new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject { ["id"] = GroupId, ["name"] = "Магазин «Ромашка»", ["screen_name"] = "romashka_shop", ["type"] = "group" }),
            ["profiles"] = new JsonArray(),
        }, priority: 100);
        StubOk("users.get", new JsonArray(new JsonObject
        {
            ["id"] = UserId, ["first_name"] = "Анна", ["last_name"] = "Смирнова", ["screen_name"] = "anna_smirnova", ["can_access_closed"] = true, ["is_closed"] = false,
        }), priority: 100);
        return Task.CompletedTask;
    }

    public static string MethodPath(string method) => $"/method/{method}";

    public void StubOk(string method, JsonNode response, int priority = 10) =>
        Vk.Given(Request.Create().WithPath(MethodPath(method)).UsingPost()).AtPriority(priority)
            .RespondWith(JsonAnswer(new JsonObject { ["response"] = response }));

    /// <summary>VK's way to refuse: HTTP 200 with an error object.</summary>
    public static string Error(int code, string message, string method = "messages.send") => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["error_code"] = code,
            ["error_msg"] = message,
            ["request_params"] = new JsonArray(new JsonObject { ["key"] = "method", ["value"] = method }, new JsonObject { ["key"] = "v", ["value"] = "5.199" }),
        },
    }.ToJsonString();

    public void StubError(string method, int code, string message, int priority = 10) =>
        Vk.Given(Request.Create().WithPath(MethodPath(method)).UsingPost()).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Error(code, message, method)));

    public static IResponseBuilder JsonAnswer(JsonNode body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());

    public IEnumerable<WireMock.Logging.ILogEntry> Calls(string method) =>
        Vk.LogEntries.Where(e => e.RequestMessage.Path == MethodPath(method)).OrderBy(e => e.RequestMessage.DateTime);

    /// <summary>The form fields of a method call.</summary>
    public static Dictionary<string, string> Form(WireMock.Logging.ILogEntry call) =>
        QueryHelpers.ParseQuery(call.RequestMessage.Body ?? "").ToDictionary(p => p.Key, p => p.Value.ToString());

    public JsonObject Settings(string? token = null, string? apiBaseUrl = null) => new()
    {
        ["groupId"] = GroupId, ["accessToken"] = token ?? Token, ["secretKey"] = Secret, ["confirmationCode"] = ConfirmationCode,
        ["apiBaseUrl"] = apiBaseUrl ?? ApiBaseUrl,
    };

    public async Task<JsonObject> CreateVkChannelAsync(JsonObject? settings = null, string name = "VK community")
    {
        using var http = App.Http(AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new { kind = "vk", name, settings = settings ?? Settings() });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task<long> CreateChannelIdAsync() => (await CreateVkChannelAsync())["id"]!.GetValue<long>();

    [GeneratedRegex(@"https://[a-z0-9.-]*(?:userapi\.com|vk\.com)")]
    private static partial Regex VkHosts();

    /// <summary>A recorded event, its file links pointed at the stand-in (tests never leave loopback).</summary>
    public string Sample(string name) =>
        VkHosts().Replace(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name + ".json")), Vk.Urls[0]);

    public async Task<HttpResponseMessage> PostEventAsync(long channelId, string body)
    {
        using var http = App.Http();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await http.PostAsync($"/webhooks/vk/{channelId}", content);
    }

    /// <summary>The customer writes first (message 1365 of user 743784474), so there is a conversation to answer.</summary>
    public async Task<(long ChannelId, long ConversationId)> OpenConversationAsync()
    {
        var channelId = await CreateChannelIdAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostEventAsync(channelId, Sample("message_new_text"))).StatusCode);
        await using var db = Db();
        return (channelId, await db.ExecuteScalarAsync<long>("select id from conversations"));
    }

    /// <summary>A manager's (the admin's) reply through REST.</summary>
    public async Task<HttpResponseMessage> PostReplyAsync(long conversationId, string text, long[]? attachmentIds = null, string? token = null)
    {
        using var http = App.Http(token ?? AdminToken);
        return await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text, attachmentIds });
    }

    public async Task<long> ReplyAsync(long conversationId, string text, long[]? attachmentIds = null)
    {
        var response = await PostReplyAsync(conversationId, text, attachmentIds);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    public Task<string?> StatusWhenSettledAsync(long messageId) =>
        EventuallyAsync<string>("select status from messages where id = @messageId", s => s is "sent" or "failed", new { messageId });

    /// <summary>Waits until the SQL scalar satisfies the check (background work: outbox, media jobs).</summary>
    public async Task<T?> EventuallyAsync<T>(string sql, Func<T?, bool> check, object? args = null, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            await using var db = Db();
            var value = await db.ExecuteScalarAsync<T>(sql, args);
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
