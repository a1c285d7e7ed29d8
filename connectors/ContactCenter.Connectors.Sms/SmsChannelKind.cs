using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Core;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// `sms` channels: `{accountSid, authToken, fromNumber, publicWebhookUrl, apiBaseUrl?}`. The number is stored in E.164;
/// the auth token is a secret. After a save the credentials are tried against Twilio and a rejection is shown on the channel.
/// </summary>
public sealed partial class SmsChannelKind(TwilioHttp http, IChannelDirectory channels) : IChannelKindHandler
{
    public string Kind => ChannelKinds.Sms;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["authToken"];

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
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
        if (E164.NormalizeValid(Text(settings, "fromNumber")) is { } from)
        {
            settings["fromNumber"] = from;
        }
        else
        {
            errors["settings.fromNumber"] = ["fromNumber must be a valid phone number in international form, e.g. +14155550100."];
        }
        if (HttpUrl(Text(settings, "publicWebhookUrl")) is { } webhook && webhook.Fragment.Length == 0)
        {
            // Stored as Twilio will echo it back, so the URL we sign with is the URL it signed.
            settings["publicWebhookUrl"] = webhook.AbsoluteUri;
        }
        else
        {
            errors["settings.publicWebhookUrl"] = ["publicWebhookUrl must be the public http(s) URL Twilio posts incoming messages to."];
        }
        if (settings["apiBaseUrl"] is { } api && (api.GetValueKind() != JsonValueKind.String || HttpUrl(api.GetValue<string>()) is null))
        {
            errors["settings.apiBaseUrl"] = ["apiBaseUrl must be an absolute http(s) URL."];
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public async Task OnSavedAsync(ChannelInfo channel, CancellationToken cancellationToken)
    {
        var settings = SmsSettings.From(channel);
        string? problem = null;
        using (var call = http.Open(settings))
        {
            try
            {
                await AccountResource.FetchAsync(settings.AccountSid, call.Client);
            }
            catch (ApiException ex)
            {
                problem = ex.Code != 0 ? $"Twilio refused the account check: {TwilioErrors.Describe(ex.Code)}." : $"Twilio refused the account check ({ex.Status}).";
            }
            catch (ApiConnectionException)
            {
                // Socket details (refused, timed out, which address) would tell an admin which internal ports are open.
                problem = $"cannot connect to {settings.ApiBaseUrl?.Host ?? "api.twilio.com"}";
            }
        }
        await channels.SetStatusErrorAsync(channel.Id, problem, cancellationToken);
    }

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel)
    {
        var settings = SmsSettings.From(channel);
        return new Dictionary<string, object?>
        {
            ["messagesUrl"] = settings.MessagesUrl(channel.Id),
            ["statusCallbackUrl"] = settings.StatusCallbackUrl(channel.Id),
        };
    }

    private static string? Text(JsonObject settings, string name) =>
        settings[name] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Trim() : null;

    private static Uri? HttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
}
