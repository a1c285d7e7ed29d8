using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using ContactCenter.Core.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// `GET /webhooks/whatsapp/{channelId}`: Meta's subscription handshake (hub.mode=subscribe, hub.verify_token,
/// answered with hub.challenge as text/plain). `POST`: the `messages` webhook, signed with `X-Hub-Signature-256` over
/// the raw body; answered 200 only once every message in it is stored (Meta redelivers until then).
/// </summary>
public static class WhatsAppWebhookEndpoint
{
    public const int MaxChallengeLength = 1000;

    public static IEndpointRouteBuilder MapWhatsAppWebhook(this IEndpointRouteBuilder app)
    {
        app.MapGet("/webhooks/whatsapp/{channelId:long}", Verify).AllowAnonymous().RequireRateLimiting("webhooks");
        app.MapPost("/webhooks/whatsapp/{channelId:long}", Receive).AllowAnonymous().RequireRateLimiting("webhooks");
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Verify(long channelId, HttpRequest request, IChannelDirectory channels, CancellationToken ct)
    {
        var channel = await channels.FindAsync(channelId, ct);
        if (channel is null || channel.Kind != ChannelKinds.WhatsApp)
        {
            return TypedResults.Problem("There is no WhatsApp channel with this id.", statusCode: StatusCodes.Status404NotFound);
        }
        var query = request.Query;
        if (query["hub.mode"].ToString() != "subscribe")
        {
            return TypedResults.Problem("hub.mode must be subscribe.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (!WhatsAppSignature.TokenMatches(channel.Setting("verifyToken"), query["hub.verify_token"].ToString()))
        {
            return TypedResults.Problem("hub.verify_token does not match the channel's verify token.", statusCode: StatusCodes.Status403Forbidden);
        }
        var challenge = query["hub.challenge"].ToString();
        if (challenge.Length is 0 or > MaxChallengeLength)
        {
            return TypedResults.Problem($"hub.challenge is required (at most {MaxChallengeLength} characters).", statusCode: StatusCodes.Status400BadRequest);
        }
        return TypedResults.Text(challenge, "text/plain", Encoding.UTF8);
    }

    private static async Task<Results<Ok, ProblemHttpResult>> Receive(long channelId, HttpRequest request, IChannelDirectory channels, IInboundPipeline pipeline,
        IUnhandledInboundSink unhandled, IMessageStatusSink sink, IWhatsAppOptOuts optOuts, IOptions<WhatsAppOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(WhatsAppWebhookEndpoint));
        var channel = await channels.FindAsync(channelId, ct);
        if (channel is null || channel.Kind != ChannelKinds.WhatsApp)
        {
            return TypedResults.Problem("There is no WhatsApp channel with this id.", statusCode: StatusCodes.Status404NotFound);
        }
        var body = await RawBody.ReadAsync(request.Body, request.ContentLength, ct);
        if (body is null)
        {
            return TypedResults.Problem("The request body is larger than 1 MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var settings = WhatsAppSettings.From(channel);
        if (!WhatsAppSignature.IsValid(settings.AppSecret, body, request.Headers[WhatsAppSignature.Header].ToString()))
        {
            logger.LogWarning("WhatsApp channel {ChannelId}: refused a post with a missing or wrong {Header}", channelId, WhatsAppSignature.Header);
            return TypedResults.Problem($"The {WhatsAppSignature.Header} header is missing or is not the HMAC-SHA256 of the body with the app secret.",
                statusCode: StatusCodes.Status401Unauthorized);
        }
        if (!channel.Enabled)
        {
            return TypedResults.Problem("This WhatsApp channel is disabled; webhooks are not accepted.", statusCode: StatusCodes.Status403Forbidden);
        }
        body = JsonStrings.RepairLoneSurrogates(body); // after the signature, which is over the bytes as sent
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return TypedResults.Problem("The request body is not JSON.", statusCode: StatusCodes.Status400BadRequest);
        }
        var (batch, error) = WhatsAppInboundMapper.Map(channelId, settings.PhoneNumberId, json, Encoding.UTF8.GetString(body));
        if (batch is null)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }
        foreach (var mapped in batch.Messages)
        {
            var result = await pipeline.IngestAsync(mapped.Message, ct);
            if (mapped.KeywordKind is WhatsAppKeywords.Kind.OptOut or WhatsAppKeywords.Kind.OptIn)
            {
                // Also on a redelivery (the first delivery may have died before this line); the message id keeps order.
                await optOuts.RecordAsync(channelId, mapped.WaId, mapped.KeywordKind == WhatsAppKeywords.Kind.OptOut, mapped.Keyword!, result.MessageId, ct);
                logger.LogInformation("WhatsApp channel {ChannelId}: a customer wrote {Keyword}", channelId, mapped.Keyword);
            }
        }
        foreach (var item in batch.Unhandled)
        {
            await unhandled.RecordUnhandledAsync(item, ct);
        }
        foreach (var status in batch.Statuses)
        {
            var known = await sink.UpdateStatusAsync(channelId, status.ExternalId, status.Status, status.Error, ct);
            if (!known)
            {
                // The report can beat the commit of the send that created the message: give the send a moment.
                await Task.Delay(options.Value.UnknownStatusGrace, ct);
                known = await sink.UpdateStatusAsync(channelId, status.ExternalId, status.Status, status.Error, ct);
            }
            if (!known)
            {
                // 200 all the same: Meta must not keep retrying a report about a message this channel never sent.
                logger.LogWarning("WhatsApp channel {ChannelId}: status {Status} for unknown message {MessageId} kept until a send records that id", channelId, status.Status, status.ExternalId);
            }
        }
        return TypedResults.Ok();
    }
}
