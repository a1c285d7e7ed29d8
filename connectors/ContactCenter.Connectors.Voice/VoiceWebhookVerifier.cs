using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Voice;

/// <summary>
/// The checks every voice webhook makes before anything is read or stored: the channel exists and is a voice channel, the
/// body is a readable form (a NUL or an oversized form is 400), X-Twilio-Signature matches the public URL Twilio called
/// (including its query) and the posted fields, the channel is enabled and the post is for its account.
/// </summary>
public static class VoiceWebhookVerifier
{
    public sealed record Verified(ChannelInfo Channel, VoiceSettings Settings, Dictionary<string, string> Form);

    public static async Task<(Verified? Verified, ProblemHttpResult? Refusal)> VerifyAsync(long channelId, HttpRequest request,
        IChannelDirectory channels, Func<VoiceSettings, string> signedUrl, ILogger logger, CancellationToken ct)
    {
        var channel = await channels.FindAsync(channelId, ct);
        if (channel is null || channel.Kind != ChannelKinds.Voice)
        {
            return (null, TypedResults.Problem("There is no voice channel with this id.", statusCode: StatusCodes.Status404NotFound));
        }
        if (!request.HasFormContentType)
        {
            return (null, TypedResults.Problem("Twilio posts application/x-www-form-urlencoded.", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        IFormCollection posted;
        try
        {
            posted = await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            // A NUL (%00), too many or too long fields, a cut body: the sender's fault, and nothing is stored.
            return (null, TypedResults.Problem("The form could not be read: " + ex.Message, statusCode: StatusCodes.Status400BadRequest));
        }
        var settings = VoiceSettings.From(channel);
        var url = signedUrl(settings);
        var form = posted.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var signature = request.Headers[TwilioSignature.Header].ToString();
        // A field posted twice cannot be signed the way Twilio signs: treat it as unverifiable.
        if (posted.Any(f => f.Value.Count > 1) || !TwilioSignature.IsValid(settings.AuthToken, url, form, signature))
        {
            logger.LogWarning("Voice channel {ChannelId}: refused a post with a missing or wrong X-Twilio-Signature (expected over {Url})", channelId, url);
            return (null, TypedResults.Problem($"The X-Twilio-Signature header is missing or does not match {url} and the posted fields.",
                statusCode: StatusCodes.Status403Forbidden));
        }
        if (!channel.Enabled)
        {
            return (null, TypedResults.Problem("This channel is disabled.", statusCode: StatusCodes.Status403Forbidden));
        }
        if (form.GetValueOrDefault("AccountSid") is { Length: > 0 } account && !account.Equals(settings.AccountSid, StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem("The post is for another Twilio account.", statusCode: StatusCodes.Status403Forbidden));
        }
        return (new Verified(channel, settings, form), null);
    }
}
