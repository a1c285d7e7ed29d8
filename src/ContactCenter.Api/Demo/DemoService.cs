using System.Text.Json;
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

    /// <summary>The demo channel's secret: signs what the simulator posts and checks the replies it gets back.</summary>
    public string Secret { get; private set; } = "";

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
            if (await FindChannelAsync(stoppingToken) is not { } found)
            {
                logger.LogWarning("The demo needs an enabled api channel with a secret; there is none");
                return;
            }
            channelId = found;
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

    /// <summary>
    /// The demo writes through the first enabled api channel (the seeded "Demo API"), signed with its secret. Its
    /// replies are delivered back to this app (the port may change between runs), unless it has a callback of its own.
    /// </summary>
    private async Task<long?> FindChannelAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var channel = await connection.QuerySingleOrDefaultAsync<(long Id, string? Secret, string? CallbackUrl)>(new CommandDefinition("""
            select id, settings ->> 'secret' as secret, settings ->> 'callbackUrl' as callback_url from channels
            where kind = 'api' and enabled order by (name = @name) desc, id limit 1
            """, new { name = options.Value.ChannelName }, cancellationToken: ct));
        if (channel.Id == 0 || string.IsNullOrEmpty(channel.Secret))
        {
            return null;
        }
        Secret = channel.Secret;
        if (channel.CallbackUrl is null || channel.CallbackUrl.Contains(DemoExtensions.CallbackPath, StringComparison.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update channels set settings = jsonb_set(settings, '{callbackUrl}', to_jsonb(@url::text)), updated_at = now() where id = @id",
                new { id = channel.Id, url = new Uri(baseAddress!, DemoExtensions.CallbackPath).ToString() }, cancellationToken: ct));
        }
        return channel.Id;
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
        logger.LogInformation("Seeded 4 sample conversations through channel {ChannelId}", channelId);
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
