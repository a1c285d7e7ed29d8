using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactCenter.Core;
using ContactCenter.Core.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
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
        long channelId, HttpRequest request, IChannelDirectory channels, TelegramUpdateProcessor processor, ILoggerFactory loggers, CancellationToken ct)
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
        var body = await RawBody.ReadAsync(request.Body, request.ContentLength, ct);
        if (body is null)
        {
            return TypedResults.Problem("The request body is larger than 1 MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(body, JsonBotAPI.Options);
        }
        // Telegram.Bot's converters throw their own exceptions for values of the right JSON type out of range (a `date`
        // past year 9999 is an ArgumentOutOfRangeException), not only JsonException.
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or OverflowException)
        {
            return TypedResults.Problem("The request body is not a valid Telegram update (JSON).", statusCode: StatusCodes.Status400BadRequest);
        }
        if (update is null || update.Id <= 0)
        {
            return TypedResults.Problem("The request body is not a Telegram update (it has no update_id).", statusCode: StatusCodes.Status400BadRequest);
        }
        if (!IsWellFormed(update.Message) || !IsWellFormed(update.EditedMessage) || !IsWellFormed(update.ChannelPost) || !IsWellFormed(update.EditedChannelPost))
        {
            return TypedResults.Problem("The update's message lacks fields Telegram always sends (message_id, chat).", statusCode: StatusCodes.Status400BadRequest);
        }
        try
        {
            await processor.ProcessAsync(channel, update, Encoding.UTF8.GetString(body), ct);
        }
        catch (Exception ex) when (ex is NullReferenceException or ArgumentException or InvalidCastException or FormatException)
        {
            // A shape Telegram never sends (found by fuzzing): refuse it plainly; nothing was stored.
            loggers.CreateLogger("ContactCenter.Connectors.Telegram.Webhook").LogWarning("Telegram channel {ChannelId}: refused a malformed update {UpdateId}: {Error}", channelId, update.Id, ex.Message);
            return TypedResults.Problem("The update is not shaped like a Telegram update.", statusCode: StatusCodes.Status400BadRequest);
        }
        // An empty 200: Telegram would read a JSON body as a Bot API call to make.
        return TypedResults.Ok();
    }

    private static bool IsWellFormed(Message? m) =>
        m is null || (m.Chat is not null && m.Id > 0 && (m.ReplyToMessage is null || m.ReplyToMessage.Chat is not null));

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
