using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using ContactCenter.Core.Net;

namespace ContactCenter.Connectors.Voice;

/// <summary>Starts calls through Twilio's Calls API (click-to-call: the manager's phone rings first).</summary>
public sealed class VoiceCalls(TwilioHttp http)
{
    public abstract record Result
    {
        public sealed record Started(string CallSid) : Result;
        public sealed record Refused(string Reason) : Result;
    }

    /// <summary>Rings <paramref name="managerPhone"/> from the channel's number; when answered Twilio runs the outbound step dialling <paramref name="contactPhone"/>.</summary>
    public async Task<Result> StartAsync(ChannelInfo channel, string managerPhone, string contactPhone, CancellationToken ct)
    {
        var settings = VoiceSettings.From(channel);
        using var call = http.Open(settings.Twilio);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://api.twilio.com/2010-04-01/Accounts/{settings.AccountSid}/Calls.json")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["To"] = managerPhone,
                ["From"] = settings.PhoneNumber,
                ["Url"] = settings.OutboundUrl(channel.Id, contactPhone),
                ["Method"] = "POST",
                ["StatusCallback"] = settings.StatusUrl(channel.Id),
                ["StatusCallbackMethod"] = "POST",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        try
        {
            using var response = await call.Http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return new Result.Refused(VoiceChannelKind.TwilioError(body) is { } code and > 0
                    ? $"Twilio refused the call: {TwilioErrors.Describe(code)}."
                    : $"Twilio refused the call ({(int)response.StatusCode}).");
            }
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("sid", out var sid) && sid.GetString() is { Length: > 0 and <= 64 } value
                ? new Result.Started(value)
                : new Result.Refused("Twilio's answer had no call sid.");
        }
        catch (HttpRequestException ex)
        {
            return new Result.Refused(ex.InnerException is OutboundRefusedException ? "Twilio's address is not allowed." : "Twilio cannot be reached.");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Result.Refused("Twilio did not answer in time.");
        }
        catch (JsonException)
        {
            return new Result.Refused("Twilio answered with something that is not JSON.");
        }
    }
}
