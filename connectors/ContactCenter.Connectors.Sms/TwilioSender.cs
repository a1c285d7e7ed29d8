using ContactCenter.Core;
using Microsoft.Extensions.Logging;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// A manager's reply as a Twilio Messages create with the channel's status callback URL. 429 and 5xx are retried by the
/// outbox (after Retry-After when Twilio gives one); a number that opted out is never texted.
/// </summary>
public sealed class TwilioSender(TwilioHttp http, ISmsOptOuts optOuts, ILogger<TwilioSender> logger) : IChannelSender
{
    /// <summary>Twilio's limit for one Messages create ("up to 1,600 characters"); a longer body is refused with error 21617.</summary>
    public const int MaxBodyLength = 1600;

    public string Kind => ChannelKinds.Sms;

    public int? MaxTextLength => MaxBodyLength;

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var settings = SmsSettings.From(message.Channel);
        var to = message.Recipient.Address;
        // The reply guard refuses replies to opted-out numbers; this catches a reply queued just before the STOP came in.
        if (await optOuts.IsOptedOutAsync(message.Channel.Id, to, cancellationToken))
        {
            return new SendOutcome.Failed("Not sent: the recipient opted out (texted STOP); they must text START to receive messages again.");
        }
        var options = new CreateMessageOptions(new PhoneNumber(to))
        {
            From = new PhoneNumber(settings.FromNumber),
            Body = message.Text,
            StatusCallback = new Uri(settings.StatusCallbackUrl(message.Channel.Id)),
        };
        using var call = http.Open(settings);
        try
        {
            var created = await MessageResource.CreateAsync(options, call.Client);
            return new SendOutcome.Sent(created.Sid);
        }
        catch (ApiException ex)
        {
            // The library drops the status when the error body is not Twilio's JSON (a proxy's HTML 502): the handler kept it.
            var status = ex.Status != 0 ? ex.Status : (int?)call.LastStatus ?? 0;
            if (status == 429 || status >= 500 || ex.Code == 20429)
            {
                return new SendOutcome.Retry($"Twilio answered {status}: {ex.Message}", call.RetryAfter);
            }
            if (ex.Code == TwilioErrors.OptedOut)
            {
                await optOuts.RecordAsync(message.Channel.Id, to, optedOut: true, "TWILIO-21610", message.MessageId, cancellationToken);
            }
            logger.LogWarning("Twilio refused message {MessageId}: {Status} {Code} {Error}", message.MessageId, status, ex.Code, ex.Message);
            return new SendOutcome.Failed(ex.Code != 0 ? $"Not sent: {TwilioErrors.Describe(ex.Code)}." : $"Not sent: Twilio answered {status}.");
        }
        catch (ApiConnectionException ex)
        {
            return new SendOutcome.Retry($"Twilio could not be reached: {ex.InnerException?.Message ?? ex.Message}");
        }
    }
}
