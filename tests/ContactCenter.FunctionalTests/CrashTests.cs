using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Npgsql;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The app is SIGKILLed in the middle of a stream of inbound webhooks and outbound replies, then started again.
/// The driver retries like providers do. Afterwards every message is stored exactly once and in order per
/// conversation, and every reply queued before the crash was delivered (a send cut mid-flight may reach the
/// receiver twice, always with the same Idempotency-Key, so the receiver keeps one).
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Sigkill_mid_stream_loses_nothing_and_duplicates_nothing()
    {
        // Already migrated: what is proven is the crash and the restart, not the first start's migrations (MigrationTests).
        var database = await TestEnvironment.CreateMigratedDatabaseAsync();
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromMilliseconds(250)));
        await using var app = new AppProcess(database);
        await app.StartAsync();
        var admin = await LoginAsync(app);
        var secret = "crash-secret-0123456789abcdef";
        long channelId;
        using (var http = app.Http(admin))
        {
            var created = await http.PostAsJsonAsync("/api/channels", new { kind = "api", name = "Crash", settings = new { secret, callbackUrl = receiver.Url + "/hook" } });
            channelId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        }

        // Replies queued before the crash, on a first conversation.
        await PostUntilAcceptedAsync(app, channelId, secret, "seed", "replies-customer", 0);
        long seedConversation;
        await using (var db = new NpgsqlConnection(database))
        {
            seedConversation = await db.ExecuteScalarAsync<long>("select id from conversations");
        }
        using (var http = app.Http(admin))
        {
            for (var i = 0; i < 12; i++)
            {
                (await http.PostAsJsonAsync($"/api/conversations/{seedConversation}/messages", new { text = $"reply {i}", clientMessageId = $"r-{i}" })).EnsureSuccessStatusCode();
            }
        }

        // Three customers write 60 messages each, each customer in order, retrying until acknowledged.
        const int perCustomer = 60;
        var acknowledged = 0;
        var drivers = Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
        {
            for (var n = 1; n <= perCustomer; n++)
            {
                await PostUntilAcceptedAsync(app, channelId, secret, $"c{c}-{n}", $"customer-{c}", n);
                Interlocked.Increment(ref acknowledged);
            }
        })).ToList();
        while (Volatile.Read(ref acknowledged) < 50)
        {
            await Task.Delay(20);
        }
        app.Kill();
        await Task.Delay(500);
        await app.StartAsync();
        await Task.WhenAll(drivers);

        await using var check = new NpgsqlConnection(database);
        Assert.Equal(3 * perCustomer + 1, await check.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'inbound'"));
        Assert.Equal(3 * perCustomer + 1, await check.ExecuteScalarAsync<long>("select count(distinct external_id) from messages where direction = 'inbound'"));
        var sequences = (await check.QueryAsync<(long ConversationId, string Text)>(
            "select conversation_id, text from messages where direction = 'inbound' and external_id like 'c%' order by id")).ToList();
        foreach (var conversation in sequences.GroupBy(s => s.ConversationId))
        {
            var numbers = conversation.Select(s => int.Parse(s.Text.Split(' ')[1])).ToList();
            Assert.Equal(Enumerable.Range(1, perCustomer).ToList(), numbers);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await check.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'outbound' and status = 'sent'") < 12 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal(12, await check.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'outbound' and status = 'sent'"));
        var keys = receiver.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.Equal(12, keys.Distinct().Count());
        Assert.All(keys.GroupBy(k => k), g => Assert.True(g.Count() <= 2, $"{g.Key} was delivered {g.Count()} times"));
    }

    private static async Task<string> LoginAsync(AppProcess app)
    {
        using var http = app.Http();
        var response = await http.PostAsJsonAsync("/api/auth/login", new { email = "admin@test.local", password = "admin-password-1" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
    }

    /// <summary>Like a provider: retry on timeouts, refused connections and any non-2xx until acknowledged.</summary>
    private static async Task PostUntilAcceptedAsync(AppProcess app, long channelId, string secret, string externalId, string customer, int n)
    {
        var body = AppFixture.InboundBody(externalId, customer, $"message {n}");
        var bytes = Encoding.UTF8.GetBytes(body);
        using var http = app.Http(timeout: TimeSpan.FromSeconds(3));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                using var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inbound/{channelId}") { Content = content };
                request.Headers.Add(ApiSignature.Header, ApiSignature.Compute(secret, bytes));
                var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // the app is down or restarting: retry like a provider would
            }
            Assert.True(DateTime.UtcNow < deadline, $"{externalId} was never acknowledged");
            await Task.Delay(100);
        }
    }
}
