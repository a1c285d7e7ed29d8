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

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// `POST /webhooks/vk/{channelId}`: VK's Callback API. `confirmation` is answered with the channel's confirmation code;
/// every other event must carry the channel's secret key and group id, and is answered `ok` (text/plain) only once it
/// is stored: VK sends it again until it reads `ok`.
/// </summary>
public static class VkWebhookEndpoint
{
    public static IEndpointRouteBuilder MapVkWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/vk/{channelId:long}", Receive).AllowAnonymous().RequireRateLimiting("webhooks");
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Receive(
        long channelId, HttpRequest request, IChannelDirectory channels, VkEventProcessor processor, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("ContactCenter.Connectors.Vk.Webhook");
        var channel = await channels.FindAsync(channelId, ct);
        if (channel is null || channel.Kind != ChannelKinds.Vk)
        {
            return TypedResults.Problem("There is no VK channel with this id.", statusCode: StatusCodes.Status404NotFound);
        }
        var body = await RawBody.ReadAsync(request.Body, request.ContentLength, ct);
        if (body is null)
        {
            return TypedResults.Problem("The request body is larger than 1 MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        body = JsonStrings.RepairLoneSurrogates(body);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return TypedResults.Problem("The request body is not valid JSON.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (root.ValueKind != JsonValueKind.Object || root.Str("type") is not { Length: > 0 } type)
        {
            return TypedResults.Problem("The request body is not a Callback API event (it has no type).", statusCode: StatusCodes.Status400BadRequest);
        }
        var settings = VkSettings.From(channel);
        var groupMatches = root.Long("group_id") is { } group && group == settings.GroupId && group > 0;
        if (type == "confirmation")
        {
            if (!groupMatches)
            {
                logger.LogWarning("VK channel {ChannelId}: a confirmation request for another community", channelId);
                return TypedResults.Problem("The confirmation is for another community than this channel's groupId.", statusCode: StatusCodes.Status403Forbidden);
            }
            // VK reads the body as the code: plain text, nothing else.
            return TypedResults.Text(settings.ConfirmationCode, "text/plain", Encoding.UTF8);
        }
        if (!SecretMatches(settings.SecretKey, root.Str("secret")))
        {
            logger.LogWarning("VK channel {ChannelId}: refused an event with a missing or wrong secret", channelId);
            return TypedResults.Problem("The event's secret is missing or does not match the channel's secret key.", statusCode: StatusCodes.Status401Unauthorized);
        }
        if (!groupMatches)
        {
            return TypedResults.Problem("The event is for another community than this channel's groupId.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (!channel.Enabled)
        {
            return TypedResults.Problem("This VK channel is disabled; events are not accepted.", statusCode: StatusCodes.Status403Forbidden);
        }
        VkInbound mapped;
        try
        {
            mapped = VkInboundMapper.Map(channelId, root, Encoding.UTF8.GetString(body));
        }
        catch (VkShapeException ex)
        {
            return TypedResults.Problem($"The event is not shaped like a Callback API event: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        await processor.ProcessAsync(channel, mapped, ct);
        return TypedResults.Text("ok", "text/plain", Encoding.UTF8);
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
