using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Demo;

/// <summary>Runs the demo after start-up: see <see cref="DemoExtensions"/>.</summary>
public sealed class DemoService(
    IOptions<DemoOptions> options, NpgsqlDataSource db, IServer server, IHostApplicationLifetime lifetime,
    IHttpClientFactory httpClients, ILogger<DemoService> logger) : BackgroundService
{
    public const string HttpClientName = "demo";
    public const string ChannelName = "Simulated customers";

    private static readonly (string Id, string Name, string Email)[] Customers =
    [
        ("sim-anna", "Anna Petrova", "anna@example.com"), ("sim-ben", "Ben Carter", "ben@example.com"),
        ("sim-chloe", "Chloé Martin", "chloe@example.com"), ("sim-dmitry", "Dmitry Ivanov", "dmitry@example.com"),
        ("sim-emma", "Emma Johnson", "emma@example.com"), ("sim-farid", "Farid Aliyev", "farid@example.com"),
        ("sim-grace", "Grace Lee", "grace@example.com"), ("sim-hugo", "Hugo Weber", "hugo@example.com"),
    ];

    private static readonly string[] Openers =
    [
        "Hi! Do you deliver to Berlin?", "Hello, I'd like a quote for 20 licences.", "Здравствуйте! Сколько стоит доставка в Казань?",
        "My order #4411 hasn't arrived yet.", "Can I change the shipping address on my order?", "Do you have the blue one in size M?",
        "Добрый день, можно счёт на юрлицо?", "Is there a discount for annual billing?",
    ];

    private static readonly string[] FollowUps =
    [
        "Any news?", "Also, can you send it by Friday?", "Thanks, that helps!", "Спасибо! А оплата картой возможна?",
        "Great, please go ahead.", "Could you call me instead?", "One more question: is there a warranty?",
    ];

    private readonly Random random = new();
    private Uri? baseAddress;
    private long channelId;

    public string Secret { get; } = "demo-simulator-secret-" + Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        try
        {
            baseAddress = OwnAddress();
            channelId = await EnsureChannelAsync(stoppingToken);
            if (options.Value.SeedConversations)
            {
                await SeedConversationsAsync(stoppingToken);
            }
            if (options.Value.Simulate)
            {
                logger.LogInformation("Simulating customers on channel {ChannelId} every ~{Seconds}s", channelId, options.Value.IntervalSeconds);
                await SimulateAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The demo stopped");
        }
    }

    /// <summary>A reply reached the simulated customer: sometimes they answer a few seconds later.</summary>
    public void CustomerReadsReply(string contactId)
    {
        if (!options.Value.Simulate || random.NextDouble() > 0.5)
        {
            return;
        }
        var customer = Customers.FirstOrDefault(c => c.Id == contactId);
        if (customer.Id is null)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3 + random.Next(5)), lifetime.ApplicationStopping);
            await PostAsync(customer, FollowUps[random.Next(FollowUps.Length)], lifetime.ApplicationStopping);
        });
    }

    private Uri OwnAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        address = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        return new Uri(address);
    }

    /// <summary>The api channel the simulator writes through; its callback points back at this app (the port may change).</summary>
    private async Task<long> EnsureChannelAsync(CancellationToken ct)
    {
        var settings = new JsonObject { ["secret"] = Secret, ["callbackUrl"] = new Uri(baseAddress!, DemoExtensions.CallbackPath).ToString() };
        await using var connection = await db.OpenConnectionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "update channels set settings = settings || @settings::jsonb, updated_at = now() where kind = 'api' and name = @name returning id",
            new { settings = settings.ToJsonString(), name = ChannelName }, cancellationToken: ct));
        id ??= await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "insert into channels (kind, name, settings) values ('api', @name, @settings::jsonb) returning id",
            new { settings = settings.ToJsonString(), name = ChannelName }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into channel_members (channel_id, user_id) select @id, u.id from users u where u.is_active on conflict do nothing",
            new { id }, cancellationToken: ct));
        return id.Value;
    }

    private async Task SeedConversationsAsync(CancellationToken ct)
    {
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from conversations)", cancellationToken: ct)))
            {
                return;
            }
        }
        for (var i = 0; i < 4; i++)
        {
            await PostAsync(Customers[i], Openers[i], ct);
            if (i % 2 == 0)
            {
                await PostAsync(Customers[i], FollowUps[i], ct);
            }
        }
        logger.LogInformation("Seeded 4 sample conversations through {Channel}", ChannelName);
    }

    private async Task SimulateAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var wait = options.Value.IntervalSeconds * (0.6 + random.NextDouble() * 0.8);
            await Task.Delay(TimeSpan.FromSeconds(wait), ct);
            var customer = Customers[random.Next(Customers.Length)];
            var text = random.NextDouble() < 0.5 ? Openers[random.Next(Openers.Length)] : FollowUps[random.Next(FollowUps.Length)];
            await PostAsync(customer, text, ct);
        }
    }

    /// <summary>Through the real inbound route, signed with the channel secret, as an integration would.</summary>
    private async Task PostAsync((string Id, string Name, string Email) customer, string text, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            externalId = "sim-" + Guid.NewGuid().ToString("N"),
            contact = new { externalId = customer.Id, name = customer.Name, email = customer.Email },
            text,
        }, JsonSerializerOptions.Web);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress!, $"/api/inbound/{channelId}"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(ApiSignature.Header, ApiSignature.Compute(Secret, body));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Simulated message was refused: {Status}", (int)response.StatusCode);
            }
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "Simulated message could not be posted");
        }
    }

}
