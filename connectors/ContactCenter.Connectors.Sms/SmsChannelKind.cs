using System.Text.Json.Nodes;
using ContactCenter.Core;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// `sms` channels: `{accountSid, authToken, fromNumber, publicWebhookUrl, apiBaseUrl?}`. The number is stored in E.164;
/// the auth token is a secret. After a save the credentials are tried against Twilio and a rejection is shown on the channel.
/// </summary>
public sealed class SmsChannelKind(TwilioHttp http, IChannelDirectory channels) : IChannelKindHandler
{
    public string Kind => ChannelKinds.Sms;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["authToken"];

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        TwilioAccountSettings.Validate(settings, errors, "fromNumber",
            "fromNumber must be a valid phone number in international form, e.g. +14155550100.",
            "publicWebhookUrl must be the public http(s) URL Twilio posts incoming messages to.");
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
}
