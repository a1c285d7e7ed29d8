using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContactCenter.Benchmarks.Helpers;

/// <summary>
/// The ceilings' own tiny Kestrel app, run as a separate process like the app (with the app's workstation GC):
/// `POST /echo` reads and parses a JSON body; `POST /insert` does the same plus one Npgsql INSERT;
/// `/hubs/bare` is an empty SignalR hub and `POST /broadcast` sends one event to all of its connections;
/// `POST /fanout` sends what the app sends for one inbound message in the worst case (messageCreated,
/// conversationUpdated and countersChanged, payloads of the app's size) to all of them.
/// It also answers the Bot API calls a Telegram channel makes when it is saved (getMe), so that the
/// benchmark's Telegram channel needs no outside network.
/// </summary>
public static class BareServer
{
    public sealed record Body(string? ExternalId, Contact? Contact, string? Text, DateTimeOffset? SentAt);

    public sealed record Contact(string? ExternalId, string? Name);

    public sealed class BareHub : Hub;

    public sealed record FanOut(long Seq, string ExternalId, string? Text);

    public static async Task<int> RunAsync(string[] args)
    {
        var port = args[Array.IndexOf(args, "--port") + 1];
        var pg = args[Array.IndexOf(args, "--pg") + 1];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR();
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(pg).Build());
        var app = builder.Build();

        app.MapGet("/ready", () => Results.Ok());
        app.MapPost("/echo", async (HttpRequest request, CancellationToken ct) =>
        {
            var body = await request.ReadFromJsonAsync<Body>(ct);
            return body?.ExternalId is null ? Results.BadRequest() : Results.Json(new { ok = true, body.ExternalId });
        });
        app.MapPost("/insert", async (HttpRequest request, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var body = await request.ReadFromJsonAsync<Body>(ct);
            if (body?.ExternalId is null)
            {
                return Results.BadRequest();
            }
            await using var cmd = db.CreateCommand("insert into bench_messages (external_id, conversation_id, text) values ($1, $2, $3)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = body.ExternalId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (long)(body.ExternalId.GetHashCode() & 0xFFFF) });
            cmd.Parameters.Add(new NpgsqlParameter { Value = body.Text ?? "" });
            await cmd.ExecuteNonQueryAsync(ct);
            return Results.Json(new { ok = true, body.ExternalId });
        });
        app.MapHub<BareHub>("/hubs/bare");
        // The size of the app's `countersChanged`: one step on a user's chain (two versions, seven differences).
        var countersStep = new
        {
            version = "00000000001234560000001764850000", from = "00000000001234500000001764849000",
            changes = new { unreadConversations = 1, unreadMessages = 1, mine = 0, unassigned = 1, overdueActivities = 0, activitiesDueToday = 0, dealsWithoutActivity = 0 },
        };
        app.MapPost("/broadcast", async (IHubContext<BareHub> hub) =>
        {
            await hub.Clients.All.SendAsync("countersChanged", countersStep);
            return Results.Ok();
        });
        app.MapPost("/fanout", async (FanOut f, IHubContext<BareHub> hub) =>
        {
            var now = DateTimeOffset.UtcNow;
            var conversationId = 1_000_000 + f.Seq % 1000;
            var sender = new { type = "contact", id = 2_000_000 + f.Seq % 1000, name = "Customer " + f.Seq % 1000 };
            await hub.Clients.All.SendAsync("messageCreated", new
            {
                id = f.Seq, conversationId, direction = "inbound", text = f.Text, html = (string?)null, sender, status = "received",
                externalId = f.ExternalId, replyToId = (long?)null, metadata = new { }, createdAt = now, attachments = Array.Empty<object>(),
            });
            await hub.Clients.All.SendAsync("conversationUpdated", new
            {
                id = conversationId, channel = new { id = 1, kind = "api", name = "Bench push (api)" }, contact = sender, status = "open",
                assignee = (object?)null, lastMessage = new { id = f.Seq, text = f.Text, direction = "inbound", createdAt = now },
                unreadCount = 1, waitingSince = now, lastActivityAt = now, labels = Array.Empty<object>(), leadId = (long?)null, dealId = (long?)null,
            });
            await hub.Clients.All.SendAsync("countersChanged", countersStep);
            return Results.Ok();
        });
        // Bot API stand-in: getMe describes a bot, every other method succeeds.
        app.MapPost("/bot{token}/{method}", (string method) => method.Equals("getMe", StringComparison.OrdinalIgnoreCase)
            ? Results.Json(new { ok = true, result = new { id = 123456789, is_bot = true, first_name = "Bench", username = "bench_bot" } })
            : Results.Json(new { ok = true, result = true }));
        await app.RunAsync();
        return 0;
    }
}
