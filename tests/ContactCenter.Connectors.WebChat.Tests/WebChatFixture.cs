using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>The app with web chat helpers; rate limits high enough that only the limit tests meet them.</summary>
public class WebChatFixture : AppFixture
{
    public const string SiteOrigin = "https://shop.example";

    private IDictionary<string, string?>? settings;

    /// <summary>The app's settings, for starting more nodes of the same cluster.</summary>
    public IDictionary<string, string?> Settings => settings ??= MakeSettings();

    protected override IDictionary<string, string?> ExtraSettings() => Settings;

    protected virtual IDictionary<string, string?> Limits() => new Dictionary<string, string?>
    {
        ["WebChat:SessionsPerIp"] = "100000",
        ["WebChat:MessagesPerVisitor"] = "100000",
        ["WebChat:MessagesPerIp"] = "100000",
        ["WebChat:FormsPerIp"] = "100000",
        // Small, so the limit test sends little.
        ["WebChat:MaxUploadBytes"] = "1048576",
    };

    private Dictionary<string, string?> MakeSettings()
    {
        var all = new Dictionary<string, string?>(base.ExtraSettings());
        foreach (var (key, value) in Limits())
        {
            all[key] = value;
        }
        return all;
    }

    /// <summary>
    /// A manager who is a member of the channels, signed in. Inserted directly: `POST /api/users` of the spine
    /// fails to read back its UserDto (Dapper cannot build it from the bigint[] column), reported to the lead.
    /// </summary>
    public Task<TestUser> CreateManagerAsync(string name, params long[] channelIds) => CreateManagerAsync(name, name, channelIds);

    /// <param name="login">The part of the email before @ (ASCII); <paramref name="name"/> is what customers see (e.g. Cyrillic).</param>
    public async Task<TestUser> CreateManagerAsync(string login, string name, long[] channelIds)
    {
        var hashing = App.Services.GetRequiredService<ContactCenter.Api.Auth.PasswordHashing>();
        var email = $"{login}@test.local";
        await using (var db = Db())
        {
            var id = await db.ExecuteScalarAsync<long>(
                "insert into users (email, name, role, password_hash) values (@email, @name, 'manager', @hash) returning id",
                new { email, name, hash = hashing.Hash("password-1234") });
            await db.ExecuteAsync("insert into channel_members (channel_id, user_id) select unnest(@channelIds), @id", new { channelIds, id });
        }
        var token = await LoginAsync(email, "password-1234");
        await using var check = Db();
        return new TestUser(await check.ExecuteScalarAsync<long>("select id from users where email = @email", new { email }), email, token);
    }

    public sealed record SiteChannel(long Id, string Key, JsonObject Public);

    public async Task<SiteChannel> CreateChannelAsync(string kind, JsonObject settings, string name = "Site")
    {
        using var http = App.Http(AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new { kind, name, settings });
        response.EnsureSuccessStatusCode();
        var channel = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var pub = channel["public"]!.AsObject();
        var key = pub[kind == "webchat" ? "widgetKey" : "formKey"]!.GetValue<string>();
        return new SiteChannel(channel["id"]!.GetValue<long>(), key, pub);
    }

    public Task<SiteChannel> CreateWebchatAsync(string? secret = null, string? greeting = "Hi! How can we help?", params string[] origins)
    {
        var settings = new JsonObject { ["allowedOrigins"] = new JsonArray((origins.Length == 0 ? [SiteOrigin] : origins).Select(o => (JsonNode?)o).ToArray()) };
        if (secret is not null)
        {
            settings["secret"] = secret;
        }
        if (greeting is not null)
        {
            settings["greeting"] = greeting;
        }
        return CreateChannelAsync("webchat", settings, "Website chat");
    }

    /// <summary>A client as a page on `origin` would call the service (the browser sends Origin).</summary>
    public HttpClient Site(string? origin = SiteOrigin, string? visitorToken = null, AppNode? node = null)
    {
        var http = (node ?? App).Http(visitorToken);
        if (origin is not null)
        {
            http.DefaultRequestHeaders.Add("Origin", origin);
        }
        return http;
    }

    public sealed record VisitorSession(string Token, string VisitorId, long? ConversationId, JsonObject Body);

    public async Task<VisitorSession> StartSessionAsync(string widgetKey, object? body = null, string origin = SiteOrigin, AppNode? node = null)
    {
        using var http = Site(origin, node: node);
        var response = await http.PostAsJsonAsync($"/api/widget/{widgetKey}/session", body ?? new { });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new VisitorSession(json["visitorToken"]!.GetValue<string>(), json["visitorId"]!.GetValue<string>(),
            json["conversationId"]?.GetValue<long>(), json);
    }

    public async Task<HttpResponseMessage> SendAsync(VisitorSession visitor, string text, string? clientMessageId = null, string origin = SiteOrigin, AppNode? node = null)
    {
        using var http = Site(origin, visitor.Token, node);
        return await http.PostAsJsonAsync("/api/widget/messages", new { text, clientMessageId = clientMessageId ?? Guid.NewGuid().ToString("N") });
    }

    /// <summary>A visitor's upload through the widget API, as the widget's attach button sends it.</summary>
    public async Task<HttpResponseMessage> UploadAsync(VisitorSession visitor, string fileName, byte[] content, string contentType,
        string? clientMessageId = null, string origin = SiteOrigin)
    {
        using var http = Site(origin, visitor.Token);
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(part, "file", fileName);
        form.Add(new StringContent(clientMessageId ?? Guid.NewGuid().ToString("N")), "clientMessageId");
        return await http.PostAsync("/api/widget/attachments", form);
    }

    public async Task<JsonObject> HistoryAsync(VisitorSession visitor, string origin = SiteOrigin)
    {
        using var http = Site(origin, visitor.Token);
        var response = await http.GetAsync("/api/widget/messages");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task<HubConnection> ConnectWidgetAsync(string visitorToken, string origin = SiteOrigin, AppNode? node = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri((node ?? App).BaseAddress, "/hubs/widget"), o =>
            {
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(visitorToken);
                o.Headers["Origin"] = origin;
            })
            .Build();
        await connection.StartAsync();
        // The handshake is answered before the hub's OnConnectedAsync joins the visitor's group; an invocation is
        // only answered after it, so one round trip (to a method that does not exist) means the group is joined.
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Sync"));
        return connection;
    }
}
