using System.Text.Json;
using ContactCenter.Connectors.Sms;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Voice;

/// <summary>Twilio's incoming-call form (`CallSid`, `From`, `To`, `CallStatus`, `Direction`...) as an InboundMessage of kind call.</summary>
public static class VoiceCallMapper
{
    /// <summary>Metadata keys of a call message (strings, like every message's metadata).</summary>
    public static class Keys
    {
        public const string Kind = "kind";
        public const string Direction = "callDirection";
        public const string From = "callFrom";
        public const string To = "callTo";
        public const string StartedAt = "callStartedAt";
        public const string Status = "callStatus";
    }

    public static (InboundMessage? Message, Dictionary<string, string[]> Errors) Map(long channelId, IReadOnlyDictionary<string, string> form, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var sid = form.GetValueOrDefault("CallSid")?.Trim();
        if (string.IsNullOrEmpty(sid) || sid.Length > 64)
        {
            errors["CallSid"] = ["CallSid is required."];
        }
        var from = form.GetValueOrDefault("From")?.Trim();
        if (string.IsNullOrEmpty(from) || from.Length > 64)
        {
            errors["From"] = ["From is required."];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        // The same key as an SMS from this number (E.164), so texts and calls from one phone meet one contact.
        var phone = E164.NormalizePossible(from);
        var to = form.GetValueOrDefault("To") ?? "";
        var metadata = new Dictionary<string, string>
        {
            [Keys.Kind] = "call",
            [Keys.Direction] = "inbound",
            [Keys.From] = phone ?? from!,
            [Keys.To] = E164.NormalizePossible(to) ?? to,
            [Keys.StartedAt] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            [Keys.Status] = form.GetValueOrDefault("CallStatus") ?? "ringing",
        };
        var name = form.GetValueOrDefault("CallerName") is { Length: > 0 and <= 200 } callerName ? callerName : null;
        var message = new InboundMessage(channelId, sid!, ThreadKey: null,
            new SenderIdentity(phone ?? from!, DisplayName: name, Phone: phone),
            Text: "Call from " + (phone ?? from), Html: null, [], SentAt: null, ReplyToExternalId: null, JsonSerializer.Serialize(form))
        {
            Metadata = metadata,
        };
        return (message, errors);
    }
}
