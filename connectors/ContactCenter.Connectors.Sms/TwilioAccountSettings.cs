using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// The settings every Twilio channel has (`sms`, `voice`): `accountSid`, `authToken` (a secret), the channel's number in
/// E.164, `publicWebhookUrl` (stored as Twilio echoes it back, so the URL signed with is the URL it signed) and an
/// optional `apiBaseUrl`. Checks them and normalises them in place.
/// </summary>
public static partial class TwilioAccountSettings
{
    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();

    /// <param name="numberField">The number's setting (`fromNumber`, `phoneNumber`).</param>
    /// <param name="numberError">What to say when it is not a valid number.</param>
    /// <param name="webhookError">What to say when the webhook URL is not a public http(s) URL.</param>
    public static void Validate(JsonObject settings, IDictionary<string, string[]> errors, string numberField, string numberError, string webhookError)
    {
        if (Text(settings, "accountSid") is not { } sid || !AccountSidPattern().IsMatch(sid))
        {
            errors["settings.accountSid"] = ["accountSid must be the Twilio Account SID: AC followed by 32 hex digits."];
        }
        else
        {
            settings["accountSid"] = sid;
        }
        if (Text(settings, "authToken") is not { Length: > 0 and <= 128 } token || token.Any(char.IsWhiteSpace))
        {
            errors["settings.authToken"] = ["authToken (the Twilio auth token) is required."];
        }
        if (E164.NormalizeValid(Text(settings, numberField)) is { } number)
        {
            settings[numberField] = number;
        }
        else
        {
            errors["settings." + numberField] = [numberError];
        }
        if (HttpUrl(Text(settings, "publicWebhookUrl")) is { } webhook && webhook.Fragment.Length == 0)
        {
            settings["publicWebhookUrl"] = webhook.AbsoluteUri;
        }
        else
        {
            errors["settings.publicWebhookUrl"] = [webhookError];
        }
        if (settings["apiBaseUrl"] is { } api && (api.GetValueKind() != JsonValueKind.String || HttpUrl(api.GetValue<string>()) is null))
        {
            errors["settings.apiBaseUrl"] = ["apiBaseUrl must be an absolute http(s) URL."];
        }
    }

    /// <summary>A string setting, trimmed; null when absent or not a string.</summary>
    public static string? Text(JsonObject settings, string name) =>
        settings[name] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Trim() : null;

    private static Uri? HttpUrl(string? value) => Core.HttpUrl.IsValid(value) ? new Uri(value) : null;
}
