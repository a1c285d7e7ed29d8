using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.Connectors.Sms.Tests;

[CollectionDefinition(Name)]
public sealed class SmsCollection : ICollectionFixture<SmsFixture>
{
    public const string Name = "sms";
}

/// <summary>The app on a real port, plus WireMock standing in for Twilio's REST API (channels point `apiBaseUrl` at it).</summary>
public class SmsFixture : AppFixture
{
    /// <summary>Not this machine: the webhook URL a proxy in front of the app would publish. Signatures are over it.</summary>
    public const string PublicBase = "https://cc.example.test";

    public const string CustomerNumber = "+14155550123";

    public WireMockServer Twilio { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Twilio = WireMockServer.Start();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Twilio.Stop();
    }

    public async Task ResetAllAsync()
    {
        Twilio.Reset();
        await ResetAsync();
    }

    public sealed record SmsChannel(long Id, string AccountSid, string AuthToken, string FromNumber, string MessagesUrl, string StatusUrl)
    {
        public string MessagesPath => $"/2010-04-01/Accounts/{AccountSid}/Messages.json";
    }

    public static string NewSid(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Creates an sms channel whose Twilio is the stand-in; the account check it makes on save succeeds.</summary>
    public async Task<SmsChannel> CreateSmsChannelAsync(string publicWebhookUrl = PublicBase, string? authToken = null, string fromNumber = "+1 (415) 555-0100", string? apiBaseUrl = null)
    {
        var sid = NewSid("AC");
        var token = authToken ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        StubAccount(sid);
        using var http = App.Http(AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "sms",
            name = "Texts",
            settings = new { accountSid = sid, authToken = token, fromNumber, publicWebhookUrl, apiBaseUrl = apiBaseUrl ?? Twilio.Url },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var channel = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new SmsChannel(channel["id"]!.GetValue<long>(), sid, token, channel["settings"]!["fromNumber"]!.GetValue<string>(),
            channel["public"]!["messagesUrl"]!.GetValue<string>(), channel["public"]!["statusCallbackUrl"]!.GetValue<string>());
    }

    public void StubAccount(string accountSid) =>
        Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{accountSid}.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"sid":"{{accountSid}}","friendly_name":"Test","status":"active","type":"Full"}"""));

    /// <summary>Twilio's algorithm, written out here independently of the library the app uses.</summary>
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>Posts a form to the app as Twilio would: signed over the public URL, unless a signature is given.</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string path, string signedUrl, string authToken, IReadOnlyDictionary<string, string> fields, string? signature = null)
    {
        using var http = App.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature ?? Sign(authToken, signedUrl, fields));
        return await http.SendAsync(request);
    }

    public static Dictionary<string, string> IncomingFields(SmsChannel channel, string messageSid, string body, string from = CustomerNumber) => new()
    {
        ["ToCountry"] = "US",
        ["SmsMessageSid"] = messageSid,
        ["NumMedia"] = "0",
        ["SmsSid"] = messageSid,
        ["SmsStatus"] = "received",
        ["Body"] = body,
        ["To"] = channel.FromNumber,
        ["NumSegments"] = "1",
        ["MessageSid"] = messageSid,
        ["AccountSid"] = channel.AccountSid,
        ["From"] = from,
        ["ApiVersion"] = "2010-04-01",
        ["FromCountry"] = "US",
    };

    public Task<HttpResponseMessage> PostIncomingAsync(SmsChannel channel, IReadOnlyDictionary<string, string> fields, string? signature = null) =>
        PostSignedAsync($"/webhooks/twilio/{channel.Id}", channel.MessagesUrl, channel.AuthToken, fields, signature);

    public async Task<HttpResponseMessage> TextAsync(SmsChannel channel, string body, string from = CustomerNumber, string? messageSid = null)
    {
        var response = await PostIncomingAsync(channel, IncomingFields(channel, messageSid ?? NewSid("SM"), body, from));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    public Task<HttpResponseMessage> PostStatusAsync(SmsChannel channel, string messageSid, string status, string? errorCode = null, string? signature = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["AccountSid"] = channel.AccountSid,
            ["From"] = channel.FromNumber,
            ["To"] = CustomerNumber,
            ["MessageSid"] = messageSid,
            ["SmsSid"] = messageSid,
            ["MessageStatus"] = status,
            ["SmsStatus"] = status,
            ["ApiVersion"] = "2010-04-01",
        };
        if (errorCode is not null)
        {
            fields["ErrorCode"] = errorCode;
        }
        return PostSignedAsync($"/webhooks/twilio/{channel.Id}/status", channel.StatusUrl, channel.AuthToken, fields, signature);
    }

    public async Task<long> ConversationIdAsync()
    {
        await using var db = Db();
        return await db.ExecuteScalarAsync<long>("select id from conversations order by id limit 1");
    }

    public async Task<HttpResponseMessage> ReplyAsync(long conversationId, string text)
    {
        using var http = App.Http(AdminToken);
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
