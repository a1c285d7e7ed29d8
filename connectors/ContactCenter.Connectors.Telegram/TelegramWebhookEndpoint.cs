using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactCenter.Connectors.Api;
using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ContactCenter.Connectors.Telegram;

/// <summary>`POST /webhooks/telegram/{channelId}`: a Bot API `Update`, answered 200 only once it is stored.</summary>
public static class TelegramWebhookEndpoint
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/telegram/{channelId:long}", Receive).AllowAnonymous().RequireRateLimiting("webhooks");
        return app;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> Receive(
        long channelId, HttpRequest request, IChannelDirectory channels, TelegramUpdateProcessor processor, CancellationToken ct)
    {
        var channel = await channels.FindAsync(channelId, ct);
        if (channel is null || channel.Kind != ChannelKinds.Telegram)
        {
            return TypedResults.Problem("There is no Telegram channel with this id.", statusCode: StatusCodes.Status404NotFound);
        }
        if (!SecretMatches(channel.Setting("webhookSecret"), request.Headers[SecretHeader]))
        {
            return TypedResults.Problem($"The {SecretHeader} header is missing or wrong.", statusCode: StatusCodes.Status401Unauthorized);
        }
        if (!channel.Enabled)
        {
            return TypedResults.Problem("This Telegram channel is disabled; updates are not accepted.", statusCode: StatusCodes.Status403Forbidden);
        }
        var body = await RawBody.ReadAsync(request, ct);
        if (body is null)
        {
            return TypedResults.Problem("The request body is larger than 1 MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(body, JsonBotAPI.Options);
        }
        catch (JsonException)
        {
            return TypedResults.Problem("The request body is not a valid Telegram update (JSON).", statusCode: StatusCodes.Status400BadRequest);
        }
        if (update is null || update.Id <= 0)
        {
            return TypedResults.Problem("The request body is not a Telegram update (it has no update_id).", statusCode: StatusCodes.Status400BadRequest);
        }
        await processor.ProcessAsync(channel, update, Encoding.UTF8.GetString(body), ct);
        // An empty 200: Telegram would read a JSON body as a Bot API call to make.
        return TypedResults.Ok();
    }

    /// <summary>Constant time: both sides are hashed first, so neither the content nor the length leaks through timing.</summary>
    public static bool SecretMatches(string? expected, string? given)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(given))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
    }
}
