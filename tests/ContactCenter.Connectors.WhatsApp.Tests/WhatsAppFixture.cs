using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.WhatsApp;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using WireMock.Server;

namespace ContactCenter.Connectors.WhatsApp.Tests;

[CollectionDefinition(Name)]
public sealed class WhatsAppCollection : ICollectionFixture<WhatsAppFixture>
{
    public const string Name = "whatsapp";
}

/// <summary>The app on a real port, plus WireMock standing in for Meta's Graph API (channels point `apiBaseUrl` at it).</summary>
public class WhatsAppFixture : AppFixture
{
    /// <summary>The server's configured public URL: the webhook URL shown to admins is built from it, never from a request's Host.</summary>
    public const string PublicBase = "https://cc.example.test";

    public const string CustomerWaId = "16505551234";

    public WireMockServer Graph { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Graph = WireMockServer.Start();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Graph.Stop();
    }

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["WhatsApp:PublicBaseUrl"] = PublicBase + "/";
        settings["WhatsApp:UnknownStatusGrace"] = "00:00:00.200";
        return settings;
    }

    public async Task ResetAllAsync()
    {
        Graph.Reset();
        await ResetAsync();
    }

    public sealed record WaChannel(long Id, string PhoneNumberId, string AccessToken, string AppSecret, string VerifyToken, string BusinessAccountId);

    public static string NewId() => RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString() + RandomNumberGenerator.GetInt32(1000, 9999);

    public static string NewWamid() => "wamid.HBgL" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-');

    public string ApiBaseUrl => Graph.Url + "/v21.0";

    /// <summary>Creates a whatsapp channel whose Graph API is the stand-in; the phone-number check it makes on save succeeds.</summary>
    public async Task<WaChannel> CreateWhatsAppChannelAsync(bool stubNumber = true)
    {
        var channel = new WaChannel(0, NewId(), "EAAG" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), "verify-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), NewId());
        if (stubNumber)
        {
            Graph.PhoneNumber(channel);
        }
        var created = await CreateChannelAsync("whatsapp", "WhatsApp", new JsonObject
        {
            ["phoneNumberId"] = channel.PhoneNumberId,
            ["accessToken"] = channel.AccessToken,
            ["appSecret"] = channel.AppSecret,
            ["verifyToken"] = channel.VerifyToken,
            ["businessAccountId"] = channel.BusinessAccountId,
            ["apiBaseUrl"] = ApiBaseUrl,
        });
        return channel with { Id = created["id"]!.GetValue<long>() };
    }

    /// <summary>A recorded sample with its placeholders filled in.</summary>
    public static string Sample(string name, WaChannel channel, IDictionary<string, string>? values = null)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name + ".json"));
        var all = new Dictionary<string, string>
        {
            ["PHONE_NUMBER_ID"] = channel.PhoneNumberId,
            ["FROM"] = CustomerWaId,
            ["WAMID"] = NewWamid(),
            ["TIMESTAMP"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(),
            ["MEDIA_ID"] = NewId(),
            ["TEXT"] = "Hello",
            ["STATUS"] = "delivered",
        };
        foreach (var (key, value) in values ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        foreach (var (key, value) in all)
        {
            text = text.Replace("{{" + key + "}}", value.Replace("\"", "\\\""), StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Posts a webhook body as Meta does: signed with the app secret, unless a signature is given.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(WaChannel channel, string body, string? signature = null)
    {
        using var http = App.Http();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/whatsapp/{channel.Id}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature != "")
        {
            request.Headers.TryAddWithoutValidation(WhatsAppSignature.Header, signature ?? Sign(channel.AppSecret, bytes));
        }
        return await http.SendAsync(request);
    }

    /// <summary>Meta's algorithm, written out here independently of the app's code.</summary>
    public static string Sign(string appSecret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>The customer writes a text (now, or at the given time); returns the wamid.</summary>
    public async Task<string> TextAsync(WaChannel channel, string text, DateTimeOffset? at = null)
    {
        var wamid = NewWamid();
        var response = await PostWebhookAsync(channel, Sample("text", channel, new Dictionary<string, string>
        {
            ["WAMID"] = wamid, ["TEXT"] = text, ["TIMESTAMP"] = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return wamid;
    }

    public Task<HttpResponseMessage> StatusAsync(WaChannel channel, string wamid, string status) =>
        PostWebhookAsync(channel, Sample("status", channel, new Dictionary<string, string> { ["WAMID"] = wamid, ["STATUS"] = status }));

    public async Task<long> ConversationIdAsync()
    {
        await using var db = Db();
        return await db.ExecuteScalarAsync<long>("select id from conversations order by id limit 1");
    }

    public async Task<HttpResponseMessage> ReplyAsync(long conversationId, string text, string? token = null)
    {
        using var http = App.Http(token ?? AdminToken);
        return await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text });
    }

    /// <summary>Waits for a condition on the database (work done by the outbox in the background).</summary>
    public async Task<T> EventuallyAsync<T>(string sql, Func<T, bool> done, object? args = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            await using (var db = Db())
            {
                var value = await db.QuerySingleOrDefaultAsync<T>(sql, args);
                if (done(value!))
                {
                    return value!;
                }
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"Timed out waiting on: {sql} (last value: {value})");
                }
            }
            await Task.Delay(100);
        }
    }
}
