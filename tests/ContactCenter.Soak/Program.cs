using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Npgsql;

// Soak: load with a fault injected every minute (SIGKILL of the app, PostgreSQL cut, Redis cut, the reply
// receiver failing), for as long as asked; then prints what was sent, stored and delivered, and any difference.
var minutes = args.SkipWhile(a => a != "--minutes").Skip(1).Select(double.Parse).FirstOrDefault(10);
var rate = args.SkipWhile(a => a != "--rate").Skip(1).Select(int.Parse).FirstOrDefault(20);
var database = await TestEnvironment.CreateDatabaseAsync();
var pg = new NpgsqlConnectionStringBuilder(database);
await using var pgProxy = new TcpProxy("127.0.0.1", pg.Port);
var redisParts = TestEnvironment.Redis.Split(':');
await using var redisProxy = new TcpProxy(redisParts[0], int.Parse(redisParts[1]));
var appDb = new NpgsqlConnectionStringBuilder(database) { Port = pgProxy.Port, Timeout = 3, CommandTimeout = 10 }.ConnectionString;
await using var app = new AppProcess(appDb, new Dictionary<string, string>
{
    ["ConnectionStrings__Redis"] = $"127.0.0.1:{redisProxy.Port},connectTimeout=1000,asyncTimeout=2000",
    ["Outbox__MaxAttempts"] = "40",
    ["Outbox__MaxDelay"] = "00:00:05",
});
var receiver = new Receiver();
receiver.Start();
await app.StartAsync();
Console.WriteLine($"soak: {minutes} min at ~{rate} inbound/s; app {app.BaseAddress}; receiver {receiver.Url}");

string admin;
long channelId;
const string secret = "soak-secret-0123456789abcdef";
using (var http = app.Http())
{
    var login = await http.PostAsJsonAsync("/api/auth/login", new { email = "admin@test.local", password = "admin-password-1" });
    admin = (await login.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
    http.DefaultRequestHeaders.Authorization = new("Bearer", admin);
    var channel = await http.PostAsJsonAsync("/api/channels", new { kind = "api", name = "Soak", settings = new { secret, callbackUrl = receiver.Url } });
    channelId = (await channel.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
}

var end = DateTime.UtcNow.AddMinutes(minutes);
var sent = new ConcurrentDictionary<string, bool>();
var replies = new ConcurrentDictionary<string, bool>();
long acknowledged = 0;
var faults = new List<string>();

async Task<bool> Retry(Func<Task<HttpResponseMessage>> call, HttpStatusCode expected)
{
    for (var attempt = 0; attempt < 600; attempt++)
    {
        try
        {
            using var response = await call();
            if (response.StatusCode == expected)
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
        }
        await Task.Delay(200);
    }
    return false;
}

var inbound = Task.Run(async () =>
{
    var n = 0;
    var senders = new List<Task>();
    while (DateTime.UtcNow < end)
    {
        var id = $"soak-{n}";
        var customer = $"customer-{n % 50}";
        n++;
        sent[id] = true;
        senders.Add(Task.Run(async () =>
        {
            var body = Encoding.UTF8.GetBytes(AppFixture.InboundBody(id, customer, $"message {id}"));
            using var http = app.Http(timeout: TimeSpan.FromSeconds(5));
            if (await Retry(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inbound/{channelId}") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add(ApiSignature.Header, ApiSignature.Compute(secret, body));
                return http.SendAsync(request);
            }, HttpStatusCode.Accepted))
            {
                Interlocked.Increment(ref acknowledged);
            }
        }));
        await Task.Delay(1000 / rate);
    }
    await Task.WhenAll(senders);
});

var outbound = Task.Run(async () =>
{
    var n = 0;
    while (DateTime.UtcNow < end)
    {
        await Task.Delay(1000);
        long? conversation;
        try
        {
            await using var db = new NpgsqlConnection(database);
            conversation = await db.ExecuteScalarAsync<long?>("select id from conversations order by random() limit 1");
        }
        catch (NpgsqlException)
        {
            continue;
        }
        if (conversation is null)
        {
            continue;
        }
        var key = $"reply-{n++}";
        using var http = app.Http(admin, TimeSpan.FromSeconds(5));
        if (await Retry(() => http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = key, clientMessageId = key }), HttpStatusCode.Accepted))
        {
            replies[key] = true;
        }
    }
});

var injector = Task.Run(async () =>
{
    var round = 0;
    while (DateTime.UtcNow.AddSeconds(60) < end)
    {
        await Task.Delay(TimeSpan.FromSeconds(45));
        var fault = (round++ % 4) switch { 0 => "SIGKILL app", 1 => "PostgreSQL cut 15 s", 2 => "Redis cut 15 s", _ => "receiver 500s for 20 s" };
        Console.WriteLine($"soak: {DateTime.UtcNow:HH:mm:ss} fault: {fault} (acknowledged so far {Interlocked.Read(ref acknowledged)})");
        faults.Add(fault);
        switch (fault)
        {
            case "SIGKILL app":
                app.Kill();
                await Task.Delay(1000);
                await app.StartAsync();
                break;
            case "PostgreSQL cut 15 s":
                pgProxy.Stop();
                await Task.Delay(TimeSpan.FromSeconds(15));
                pgProxy.Start();
                break;
            case "Redis cut 15 s":
                redisProxy.Stop();
                await Task.Delay(TimeSpan.FromSeconds(15));
                redisProxy.Start();
                break;
            default:
                receiver.Failing = true;
                await Task.Delay(TimeSpan.FromSeconds(20));
                receiver.Failing = false;
                break;
        }
    }
});

var progress = Stopwatch.StartNew();
while (!inbound.IsCompleted)
{
    await Task.Delay(TimeSpan.FromSeconds(15));
    Console.WriteLine($"soak: {progress.Elapsed:mm\\:ss} sent {sent.Count}, acknowledged {Interlocked.Read(ref acknowledged)}, replies {replies.Count}");
}
await Task.WhenAll(inbound, outbound, injector);

// Let the outbox drain.
await using var check = new NpgsqlConnection(database);
var drainUntil = DateTime.UtcNow.AddSeconds(90);
while (DateTime.UtcNow < drainUntil && await check.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'outbound' and status = 'queued'") > 0)
{
    await Task.Delay(500);
}
var stored = await check.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'inbound'");
var distinct = await check.ExecuteScalarAsync<long>("select count(distinct external_id) from messages where direction = 'inbound'");
var storedIds = (await check.QueryAsync<string>("select external_id from messages where direction = 'inbound'")).ToHashSet();
var lost = sent.Keys.Count(k => !storedIds.Contains(k));
var outboundStates = (await check.QueryAsync<(string Status, long Count)>("select status, count(*) from messages where direction = 'outbound' group by status")).ToDictionary(r => r.Status, r => r.Count);
var delivered = receiver.Keys.Keys.Count;
var deliveredTwice = receiver.Keys.Count(k => k.Value > 1);
var outboundIds = (await check.QueryAsync<long>("select id from messages where direction = 'outbound' and status = 'sent'")).Select(id => $"message-{id}").ToHashSet();
var sentNotDelivered = outboundIds.Count(id => !receiver.Keys.ContainsKey(id));

Console.WriteLine();
Console.WriteLine($"| what | count |");
Console.WriteLine($"|---|---|");
Console.WriteLine($"| faults injected | {faults.Count} ({string.Join(", ", faults.Distinct())}) |");
Console.WriteLine($"| inbound sent (unique) | {sent.Count} |");
Console.WriteLine($"| inbound acknowledged | {acknowledged} |");
Console.WriteLine($"| inbound stored | {stored} |");
Console.WriteLine($"| inbound lost (sent, not stored) | {lost} |");
Console.WriteLine($"| inbound stored twice | {stored - distinct} |");
Console.WriteLine($"| replies accepted | {replies.Count} |");
Console.WriteLine($"| replies by status | {string.Join(", ", outboundStates.Select(s => $"{s.Key} {s.Value}"))} |");
Console.WriteLine($"| replies delivered (unique Idempotency-Key) | {delivered} |");
Console.WriteLine($"| replies marked sent but never received | {sentNotDelivered} |");
Console.WriteLine($"| replies received twice (same key; a send cut mid-flight) | {deliveredTwice} |");
var ok = lost == 0 && stored == distinct && acknowledged == sent.Count && sentNotDelivered == 0
    && outboundStates.GetValueOrDefault("queued") == 0 && replies.Count == outboundStates.Values.Sum();
Console.WriteLine(ok ? "soak: OK — nothing lost, nothing stored twice" : "soak: DIFFERENCES FOUND");
receiver.Stop();
return ok ? 0 : 1;

/// <summary>The integration's callback: records each Idempotency-Key, fails on demand.</summary>
internal sealed class Receiver
{
    private readonly HttpListener listener = new();

    public Receiver()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/hook/";
        probe.Stop();
        listener.Prefixes.Add(Url);
    }

    public string Url { get; }

    public volatile bool Failing;

    public ConcurrentDictionary<string, int> Keys { get; } = new();

    public void Start()
    {
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception)
                {
                    return;
                }
                if (Failing)
                {
                    context.Response.StatusCode = 500;
                }
                else
                {
                    Keys.AddOrUpdate(context.Request.Headers["Idempotency-Key"] ?? "none", 1, (_, n) => n + 1);
                    context.Response.StatusCode = 200;
                }
                context.Response.Close();
            }
        });
    }

    public void Stop() => listener.Stop();
}
