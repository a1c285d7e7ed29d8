using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>The other public routes: a Telegram webhook (with its secret), a VK Callback API webhook (its secret in the body), a web form, a widget session and a signed WhatsApp webhook, fuzzed the same way.</summary>
public sealed class PublicRouteFuzzTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const string TelegramUpdate = """
        {"update_id": 815200104, "message": {"message_id": 1368,
          "from": {"id": 5551234567, "is_bot": false, "first_name": "Анна", "username": "anna_smirnova", "language_code": "ru"},
          "chat": {"id": 5551234567, "first_name": "Анна", "type": "private"}, "date": 1764169500,
          "photo": [{"file_id": "AgACAgIAAxkBAAIBXmVk-large", "file_unique_id": "AQADlarge", "file_size": 79331, "width": 1280, "height": 960}],
          "caption": "Вот так пришла упаковка 📦", "reply_to_message": {"message_id": 1367, "chat": {"id": 5551234567, "type": "private"}, "date": 1764169400, "text": "hi"}}}
        """;

    /// <summary>Meta's published text-message webhook, for a channel whose phone number id is 106540352242922.</summary>
    private const string WhatsAppText = """
        {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"value": {
          "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
          "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
          "messages": [{"from": "16505551234", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "timestamp": "1749416383",
            "type": "text", "text": {"body": "Does it come in another color?"}}]}, "field": "messages"}]}]}
        """;

    private const string VkEvent = """
        {"group_id": 218375120, "type": "message_new", "event_id": "8d3c5e9b2f7a41c6e0b1d4a7f9e2c3b5a6d8e0f1", "v": "5.199",
          "object": {"message": {"date": 1764169500, "from_id": 743784474, "id": 1368, "out": 0, "peer_id": 743784474,
            "conversation_message_id": 414, "text": "Вот так пришла упаковка 📦", "fwd_messages": [], "reply_message": {"id": 1365, "conversation_message_id": 412},
            "attachments": [{"type": "photo", "photo": {"id": 457239017, "owner_id": 743784474, "sizes": [{"height": 1280, "width": 960, "type": "w", "url": "http://127.0.0.1:9/impg/w.jpg"}]}},
                            {"type": "doc", "doc": {"id": 671234567, "owner_id": 743784474, "title": "Счёт.pdf", "ext": "pdf", "size": 48213, "url": "http://127.0.0.1:9/doc743784474_671234567"}}]},
            "client_info": {"button_actions": ["text"], "keyboard": true}},
          "secret": "fuzzVkSecret2026"}
        """;

    private const string Form = """{"name": "Ольга", "email": "olga@example.com", "phone": "+79001234567", "message": "Call me", "utm_source": "ads"}""";

    private const string Session = """{"visitorId": null, "name": "Visitor", "email": "v@example.com"}""";

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Mutated_payloads_on_the_other_public_routes_are_never_a_5xx()
    {
        const string secret = "fuzz-webhook-secret-0123456789";
        var telegram = await fixture.CreateChannelAsync("telegram", "Fuzz bot", new JsonObject
        {
            ["botToken"] = "123456789:AAHfuzzfuzzfuzzfuzzfuzzfuzz", ["webhookSecret"] = secret, ["apiBaseUrl"] = "http://127.0.0.1:9",
        });
        var vk = await fixture.CreateChannelAsync("vk", "Fuzz VK", new JsonObject
        {
            ["groupId"] = 218375120, ["accessToken"] = "vk1.a.fuzzfuzzfuzzfuzzfuzzfuzz", ["secretKey"] = "fuzzVkSecret2026", ["confirmationCode"] = "a1b2c3d4",
            ["apiBaseUrl"] = "http://127.0.0.1:9/method",
        });
        var form = await fixture.CreateChannelAsync("webform", "Fuzz form", new JsonObject());
        var chat = await fixture.CreateChannelAsync("webchat", "Fuzz chat", new JsonObject { ["allowedOrigins"] = new JsonArray("http://site.test") });
        const string appSecret = "fuzz-whatsapp-app-secret-0123456789";
        var whatsapp = await fixture.CreateChannelAsync("whatsapp", "Fuzz WhatsApp", new JsonObject
        {
            ["phoneNumberId"] = "106540352242922", ["accessToken"] = "EAAGfuzz", ["appSecret"] = appSecret, ["verifyToken"] = "fuzz-verify",
            ["apiBaseUrl"] = "http://127.0.0.1:9/v21.0",
        });
        var routes = new (string Url, string Seed, Action<HttpRequestMessage, string> Sign)[]
        {
            ($"/webhooks/telegram/{telegram["id"]}", TelegramUpdate, (r, _) => r.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret)),
            ($"/webhooks/vk/{vk["id"]}", VkEvent, (_, _) => { }),
            ($"/api/forms/{form["public"]!["formKey"]}", Form, (_, _) => { }),
            ($"/api/widget/{chat["public"]!["widgetKey"]}/session", Session, (r, _) => r.Headers.Add("Origin", "http://site.test")),
            // Signed over each mutated body, so the mutations reach the mapper rather than stopping at the signature.
            ($"/webhooks/whatsapp/{whatsapp["id"]}", WhatsAppText, (r, body) => r.Headers.Add("X-Hub-Signature-256",
                "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(appSecret), System.Text.Encoding.UTF8.GetBytes(body))))),
        };
        var random = new Random(11);
        using var http = fixture.App.Http();
        var failures = new List<string>();
        var answered = new Dictionary<string, HashSet<int>>();
        foreach (var (url, seed, sign) in routes)
        {
            answered[url] = [];
            for (var i = 0; i < 300; i++)
            {
                var body = FuzzMutations.Mutate(seed, random, i);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
                sign(request, body);
                var response = await http.SendAsync(request);
                answered[url].Add((int)response.StatusCode);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || text.Contains("   at ", StringComparison.Ordinal))
                {
                    failures.Add($"{url} {(int)response.StatusCode} for {body[..Math.Min(300, body.Length)]}");
                }
            }
        }

        Assert.Empty(failures);
        // Each route accepted some mutations and refused others: the fuzzer reached past the front door.
        Assert.All(answered, a => Assert.Contains(a.Value, code => code is >= 200 and < 300));
        Assert.All(answered, a => Assert.Contains(a.Value, code => code is >= 400 and < 500));
    }
}

/// <summary>
/// The voice (Twilio) webhooks with mutated form posts that are correctly signed, so each mutation reaches past the
/// signature check into the mapper, the pipeline and the call ledger: never a 5xx.
/// </summary>
public sealed class VoiceWebhookFuzzTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private static readonly string[] BadValues =
    [
        "", "-1", "99999999999999999999", "client:Anonymous", "sip:alice@example.test", "+", "+0", "https://evil.test/rec",
        "completed", "no-answer", "in-progress", "𝄞 Анна", new string('9', 70), new string('x', 5000), "'; drop table users; --", " ",
    ];

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Sign(string token, string url, IReadOnlyDictionary<string, string> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }
        return Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data.ToString())));
    }

    [Fact]
    public async Task Mutated_signed_forms_on_the_voice_webhooks_are_never_a_5xx()
    {
        const string token = "0123456789abcdef0123456789abcdef";
        const string account = "AC0123456789abcdef0123456789abcdef";
        var channel = await fixture.CreateChannelAsync("voice", "Fuzz line", new JsonObject
        {
            ["accountSid"] = account, ["authToken"] = token, ["phoneNumber"] = "+14155550100", ["publicWebhookUrl"] = "https://cc.example.test",
            ["recordCalls"] = true, ["ringStrategy"] = "sequential", ["apiBaseUrl"] = "http://127.0.0.1:9",
        });
        var id = channel["id"]!.GetValue<long>();
        var voiceUrl = channel["public"]!["voiceUrl"]!.GetValue<string>();
        var steps = new (string Step, string? Query)[]
        {
            ("", null), ("/dial", "next=1"), ("/answered", "user=1"), ("/status", null), ("/recording", null), ("/outbound", "to=%2B14155550123"),
        };
        var seed = new Dictionary<string, string>
        {
            ["AccountSid"] = account, ["CallSid"] = "CA0123456789abcdef0123456789abcdef", ["ParentCallSid"] = "CA0123456789abcdef0123456789abcdef",
            ["From"] = "+14155550123", ["To"] = "+14155550100", ["CallStatus"] = "ringing", ["Direction"] = "inbound", ["CallDuration"] = "12",
            ["DialCallStatus"] = "no-answer", ["DialCallDuration"] = "3", ["AnsweredBy"] = "human", ["RecordingSid"] = "RE0123456789abcdef0123456789abcdef",
            ["RecordingUrl"] = $"https://api.twilio.com/2010-04-01/Accounts/{account}/Recordings/RE0123456789abcdef0123456789abcdef",
            ["RecordingStatus"] = "completed", ["CallerName"] = "Anna",
        };
        var random = new Random(20261203);
        using var http = fixture.App.Http();
        var failures = new List<string>();
        var answered = new Dictionary<string, HashSet<int>>();
        foreach (var (step, query) in steps)
        {
            answered[step] = [];
            for (var i = 0; i < 60; i++)
            {
                var fields = new Dictionary<string, string>(seed);
                for (var n = i == 0 ? 0 : random.Next(1, 4); n > 0; n--)
                {
                    var key = fields.Keys.ElementAt(random.Next(fields.Count));
                    if (random.Next(4) == 0)
                    {
                        fields.Remove(key);
                    }
                    else
                    {
                        fields[key] = BadValues[random.Next(BadValues.Length)];
                    }
                }
                var signedUrl = voiceUrl + step + (query is null ? "" : "?" + query);
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/voice/{id}{step}" + (query is null ? "" : "?" + query))
                {
                    Content = new FormUrlEncodedContent(fields),
                };
                request.Headers.TryAddWithoutValidation("X-Twilio-Signature", Sign(token, signedUrl, fields));
                var response = await http.SendAsync(request);
                answered[step].Add((int)response.StatusCode);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || text.Contains("   at ", StringComparison.Ordinal))
                {
                    failures.Add($"{step} {(int)response.StatusCode} for {string.Join("&", fields.Select(f => f.Key + "=" + f.Value[..Math.Min(40, f.Value.Length)]))}: {text[..Math.Min(300, text.Length)]}");
                }
            }
        }

        Assert.Empty(failures);
        // The unmutated first post of every step is accepted: the fuzzer reached past the signature check.
        Assert.All(answered, a => Assert.Contains(a.Value, code => code is >= 200 and < 300));
    }
}
