using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>A recorded phone call plays in the browser on the deal's timeline and in the thread.</summary>
public sealed class CallsBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    private static string Sign(string token, string url, IReadOnlyDictionary<string, string> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data.ToString())));
    }

    private async Task PostSignedAsync(string path, string signedUrl, string token, Dictionary<string, string> fields)
    {
        using var http = Fx.App.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", Sign(token, signedUrl, fields));
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A valid 1 s mono 8 kHz PCM WAV of a quiet tone.</summary>
    private static byte[] Wav()
    {
        const int rate = 8000;
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + (rate * 2));
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(rate);
        w.Write(rate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(rate * 2);
        for (var i = 0; i < rate; i++)
        {
            w.Write((short)(Math.Sin(2 * Math.PI * 440 * i / rate) * 2000));
        }
        w.Flush();
        return stream.ToArray();
    }

    [Fact]
    public async Task A_recorded_call_plays_its_recording_on_the_deal_timeline_and_in_the_thread()
    {
        var account = "AC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var callSid = "CA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var recordingSid = "RE" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var customer = "+1415555" + (1000 + RandomNumberGenerator.GetInt32(8000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Callback.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"incoming_phone_numbers":[{"phone_number":"+14155550100"}],"page":0,"page_size":50}"""));
        // The stand-in's recording: a WAV (what Twilio serves without .mp3), small and playable everywhere.
        Callback.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{account}/Recordings/{recordingSid}.mp3").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "audio/wav").WithBody(Wav()));
        var channel = await Fx.CreateChannelAsync("voice", "Phone " + Suffix, new JsonObject
        {
            ["accountSid"] = account, ["authToken"] = token, ["phoneNumber"] = "+14155550100", ["publicWebhookUrl"] = "https://cc.example.test",
            ["recordCalls"] = true, ["apiBaseUrl"] = Callback.Url,
        });
        var id = channel["id"]!.GetValue<long>();
        var voiceUrl = channel["public"]!["voiceUrl"]!.GetValue<string>();
        var manager = await Fx.CreateUserAsync("calls" + Suffix, "manager", id);
        var call = new Dictionary<string, string>
        {
            ["AccountSid"] = account, ["CallSid"] = callSid, ["From"] = customer, ["To"] = "+14155550100", ["CallStatus"] = "ringing",
            ["Direction"] = "inbound", ["ApiVersion"] = "2010-04-01",
        };
        await PostSignedAsync($"/webhooks/voice/{id}", voiceUrl, token, call);
        await PostSignedAsync($"/webhooks/voice/{id}/status", voiceUrl + "/status", token,
            new Dictionary<string, string>(call) { ["CallStatus"] = "completed", ["CallDuration"] = "61" });
        await PostSignedAsync($"/webhooks/voice/{id}/recording", voiceUrl + "/recording", token, new Dictionary<string, string>
        {
            ["AccountSid"] = account, ["CallSid"] = callSid, ["RecordingSid"] = recordingSid, ["RecordingStatus"] = "completed",
            ["RecordingUrl"] = $"https://api.twilio.com/2010-04-01/Accounts/{account}/Recordings/{recordingSid}", ["RecordingDuration"] = "1",
        });
        long conversationId;
        await using (var db = Fx.Db())
        {
            conversationId = await db.ExecuteScalarAsync<long>("select conversation_id from messages where external_id = @callSid", new { callSid });
            var leadId = await db.ExecuteScalarAsync<long>("select lead_id from conversations where id = @conversationId", new { conversationId });
            // The manager turns the lead into a deal: the call's entry moves to the deal's timeline with it.
            await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, $"/api/leads/{leadId}/convert", new { });
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await db.ExecuteScalarAsync<string?>("select metadata ->> 'callRecordingAttachmentId' from messages where external_id = @callSid", new { callSid }) is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "The recording was not fetched.");
                await Task.Delay(100);
            }
        }

        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{conversationId}");

        var side = Page.GetByRole(AriaRole.Complementary, new() { Name = "Details" });
        var timelineCall = side.Locator(".timeline [data-testid=call]");
        await Expect(timelineCall).ToContainTextAsync(customer);
        var player = timelineCall.Locator("audio");
        await Expect(player).ToHaveCountAsync(1);
        // The element really loaded the audio: metadata read (readyState >= 1) and a duration of about one second.
        await player.EvaluateAsync("""
            a => new Promise((resolve, reject) => {
              if (a.readyState >= 1) return resolve();
              a.addEventListener('loadedmetadata', () => resolve(), { once: true });
              a.addEventListener('error', () => reject(new Error('audio error ' + (a.error && a.error.code))), { once: true });
            })
            """);
        var duration = await player.EvaluateAsync<double>("a => a.duration");
        Assert.InRange(duration, 0.9, 1.1);
        Assert.StartsWith("blob:", await player.GetAttributeAsync("src"));
        await Expect(Page.Locator(".message [data-testid=call] audio")).ToHaveCountAsync(1);
        await Screenshot("call-recording-on-deal-timeline");
    }
}
