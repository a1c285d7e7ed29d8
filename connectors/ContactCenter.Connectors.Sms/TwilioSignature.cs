using Twilio.Security;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// `X-Twilio-Signature`: Base64(HMAC-SHA1(authToken, url + every posted field name and value sorted by name)), checked
/// with Twilio's own RequestValidator over the public URL Twilio called (never our own host, which a proxy hides).
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static bool IsValid(string authToken, string url, IReadOnlyDictionary<string, string> fields, string? signature)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(signature))
        {
            return false;
        }
        // RequestValidator holds one HMAC instance and is not thread-safe: one per check.
        return new RequestValidator(authToken).Validate(url, fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal), signature);
    }
}
