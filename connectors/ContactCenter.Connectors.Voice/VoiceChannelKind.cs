using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using ContactCenter.Core.Net;

namespace ContactCenter.Connectors.Voice;

/// <summary>
/// `voice` channels: `{accountSid, authToken, phoneNumber, publicWebhookUrl, recordCalls, ringStrategy, language?, apiBaseUrl?}`.
/// The auth token is a secret. After a save the account and the number are looked up at Twilio (IncomingPhoneNumbers) and
/// a problem is shown on the channel.
/// </summary>
public sealed class VoiceChannelKind(TwilioHttp http, IChannelDirectory channels) : IChannelKindHandler
{
    public string Kind => ChannelKinds.Voice;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["authToken"];

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        TwilioAccountSettings.Validate(settings, errors, "phoneNumber",
            "phoneNumber must be the Twilio number in international form, e.g. +14155550100.",
            "publicWebhookUrl must be the public http(s) URL Twilio calls (the app's address).");
        switch (settings["recordCalls"])
        {
            case null:
                settings["recordCalls"] = false;
                break;
            // A form posts text: "true"/"false" are kept as the booleans they mean.
            case { } text when text.GetValueKind() == JsonValueKind.String && Text(settings, "recordCalls") is "true" or "false":
                settings["recordCalls"] = Text(settings, "recordCalls") == "true";
                break;
            case { } record when record.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                errors["settings.recordCalls"] = ["recordCalls is true or false."];
                break;
        }
        switch (Text(settings, "ringStrategy"))
        {
            case null when settings["ringStrategy"] is null:
                settings["ringStrategy"] = VoiceSettings.Simultaneous;
                break;
            case VoiceSettings.Simultaneous or VoiceSettings.Sequential:
                break;
            default:
                errors["settings.ringStrategy"] = ["ringStrategy is simultaneous or sequential."];
                break;
        }
        if (settings["language"] is not null && Text(settings, "language") is not ("en" or "ru"))
        {
            errors["settings.language"] = ["language (what callers hear) is en or ru."];
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public async Task OnSavedAsync(ChannelInfo channel, CancellationToken cancellationToken)
    {
        var settings = VoiceSettings.From(channel);
        await channels.SetStatusErrorAsync(channel.Id, await CheckAsync(settings, cancellationToken), cancellationToken);
    }

    /// <summary>The number must be one of the account's incoming numbers (that is also a check of the credentials).</summary>
    private async Task<string?> CheckAsync(VoiceSettings settings, CancellationToken ct)
    {
        using var call = http.Open(settings.Twilio);
        var url = $"https://api.twilio.com/2010-04-01/Accounts/{settings.AccountSid}/IncomingPhoneNumbers.json?PhoneNumber={Uri.EscapeDataString(settings.PhoneNumber)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        try
        {
            using var response = await call.Http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return TwilioError(body) is { } code and > 0
                    ? $"Twilio refused the number check: {TwilioErrors.Describe(code)}."
                    : $"Twilio refused the number check ({(int)response.StatusCode}).";
            }
            using var doc = JsonDocument.Parse(body);
            var found = doc.RootElement.TryGetProperty("incoming_phone_numbers", out var list) && list.ValueKind == JsonValueKind.Array
                && list.EnumerateArray().Any(n => n.TryGetProperty("phone_number", out var p) && p.GetString() == settings.PhoneNumber);
            return found ? null : $"{settings.PhoneNumber} is not a number of this Twilio account.";
        }
        catch (HttpRequestException ex)
        {
            // Socket details (refused, timed out, which address) would tell an admin which internal ports are open.
            return ex.InnerException is OutboundRefusedException
                ? $"cannot connect to {settings.ApiBaseUrl?.Host ?? "api.twilio.com"}: the address is not allowed"
                : $"cannot connect to {settings.ApiBaseUrl?.Host ?? "api.twilio.com"}";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"cannot connect to {settings.ApiBaseUrl?.Host ?? "api.twilio.com"}: timed out";
        }
        catch (JsonException)
        {
            return "Twilio answered the number check with something that is not JSON.";
        }
    }

    internal static int? TwilioError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("code", out var code) && code.TryGetInt32(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel)
    {
        var settings = VoiceSettings.From(channel);
        return new Dictionary<string, object?>
        {
            ["voiceUrl"] = settings.VoiceUrl(channel.Id),
            ["statusCallbackUrl"] = settings.StatusUrl(channel.Id),
        };
    }

    private static string? Text(JsonObject settings, string name) => TwilioAccountSettings.Text(settings, name);
}
