using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

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

internal static class FuzzMutations
{
    public static string Mutate(string seed, Random random, int i) => FuzzTests.Mutate(seed, random, i);
}
