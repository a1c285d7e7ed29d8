using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// Twilio's two webhooks for an sms channel: incoming messages (`POST /webhooks/twilio/{channelId}`, answered with
/// empty TwiML once stored) and delivery reports (`POST /webhooks/twilio/{channelId}/status`). Both are form posts
/// signed over the public URL and every posted field; an unsigned or mis-signed post is refused with 403.
/// </summary>
public static class TwilioWebhookEndpoint
{
    public const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    /// <summary>How long a delivery report for a message we do not know yet waits for the send to be recorded.</summary>
    private static readonly TimeSpan UnknownStatusGrace = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/twilio/{channelId:long}", ReceiveMessage).AllowAnonymous().RequireRateLimiting("webhooks");
        app.MapPost("/webhooks/twilio/{channelId:long}/status", ReceiveStatus).AllowAnonymous().RequireRateLimiting("webhooks");
        return app;
    }

    private static readonly TwilioWebhookVerifier.Webhooks<SmsSettings> Webhooks = new(ChannelKinds.Sms, "Sms", SmsSettings.From);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> ReceiveMessage(long channelId, HttpRequest request, IChannelDirectory channels,
        IInboundPipeline pipeline, ISmsOptOuts optOuts, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(TwilioWebhookEndpoint));
        var (verified, refusal) = await VerifyAsync(channelId, request, channels, status: false, logger, ct);
        if (verified is null)
        {
            return refusal!;
        }
        var (mapped, errors) = TwilioInboundMapper.Map(channelId, verified.Form, verified.Settings.ApiBaseUrl);
        if (mapped is null)
        {
            return TypedResults.ValidationProblem(errors, detail: "The post is not a Twilio incoming message.");
        }
        var result = await pipeline.IngestAsync(mapped.Message, ct);
        if (mapped.KeywordKind is SmsKeywords.Kind.OptOut or SmsKeywords.Kind.OptIn)
        {
            // Also on a redelivery (the first delivery may have died before this line); the message id keeps order.
            await optOuts.RecordAsync(channelId, mapped.Message.Sender.Address, mapped.KeywordKind == SmsKeywords.Kind.OptOut,
                mapped.Keyword!, result.MessageId, ct);
            logger.LogInformation("Sms channel {ChannelId}: a number texted {Keyword}", channelId, mapped.Keyword);
        }
        return TypedResults.Text(EmptyTwiml, "text/xml", System.Text.Encoding.UTF8);
    }

    private static async Task<Results<Ok, ProblemHttpResult, ValidationProblem>> ReceiveStatus(long channelId, HttpRequest request, IChannelDirectory channels,
        IMessageStatusSink sink, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(TwilioWebhookEndpoint));
        var (verified, refusal) = await VerifyAsync(channelId, request, channels, status: true, logger, ct);
        if (verified is null)
        {
            return refusal!;
        }
        var form = verified.Form;
        var errors = new Dictionary<string, string[]>();
        if (form.GetValueOrDefault("MessageSid") is not { Length: > 0 and <= 64 } sid)
        {
            errors["MessageSid"] = ["MessageSid is required."];
            sid = "";
        }
        if (form.GetValueOrDefault("MessageStatus") is not { Length: > 0 } twilioStatus)
        {
            errors["MessageStatus"] = ["MessageStatus is required."];
            twilioStatus = "";
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The post is not a Twilio status callback.");
        }
        var update = TwilioStatus.Map(twilioStatus, form.GetValueOrDefault("ErrorCode"));
        if (update is null)
        {
            logger.LogInformation("Sms channel {ChannelId}: status {Status} of {MessageSid} has no meaning here", channelId, twilioStatus, sid);
            return TypedResults.Ok();
        }
        var known = await sink.UpdateStatusAsync(channelId, sid, update.Status, update.Error, ct);
        if (!known)
        {
            // The report can beat the commit of the send that created the message: give the send a moment.
            await Task.Delay(UnknownStatusGrace, ct);
            known = await sink.UpdateStatusAsync(channelId, sid, update.Status, update.Error, ct);
        }
        if (!known)
        {
            // 200 all the same: Twilio must not keep retrying a report for a message this channel never sent.
            logger.LogWarning("Sms channel {ChannelId}: status {Status} for unknown message {MessageSid} kept until a send records that id", channelId, twilioStatus, sid);
        }
        return TypedResults.Ok();
    }

    private static Task<(TwilioWebhookVerifier.Verified<SmsSettings>? Verified, ProblemHttpResult? Refusal)> VerifyAsync(long channelId,
        HttpRequest request, IChannelDirectory channels, bool status, ILogger logger, CancellationToken ct) =>
        TwilioWebhookVerifier.VerifyAsync(Webhooks, channelId, request, channels,
            s => status ? s.StatusCallbackUrl(channelId) : s.MessagesUrl(channelId), logger, ct);
}
