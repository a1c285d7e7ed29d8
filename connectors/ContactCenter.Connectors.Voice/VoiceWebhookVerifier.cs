using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Voice;

/// <summary>The checks every voice webhook makes before anything is read or stored: the sms connector's Twilio checks (<see cref="TwilioWebhookVerifier"/>).</summary>
public static class VoiceWebhookVerifier
{
    private static readonly TwilioWebhookVerifier.Webhooks<VoiceSettings> Webhooks = new(ChannelKinds.Voice, "Voice", VoiceSettings.From);

    public static Task<(TwilioWebhookVerifier.Verified<VoiceSettings>? Verified, ProblemHttpResult? Refusal)> VerifyAsync(long channelId, HttpRequest request,
        IChannelDirectory channels, Func<VoiceSettings, string> signedUrl, ILogger logger, CancellationToken ct) =>
        TwilioWebhookVerifier.VerifyAsync(Webhooks, channelId, request, channels, signedUrl, logger, ct);
}
