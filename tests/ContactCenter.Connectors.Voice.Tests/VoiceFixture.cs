using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.Connectors.Voice.Tests;

[CollectionDefinition(Name)]
public sealed class VoiceCollection : ICollectionFixture<VoiceFixture>
{
    public const string Name = "voice";
}

/// <summary>The app on a real port, plus WireMock standing in for Twilio's REST API (channels point `apiBaseUrl` at it).</summary>
public class VoiceFixture : AppFixture
{
    /// <summary>Not this machine: the URL a proxy in front of the app would publish. Signatures are over it.</summary>
    public const string PublicBase = "https://cc.example.test";

    public const string CustomerNumber = "+14155550123";
    public const string ChannelNumber = "+14155550100";

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

    public sealed record VoiceChannel(long Id, string AccountSid, string AuthToken, string VoiceUrl, string StatusUrl)
    {
        public string Url(string step, string? query = null) => VoiceUrl + "/" + step + (query is null ? "" : "?" + query);
    }

    public static string NewSid(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Creates a voice channel whose Twilio is the stand-in (the number check on save finds the number).</summary>
    public async Task<VoiceChannel> CreateVoiceChannelAsync(string ringStrategy = "simultaneous", bool recordCalls = false, string language = "en")
    {
        var sid = NewSid("AC");
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        StubNumber(sid, ChannelNumber);
        var channel = await CreateChannelAsync("voice", "Phone", new JsonObject
        {
            ["accountSid"] = sid,
            ["authToken"] = token,
            ["phoneNumber"] = "+1 (415) 555-0100",
            ["publicWebhookUrl"] = PublicBase,
            ["recordCalls"] = recordCalls,
            ["ringStrategy"] = ringStrategy,
            ["language"] = language,
            ["apiBaseUrl"] = Twilio.Url,
        });
        return new VoiceChannel(channel["id"]!.GetValue<long>(), sid, token, channel["public"]!["voiceUrl"]!.GetValue<string>(),
            channel["public"]!["statusCallbackUrl"]!.GetValue<string>());
    }

    public void StubNumber(string accountSid, string number) =>
        Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{accountSid}/IncomingPhoneNumbers.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($$"""
                {"first_page_uri":"/2010-04-01/Accounts/{{accountSid}}/IncomingPhoneNumbers.json?PageSize=50&Page=0","end":0,"previous_page_uri":null,
                 "incoming_phone_numbers":[{"account_sid":"{{accountSid}}","phone_number":"{{number}}","friendly_name":"(415) 555-0100",
                   "sid":"PN{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}}","capabilities":{"voice":true,"sms":true,"mms":true},
                   "voice_url":"","status":"in-use"}],
                 "uri":"/2010-04-01/Accounts/{{accountSid}}/IncomingPhoneNumbers.json?PageSize=50&Page=0","page_size":50,"start":0,"next_page_uri":null,"page":0}
                """));

    /// <summary>A recorded sample body (Samples/*.txt) with its placeholders filled.</summary>
    public static Dictionary<string, string> Sample(string name, IReadOnlyDictionary<string, string> values)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Samples", name + ".txt")))
        {
            if (line.Length == 0)
            {
                continue;
            }
            var at = line.IndexOf('=', StringComparison.Ordinal);
            var value = line[(at + 1)..];
            foreach (var (key, replacement) in values)
            {
                value = value.Replace("{" + key + "}", replacement, StringComparison.Ordinal);
            }
            fields[line[..at]] = value;
        }
        return fields;
    }

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

    /// <summary>Posts a form as Twilio would: to the app's route, signed over the public URL (and its query), unless a signature is given.</summary>
    public async Task<HttpResponseMessage> PostAsync(VoiceChannel channel, string? step, IReadOnlyDictionary<string, string> fields, string? query = null, string? signature = null)
    {
        var signedUrl = step is null ? channel.VoiceUrl : channel.Url(step, query);
        var path = $"/webhooks/voice/{channel.Id}" + (step is null ? "" : "/" + step) + (query is null ? "" : "?" + query);
        using var http = App.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature ?? Sign(channel.AuthToken, signedUrl, fields));
        return await http.SendAsync(request);
    }

    public Dictionary<string, string> Values(VoiceChannel channel, string callSid, string from = CustomerNumber) => new()
    {
        ["AccountSid"] = channel.AccountSid,
        ["CallSid"] = callSid,
        ["From"] = from,
        ["To"] = ChannelNumber,
        ["ChannelNumber"] = ChannelNumber,
    };

    /// <summary>An incoming call; returns the TwiML the app answered.</summary>
    public async Task<XElement> CallInAsync(VoiceChannel channel, string callSid, string from = CustomerNumber)
    {
        var response = await PostAsync(channel, null, Sample("incoming-call", Values(channel, callSid, from)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        return XElement.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task StatusAsync(VoiceChannel channel, string callSid, string status, int duration)
    {
        var values = Values(channel, callSid);
        values["CallStatus"] = status;
        values["CallDuration"] = duration.ToString(System.Globalization.CultureInfo.InvariantCulture);
        values["DurationMinutes"] = ((duration + 59) / 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = await PostAsync(channel, "status", Sample("call-status-completed", values));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<XElement> DialOutcomeAsync(VoiceChannel channel, string callSid, int next, string dialStatus, int duration = 0)
    {
        var values = Values(channel, callSid);
        values["DialCallSid"] = NewSid("CA");
        values["DialCallStatus"] = dialStatus;
        values["DialCallDuration"] = duration.ToString(System.Globalization.CultureInfo.InvariantCulture);
        values["DialBridged"] = dialStatus == "completed" ? "true" : "false";
        var response = await PostAsync(channel, "dial", Sample("dial-action", values), query: $"next={next}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XElement.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task AnsweredAsync(VoiceChannel channel, string callSid, TestUser manager, string managerPhone)
    {
        var values = Values(channel, callSid);
        values["DialCallSid"] = NewSid("CA");
        values["AgentPhone"] = managerPhone;
        var response = await PostAsync(channel, "answered", Sample("number-answered", values), query: $"user={manager.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A manager of the channel with a phone, online (a hub connection open).</summary>
    public async Task<(TestUser User, HubConnection Hub)> OnlineManagerAsync(string name, string phone, params long[] channelIds)
    {
        var user = await CreateUserAsync(name, "manager", channelIds);
        await SetPhoneAsync(user, phone);
        return (user, await ConnectHubAsync(user.Token));
    }

    public async Task SetPhoneAsync(TestUser user, string phone)
    {
        using var http = App.Http(user.Token);
        var response = await http.PatchAsJsonAsync("/api/me", new { phone });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
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

    /// <summary>A valid 0.5 s mono 8 kHz PCM WAV of a quiet tone: small, and every browser plays it.</summary>
    public static byte[] TinyWav()
    {
        const int rate = 8000;
        const int samples = rate / 2;
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + (samples * 2));
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(rate);
        w.Write(rate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            w.Write((short)(Math.Sin(2 * Math.PI * 440 * i / rate) * 2000));
        }
        w.Flush();
        return stream.ToArray();
    }
}
