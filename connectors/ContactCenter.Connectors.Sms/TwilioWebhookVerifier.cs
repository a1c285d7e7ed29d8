using ContactCenter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// The checks every Twilio webhook (sms and voice) makes before anything is read or stored: the channel exists and is of
/// the webhook's kind, the body is a readable form (a NUL, too many or too long fields, a cut body: 400; a body over the
/// size limit, declared or streamed: 413), X-Twilio-Signature matches the
/// public URL Twilio called (including its query) and the posted fields, the channel is enabled and the post is for its account.
/// </summary>
public static class TwilioWebhookVerifier
{
    /// <summary>What differs between the sms and the voice webhooks.</summary>
    /// <param name="Kind">The channel kind served (<see cref="ChannelKinds"/>); the 404 names it.</param>
    /// <param name="LogName">How the log names such a channel ("Sms", "Voice").</param>
    /// <param name="Settings">Reads the channel's settings.</param>
    public sealed record Webhooks<TSettings>(string Kind, string LogName, Func<ChannelInfo, TSettings> Settings)
        where TSettings : ITwilioAccount;

    public sealed record Verified<TSettings>(ChannelInfo Channel, TSettings Settings, Dictionary<string, string> Form);

    /// <param name="signedUrl">The public URL Twilio signs this post with, from the channel's settings.</param>
    public static async Task<(Verified<TSettings>? Verified, ProblemHttpResult? Refusal)> VerifyAsync<TSettings>(Webhooks<TSettings> webhooks,
        long channelId, HttpRequest request, IChannelDirectory channels, Func<TSettings, string> signedUrl, ILogger logger, CancellationToken ct)
        where TSettings : ITwilioAccount
    {
        var channel = await channels.FindAsync(channelId, ct);
        if (channel is null || channel.Kind != webhooks.Kind)
        {
            return (null, TypedResults.Problem($"There is no {webhooks.Kind} channel with this id.", statusCode: StatusCodes.Status404NotFound));
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
        catch (BadHttpRequestException ex)
        {
            // The host's own refusal while reading: a streamed body over the limit (413), a malformed one (400).
            return (null, TypedResults.Problem("The form could not be read: " + ex.Message, statusCode: ex.StatusCode));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // A NUL (%00), more fields or longer keys/values than the form reader takes, a body cut off: the sender's
            // fault, and nothing is stored.
            return (null, TypedResults.Problem("The form could not be read: " + ex.Message, statusCode: StatusCodes.Status400BadRequest));
        }
        var settings = webhooks.Settings(channel);
        var url = signedUrl(settings);
        // A field posted twice cannot be signed the way Twilio signs: treat it as unverifiable.
        var form = posted.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var signature = request.Headers[TwilioSignature.Header].ToString();
        if (posted.Any(f => f.Value.Count > 1) || !TwilioSignature.IsValid(settings.AuthToken, url, form, signature))
        {
            logger.LogWarning("{Kind} channel {ChannelId}: refused a post with a missing or wrong X-Twilio-Signature (expected over {Url})",
                webhooks.LogName, channelId, url);
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
        return (new Verified<TSettings>(channel, settings, form), null);
    }
}
