using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Mutates recorded payloads of the public endpoints thousands of times (signed, so they reach the parsers):
/// never a 5xx, never a stack trace, never a half-stored message; injection strings come back as plain text.
/// </summary>
public sealed class FuzzTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private static readonly string[] Hostile =
    [
        "'; drop table messages; --", "\" OR 1=1 --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
        "\u0000", "\uFFFF", "\uD800", "𝕳𝖊𝖑𝖑𝖔 🙂", "Привет", "%s%s%n", "../../../../etc/passwd", "{{7*7}}", "${jndi:ldap://x}",
        new string('a', 5000), "1e309", "-0", "null", "[]", "{}",
    ];

    private static readonly string[] Seeds =
    [
        """{"externalId":"f-1","contact":{"externalId":"cust","name":"Иван","email":"ivan@example.com","phone":"+79001234567"},"text":"Hello","sentAt":"2026-11-26T10:00:00Z","threadKey":"t1"}""",
        """{"externalId":"f-2","contact":{"externalId":"cust-2"},"text":"Привет 👋"}""",
    ];

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Mutated_inbound_payloads_never_cause_a_5xx_or_a_half_stored_message()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var random = new Random(20261126);
        using var http = fixture.App.Http();
        var failures = new List<string>();
        var accepted = 0;
        for (var i = 0; i < 2000; i++)
        {
            var body = Mutate(Seeds[i % Seeds.Length], random, i);
            var bytes = Encoding.UTF8.GetBytes(body);
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inbound/{channel.Id}") { Content = content };
            request.Headers.TryAddWithoutValidation(ApiSignature.Header, ApiSignature.Compute(channel.Secret, bytes));
            var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500 || text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
            {
                failures.Add($"{(int)response.StatusCode} for {body[..Math.Min(body.Length, 200)]}: {text[..Math.Min(text.Length, 200)]}");
            }
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted++;
            }
        }

        Assert.Empty(failures);
        Assert.True(accepted > 100, $"Only {accepted} mutated payloads were valid: the fuzzer is not reaching the pipeline.");
        await using var db = fixture.Db();
        // Every stored message is whole: in a conversation with a contact, counted, and on a timeline.
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            select count(*) from messages m left join conversations c on c.id = m.conversation_id left join contacts ct on ct.id = c.contact_id
            where c.id is null or ct.id is null
               or not exists (select 1 from timeline_entries t where (t.data ->> 'messageId')::bigint = m.id)
            """));
        Assert.Equal(await db.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'inbound'"),
            await db.ExecuteScalarAsync<long>("select coalesce(sum(inbound_count), 0) from conversations"));
    }

    [Fact]
    public async Task Injection_strings_come_back_as_plain_text()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var texts = Hostile.Where(h => !h.Contains('\u0000') && h != "\uD800" && !string.IsNullOrWhiteSpace(h)).ToList();
        for (var i = 0; i < texts.Count; i++)
        {
            var response = await fixture.PostInboundAsync(channel, AppFixture.InboundBody($"inj-{i}", $"inj-contact-{i}", texts[i], texts[i][..Math.Min(200, texts[i].Length)]));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        using var http = fixture.App.Http(fixture.AdminToken);
        var conversations = await http.GetFromJsonAsync<JsonObject>("/api/conversations?limit=200");
        var returned = new List<string>();
        foreach (var c in conversations!["items"]!.AsArray())
        {
            var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{c!["id"]}/messages");
            returned.AddRange(page!["items"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
            Assert.Null(page["items"]![0]!["html"]?.GetValue<string>());
        }
        Assert.Equal(texts.Order(StringComparer.Ordinal), returned.Order(StringComparer.Ordinal));
        Assert.Equal(texts.Count, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Mutated_logins_are_never_a_5xx()
    {
        var random = new Random(7);
        using var http = fixture.App.Http();
        const string seed = """{"email":"admin@test.local","password":"admin-password-1"}""";
        for (var i = 0; i < 500; i++)
        {
            var body = Mutate(seed, random, i);
            var response = await http.PostAsync("/api/auth/login", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {body}");
        }
    }

    internal static string Mutate(string seed, Random random, int i)
    {
        switch (i % 6)
        {
            case 0:
            {
                var chars = seed.ToCharArray();
                for (var k = 0; k < 1 + random.Next(4); k++)
                {
                    chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                }
                return new string(chars);
            }
            case 1:
                return seed[..random.Next(seed.Length)];
            default:
            {
                var node = JsonNode.Parse(seed)!.AsObject();
                MutateNode(node, random);
                return node.ToJsonString();
            }
        }
    }

    private static void MutateNode(JsonObject node, Random random)
    {
        var keys = node.Select(p => p.Key).ToList();
        var key = keys[random.Next(keys.Count)];
        if (node[key] is JsonObject child && random.Next(2) == 0)
        {
            MutateNode(child, random);
            return;
        }
        node[key] = random.Next(7) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next()),
            2 => new JsonArray(JsonValue.Create("x")),
            3 => new JsonObject { ["nested"] = Hostile[random.Next(Hostile.Length)] },
            4 => JsonValue.Create(true),
            _ => JsonValue.Create(Hostile[random.Next(Hostile.Length)] + random.Next()),
        };
        if (random.Next(4) == 0)
        {
            node["unexpected" + random.Next(100)] = Hostile[random.Next(Hostile.Length)];
        }
    }
}

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

internal static class FuzzMutations
{
    public static string Mutate(string seed, Random random, int i) => FuzzTests.Mutate(seed, random, i);
}

/// <summary>
/// Every route of the app's route table that takes a body (public and authenticated), walked like
/// AuthorizationMatrixTests does, so a new route is fuzzed without being listed: a seed body is built from the
/// route's declared request type, then mutated (wrong types, NULs, huge strings, malformed dates, broken JSON).
/// Never a 5xx, never a stack trace.
/// </summary>
public sealed class RouteTableFuzzTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private static readonly JsonNode?[] BadValues =
    [
        null, JsonValue.Create(-1), JsonValue.Create(1e300), JsonValue.Create(long.MaxValue), JsonValue.Create(true),
        new JsonArray(JsonValue.Create(1)), new JsonObject { ["x"] = "y" }, JsonValue.Create("\u0000nul\u0000"),
        JsonValue.Create(new string('n', 300_000)), JsonValue.Create("2026-13-45T99:99:99Z"), JsonValue.Create("not a date"),
        JsonValue.Create("'; drop table users; --"), JsonValue.Create("\uD800"), JsonValue.Create(""),
    ];

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record BodyRoute(string Method, string Pattern, string Url, bool Anonymous, Type? RequestType);

    private IReadOnlyList<BodyRoute> Routes()
    {
        var routes = new List<BodyRoute>();
        foreach (var endpoint in fixture.App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (pattern.StartsWith("/hubs/", StringComparison.Ordinal)
                || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is not { } methods)
            {
                continue;
            }
            // Another user's id: the admin's own account is never the one a mutated body may change.
            var url = string.Join("/", pattern.Split('/').Select(segment =>
                segment.StartsWith('{') ? (segment.Contains(":long") || segment.Contains(":int") ? "2" : "x") : segment));
            var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            var type = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
            foreach (var method in methods.HttpMethods.Where(m => m is "POST" or "PUT" or "PATCH"))
            {
                routes.Add(new BodyRoute(method, pattern, url.StartsWith('/') ? url : "/" + url, anonymous, type));
            }
        }
        return routes;
    }

    [Fact]
    public async Task Mutated_bodies_on_every_route_that_takes_one_are_never_a_5xx()
    {
        // Something for the routes to find: a conversation, contact and lead (ids 1) and a second user (id 2).
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.PostInboundAsync(channel, AppFixture.InboundBody("fz-1", "fz-contact", "hello", "Fuzz"));
        await fixture.CreateUserAsync("fuzzed", "manager", channel.Id);
        var routes = Routes();
        Assert.True(routes.Count >= 30, $"Only {routes.Count} routes with a body found: the walk is broken.");
        Assert.True(routes.Count(r => r.RequestType is not null) >= 20, "The walk finds no request types.");
        var random = new Random(20261202);
        using var http = fixture.App.Http(fixture.AdminToken);
        using var anonymous = fixture.App.Http();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            // A route that reads its body itself (webhooks, forms) gets a small object to mutate.
            var seed = (route.RequestType is { } type ? SeedOf(type, 0) as JsonObject : null) is { Count: > 0 } typed
                ? typed.ToJsonString() : """{"text":"fuzz","id":1,"at":"2026-12-02T10:00:00Z"}""";
            for (var i = 0; i < 16; i++)
            {
                var body = i % 2 == 0 ? Targeted(seed, random, i / 2) : FuzzMutations.Mutate(seed, random, i);
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                var response = await (route.Anonymous ? anonymous : http).SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || text.Contains("   at ", StringComparison.Ordinal))
                {
                    failures.Add($"{route.Method} {route.Pattern} {(int)response.StatusCode} for {body[..Math.Min(200, body.Length)]}: {text[..Math.Min(300, text.Length)]}");
                }
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>One property (or the body itself) replaced by a hostile value: the types and limits the binder must refuse cleanly.</summary>
    private static string Targeted(string seed, Random random, int i)
    {
        if (JsonNode.Parse(seed) is not JsonObject node || node.Count == 0)
        {
            return BadValues[i % BadValues.Length]?.ToJsonString() ?? "null";
        }
        var key = node.ElementAt(random.Next(node.Count)).Key;
        node[key] = BadValues[i % BadValues.Length]?.DeepClone();
        return node.ToJsonString();
    }

    /// <summary>A plausible value of a request type, camelCase like the app's JSON.</summary>
    private static JsonNode? SeedOf(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "fuzz";
        }
        if (type == typeof(bool))
        {
            return true;
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return 1;
        }
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
        {
            return 1.5;
        }
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return "2026-12-02T10:00:00Z";
        }
        if (type == typeof(TimeSpan))
        {
            return "00:05:00";
        }
        if (typeof(JsonNode).IsAssignableFrom(type) || type == typeof(System.Text.Json.JsonElement) || depth > 3)
        {
            // Never empty: the shared mutator picks a key of every object it descends into.
            return new JsonObject { ["key"] = "fuzz" };
        }
        if (type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)))
        {
            var item = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[^1];
            return new JsonArray(SeedOf(item, depth + 1));
        }
        if (type.IsEnum)
        {
            return Enum.GetNames(type).FirstOrDefault();
        }
        var node = new JsonObject();
        foreach (var property in type.GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            node[char.ToLowerInvariant(property.Name[0]) + property.Name[1..]] = SeedOf(property.PropertyType, depth + 1);
        }
        return node;
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
