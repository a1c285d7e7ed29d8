using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>An app whose database is empty when it starts: it applies every migration itself.</summary>
public class EmptyDatabaseFixture : AppFixture
{
    protected override Task<string> CreateDatabaseAsync() => TestEnvironment.CreateDatabaseAsync();
}

/// <summary>A real app on a real port over its own PostgreSQL database and the shared Redis; reset by truncation between tests.</summary>
public class AppFixture : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Postgres { get; private set; } = "";

    public AppNode App { get; private set; } = null!;

    protected virtual bool UseRedis => true;

    /// <summary>The host environment the app runs in ("Testing" unless a fixture needs production behaviour).</summary>
    protected virtual string HostEnvironment => "Testing";

    /// <summary>
    /// The app's database: by default a fresh, already migrated one on the shared test server (a fixture may start from an
    /// empty one, <see cref="EmptyDatabaseFixture"/>, or bring its own server).
    /// </summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestEnvironment.CreateMigratedDatabaseAsync();

    public virtual async Task InitializeAsync()
    {
        Postgres = await CreateDatabaseAsync();
        App = new AppNode(Postgres, UseRedis ? TestEnvironment.Redis : null, ExtraSettings(), HostEnvironment, services: ConfigureServices);
        await EnsureAdminAsync();
    }

    /// <summary>
    /// One Redis serves every test process at once: each app gets its own backplane channels and its own rate-limit
    /// counters (a widget test in one assembly must not spend the per-IP budget of another's — all come from 127.0.0.1).
    /// </summary>
    protected virtual IDictionary<string, string?> ExtraSettings()
    {
        var prefix = "cc-test-" + Guid.NewGuid().ToString("N")[..8];
        return new Dictionary<string, string?>
        {
            ["Realtime:ChannelPrefix"] = prefix,
            ["WebChat:RedisPrefix"] = prefix,
            ["Sla:ScanInterval"] = "00:00:00.200",
        };
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Creates a channel of any kind with the given settings (admin).</summary>
    public async Task<JsonObject> CreateChannelAsync(string kind, string name, JsonObject settings)
    {
        using var http = App.Http(AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new { kind, name, settings });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public virtual async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    public NpgsqlConnection Db() => new(Postgres);

    /// <summary>A conversation's assignee once it is <paramref name="expected"/>, or as it is after 10 s (routing runs after the request that caused it).</summary>
    public async Task<long?> AssigneeSoonAsync(long conversationId, long? expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long? actual;
        do
        {
            await using var db = Db();
            actual = await db.ExecuteScalarAsync<long?>("select assignee_id from conversations where id = @conversationId", new { conversationId });
            if (actual == expected)
            {
                break;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return actual;
    }

    /// <summary>The file on disk behind an attachment row.</summary>
    public async Task<string> StoredFileAsync(long attachmentId)
    {
        await using var db = Db();
        var path = await db.ExecuteScalarAsync<string>("select storage_path from attachments where id = @attachmentId", new { attachmentId });
        return Path.Combine(TestKeys.FilesDir, path!);
    }

    /// <summary>Empties every table the tests write, keeps the migrated schema and the seeded pipeline.</summary>
    public async Task ResetAsync()
    {
        // As `truncate ... restart identity cascade`, written as deletes (TableWipe: a truncate made ~150 files each time).
        await RetryResetAsync(db => TableWipe.WipeAsync(db,
            ["outbox", "timeline_entries", "conversation_reads", "attachments", "messages", "conversations", "activities",
             "deals", "leads", "contact_identities", "contacts", "channel_members", "channels", "users", "login_throttle"],
            """update app_settings set value = '{"mode": "classic"}' where key = 'crm';"""));
        await EnsureAdminAsync();
    }

    /// <summary>
    /// Runs a test's reset SQL (truncates) while the app's background workers (outbox, schedulers, automation) touch the
    /// same tables: a truncate can meet them in a deadlock, which PostgreSQL resolves by cancelling one side — ours is
    /// simply tried again.
    /// </summary>
    public Task ExecuteResetAsync(string sql) => RetryResetAsync(db => db.ExecuteAsync(sql));

    private async Task RetryResetAsync(Func<NpgsqlConnection, Task> reset)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = Db();
                await db.OpenAsync();
                await reset(db);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable && attempt < 8)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    public string AdminToken { get; private set; } = "";

    // The admin's password hash, made once per test process: PBKDF2 is slow on purpose, and every reset inserts the admin again.
    private static string? adminPasswordHash;

    private async Task EnsureAdminAsync()
    {
        var hash = adminPasswordHash ??= App.Services.GetRequiredService<ContactCenter.Api.Auth.PasswordHashing>().Hash("admin-password-1");
        await using (var db = Db())
        {
            await db.ExecuteAsync("insert into users (email, name, role, password_hash) values ('admin@test.local', 'Admin', 'admin', @hash) on conflict do nothing",
                new { hash });
        }
        AdminToken = await LoginAsync("admin@test.local", "admin-password-1");
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        using var http = App.Http();
        var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["accessToken"]!.GetValue<string>();
    }

    public sealed record TestUser(long Id, string Email, string Token);

    public async Task<TestUser> CreateUserAsync(string name, string role, params long[] channelIds)
    {
        using var http = App.Http(AdminToken);
        var email = $"{name}@test.local";
        var response = await http.PostAsJsonAsync("/api/users", new { email, name, role, password = "password-1234", channelIds });
        response.EnsureSuccessStatusCode();
        var user = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new TestUser(user!["id"]!.GetValue<long>(), email, await LoginAsync(email, "password-1234"));
    }

    public sealed record ApiChannel(long Id, string Secret);

    public async Task<ApiChannel> CreateApiChannelAsync(string? callbackUrl = null, string name = "Integration")
    {
        using var http = App.Http(AdminToken);
        var secret = "test-secret-" + Guid.NewGuid().ToString("N");
        var settings = new JsonObject { ["secret"] = secret };
        if (callbackUrl is not null)
        {
            settings["callbackUrl"] = callbackUrl;
        }
        var response = await http.PostAsJsonAsync("/api/channels", new { kind = "api", name, settings });
        response.EnsureSuccessStatusCode();
        var channel = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new ApiChannel(channel!["id"]!.GetValue<long>(), secret);
    }

    public static string InboundBody(string externalId, string contactId, string text, string? name = null, string? email = null) =>
        JsonSerializer.Serialize(new { externalId, contact = new { externalId = contactId, name, email }, text }, Json);

    /// <summary>Posts to the api channel's inbound route, signed like a real integration.</summary>
    public async Task<HttpResponseMessage> PostInboundAsync(ApiChannel channel, string body, string? signature = null, AppNode? node = null)
    {
        using var http = (node ?? App).Http();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inbound/{channel.Id}") { Content = content };
        request.Headers.TryAddWithoutValidation(ApiSignature.Header, signature ?? ApiSignature.Compute(channel.Secret, bytes));
        return await http.SendAsync(request);
    }

    public async Task<JsonObject> IngestAsync(ApiChannel channel, string externalId, string contactId, string text, string? name = null)
    {
        var response = await PostInboundAsync(channel, InboundBody(externalId, contactId, text, name));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Uploads a file for a reply as the web app does (multipart, part `file`); returns the raw response.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient http, long conversationId, string fileName, byte[] content, string contentType = "application/octet-stream")
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(part, "file", fileName);
        return await http.PostAsync($"/api/conversations/{conversationId}/attachments", form);
    }

    /// <summary>Uploads a file for a reply and returns its attachment id.</summary>
    public static async Task<long> UploadIdAsync(HttpClient http, long conversationId, string fileName, byte[] content, string contentType = "application/octet-stream")
    {
        var response = await UploadAsync(http, conversationId, fileName, content, contentType);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    /// <param name="configure">Runs before the connection starts (to register handlers that must not miss a push).</param>
    public async Task<HubConnection> ConnectHubAsync(string token, AppNode? node = null, Action<HubConnection>? configure = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri((node ?? App).BaseAddress, "/hubs/inbox"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        CountersFold.Register(connection, (node ?? App).BaseAddress, token);
        configure?.Invoke(connection);
        await connection.StartAsync();
        // The handshake is answered before the hub's OnConnectedAsync joins the user's groups; `Ready` is answered after.
        await connection.InvokeAsync("Ready");
        return connection;
    }

    /// <summary>
    /// A liveness marker instead of a sleep before asserting that something did NOT happen: <paramref name="count"/> whole
    /// rounds of the node's <typeparamref name="TWorker"/> have ended after the call (with 2, one round began after it and saw
    /// the state as it is now), then a round trip on each hub connection given, which arrives after anything pushed before.
    /// </summary>
    public async Task WorkerRoundsAsync<TWorker>(AppNode? node = null, int count = 2, params HubConnection[] hubs)
        where TWorker : ContactCenter.Api.Infrastructure.PollingWorker
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await (node ?? App).Services.GetRequiredService<TWorker>().RoundsAsync(count, timeout.Token);
        foreach (var hub in hubs)
        {
            await hub.InvokeAsync("Ready", timeout.Token);
        }
    }

    public async Task<long> CountAsync(string table)
    {
        await using var db = Db();
        return await db.ExecuteScalarAsync<long>($"select count(*) from {table}");
    }
}
