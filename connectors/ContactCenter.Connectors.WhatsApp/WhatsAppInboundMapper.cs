using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// The Cloud API's `messages` webhook (`object: whatsapp_business_account`, `entry[].changes[].value`) as inbound
/// messages, delivery reports and the rest (kept as unhandled input): text, media, location, contacts, interactive and
/// button replies, reactions; statuses sent/delivered/read/failed.
/// </summary>
public static class WhatsAppInboundMapper
{
    public const int MaxTextLength = 20_000;

    public sealed record Mapped(InboundMessage Message, string WaId, string? Keyword, WhatsAppKeywords.Kind KeywordKind);

    /// <param name="Status">sent, delivered, read or failed (the inbox's words).</param>
    public sealed record StatusReport(string ExternalId, string Status, string? Error);

    public sealed record Batch(List<Mapped> Messages, List<StatusReport> Statuses, List<UnhandledInbound> Unhandled);

    private static readonly Dictionary<string, string> MediaLabels = new()
    {
        ["image"] = "[Image]", ["video"] = "[Video]", ["audio"] = "[Audio]", ["sticker"] = "[Sticker]", ["document"] = "[Document]",
    };

    /// <returns>The batch, or why the body is not a WhatsApp webhook (answer 400).</returns>
    /// <param name="phoneNumberId">The channel's number: changes for another number are kept as unhandled, not ingested here.</param>
    public static (Batch? Batch, string? Error) Map(long channelId, string phoneNumberId, JsonNode? body, string raw)
    {
        if (body is not JsonObject root || Str(root, "object") != "whatsapp_business_account" || root["entry"] is not JsonArray entries)
        {
            return (null, "The body is not a WhatsApp Business webhook (object whatsapp_business_account with entry[]).");
        }
        var batch = new Batch([], [], []);
        foreach (var entry in entries)
        {
            if (entry is not JsonObject e || e["changes"] is not JsonArray changes)
            {
                return (null, "Every entry must have changes[].");
            }
            foreach (var change in changes)
            {
                if (change is not JsonObject c || c["value"] is not JsonObject value)
                {
                    return (null, "Every change must have a value object.");
                }
                var field = Str(c, "field") ?? "messages";
                var number = value["metadata"] is JsonObject meta ? Str(meta, "phone_number_id") : null;
                if (field != "messages" || (number is not null && number != phoneNumberId))
                {
                    var what = field != "messages" ? field : "messages for phone number " + number;
                    batch.Unhandled.Add(Unhandled(channelId, $"change:{Hash(c.ToJsonString())}", what, c));
                    continue;
                }
                if (MapValue(channelId, value, batch) is { } error)
                {
                    return (null, error);
                }
            }
        }
        return (batch, null);
    }

    private static string? MapValue(long channelId, JsonObject value, Batch batch)
    {
        var names = new Dictionary<string, string>();
        if (value["contacts"] is JsonArray contacts)
        {
            foreach (var contact in contacts.OfType<JsonObject>())
            {
                if (Str(contact, "wa_id") is { } waId && contact["profile"] is JsonObject profile && Str(profile, "name") is { Length: > 0 } name)
                {
                    names[waId] = name;
                }
            }
        }
        var display = value["metadata"] is JsonObject meta ? Str(meta, "display_phone_number") : null;
        foreach (var node in value["messages"] as JsonArray ?? [])
        {
            if (node is not JsonObject m || Str(m, "id") is not { Length: > 0 and <= 256 } id || Str(m, "from") is not { Length: > 0 and <= 64 } from
                || id.Any(char.IsControl) || from.Any(char.IsControl))
            {
                return "Every message must have an id and a from (without control characters).";
            }
            var type = Str(m, "type") ?? "";
            var (text, attachments) = Describe(m, type);
            if (text is null && attachments.Count == 0)
            {
                batch.Unhandled.Add(Unhandled(channelId, id, "message:" + (type.Length > 0 ? type : "unknown"), m));
                continue;
            }
            if (text is { Length: > MaxTextLength })
            {
                text = text[..MaxTextLength];
            }
            var metadata = new Dictionary<string, string> { ["waType"] = type };
            if (display is not null)
            {
                metadata["to"] = display;
            }
            var (keyword, kind) = type is "text" or "button" or "interactive" ? WhatsAppKeywords.Detect(text) : (null, WhatsAppKeywords.Kind.None);
            if (keyword is not null)
            {
                metadata["whatsappKeyword"] = keyword;
                metadata["whatsappKeywordKind"] = kind == WhatsAppKeywords.Kind.OptOut ? "optOut" : "optIn";
            }
            var context = m["context"] as JsonObject;
            var replyTo = context is null ? null : Str(context, "id");
            if (type == "reaction" && m["reaction"] is JsonObject reaction)
            {
                replyTo = Str(reaction, "message_id");
            }
            var digits = from.All(char.IsAsciiDigit);
            var message = new InboundMessage(channelId, id, ThreadKey: null,
                new SenderIdentity(from, names.GetValueOrDefault(from), Phone: digits ? "+" + from : null),
                text, Html: null, attachments, Timestamp(Str(m, "timestamp")), replyTo, m.ToJsonString())
            {
                Metadata = metadata,
            };
            batch.Messages.Add(new Mapped(message, from, keyword, kind));
        }
        foreach (var node in value["statuses"] as JsonArray ?? [])
        {
            if (node is not JsonObject s || Str(s, "id") is not { Length: > 0 and <= 256 } id || Str(s, "status") is not { Length: > 0 } status
                || id.Any(char.IsControl))
            {
                return "Every status must have an id and a status.";
            }
            if (MapStatus(status, s["errors"] as JsonArray) is { } report)
            {
                batch.Statuses.Add(new StatusReport(id, report.Status, report.Error));
            }
        }
        return null;
    }

    /// <summary>The inbox's state for a Cloud API status; null for states that say nothing about delivery (deleted...).</summary>
    public static (string Status, string? Error)? MapStatus(string status, JsonArray? errors) => status switch
    {
        "sent" => ("sent", null),
        "delivered" => ("delivered", null),
        "read" or "played" => ("read", null),
        "failed" => ("failed", "Not delivered: " + Reason(errors)),
        _ => null,
    };

    private static string Reason(JsonArray? errors)
    {
        if (errors?.FirstOrDefault() is not JsonObject error)
        {
            return "WhatsApp gave no reason.";
        }
        var code = error["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
        var title = Str(error, "title") ?? Str(error, "message");
        var details = error["error_data"] is JsonObject data ? Str(data, "details") : null;
        var reason = code > 0 ? WhatsAppErrors.Describe(code, title) : title ?? "WhatsApp gave no reason";
        return details is { Length: > 0 } && !reason.Contains(details, StringComparison.Ordinal) ? $"{reason}. {details}" : reason + ".";
    }

    /// <summary>The readable text and the files of one message; (null, []) for a type we do not turn into a message.</summary>
    private static (string? Text, List<InboundAttachment> Attachments) Describe(JsonObject m, string type)
    {
        var none = new List<InboundAttachment>();
        switch (type)
        {
            case "text":
                return (m["text"] is JsonObject t ? Str(t, "body") : null, none);
            case "image" or "video" or "audio" or "sticker" or "document":
                if (m[type] is not JsonObject media || Str(media, "id") is not { Length: > 0 and <= 256 } mediaId)
                {
                    return (null, none);
                }
                var mime = Str(media, "mime_type")?.Split(';')[0].Trim();
                var fileName = Str(media, "filename") is { Length: > 0 } given ? given : $"{type}-{mediaId}{Extension(mime)}";
                var caption = Str(media, "caption");
                var label = type == "document" ? $"[Document: {fileName}]" : type == "audio" && media["voice"] is JsonValue v && v.TryGetValue<bool>(out var voice) && voice
                    ? "[Voice message]" : MediaLabels[type];
                return (caption is { Length: > 0 } ? caption : label, [new InboundAttachment(fileName, mime, null, mediaId)]);
            case "location":
                return (m["location"] is JsonObject l ? Location(l) : null, none);
            case "contacts":
                return (m["contacts"] is JsonArray cards ? Contacts(cards) : null, none);
            case "interactive":
                if (m["interactive"] is not JsonObject i)
                {
                    return (null, none);
                }
                if (i["button_reply"] is JsonObject button)
                {
                    return (Str(button, "title"), none);
                }
                if (i["list_reply"] is JsonObject item)
                {
                    var title = Str(item, "title");
                    return (Str(item, "description") is { Length: > 0 } d ? $"{title} — {d}" : title, none);
                }
                return (null, none);
            case "button":
                return (m["button"] is JsonObject b ? Str(b, "text") ?? Str(b, "payload") : null, none);
            case "reaction":
                return (m["reaction"] is JsonObject r ? (Str(r, "emoji") is { Length: > 0 } emoji ? $"Reacted {emoji}" : "Removed a reaction") : null, none);
            default:
                return (null, none);
        }
    }

    private static string Location(JsonObject l)
    {
        var lat = Num(l, "latitude");
        var lon = Num(l, "longitude");
        var text = new StringBuilder("Location");
        var place = string.Join(", ", new[] { Str(l, "name"), Str(l, "address") }.Where(s => !string.IsNullOrWhiteSpace(s)));
        if (place.Length > 0)
        {
            text.Append(": ").Append(place);
        }
        if (lat is not null && lon is not null)
        {
            text.Append($" ({lat}, {lon}) https://maps.google.com/?q={lat},{lon}");
        }
        return text.ToString();
    }

    private static string Contacts(JsonArray cards)
    {
        var lines = new List<string>();
        foreach (var card in cards.OfType<JsonObject>())
        {
            var name = card["name"] is JsonObject n ? Str(n, "formatted_name") ?? Str(n, "first_name") : null;
            var phones = (card["phones"] as JsonArray ?? []).OfType<JsonObject>().Select(p => Str(p, "phone")).Where(p => p is not null);
            var emails = (card["emails"] as JsonArray ?? []).OfType<JsonObject>().Select(p => Str(p, "email")).Where(p => p is not null);
            lines.Add("Shared contact: " + string.Join(", ", new[] { name }.Concat(phones).Concat(emails).Where(s => !string.IsNullOrWhiteSpace(s))));
        }
        return lines.Count == 0 ? "Shared contact" : string.Join("\n", lines);
    }

    /// <summary>Unix seconds, as UTC; null (the pipeline then uses its own clock) when missing or unreadable.</summary>
    public static DateTimeOffset? Timestamp(string? seconds) =>
        long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>Kept as the provider sent it, less what PostgreSQL cannot store (NUL), the kind short and printable.</summary>
    private static UnhandledInbound Unhandled(long channelId, string externalId, string kind, JsonNode raw) => new(channelId, externalId,
        new string([.. kind.Where(ch => !char.IsControl(ch)).Take(100)]), raw.ToJsonString().Replace("\\u0000", "", StringComparison.OrdinalIgnoreCase));

    private static string? Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? Num(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d.ToString("0.######", CultureInfo.InvariantCulture) : null;

    private static string Hash(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private static string Extension(string? mime) => mime switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/webp" => ".webp",
        "video/mp4" => ".mp4",
        "video/3gpp" => ".3gp",
        "audio/ogg" => ".ogg",
        "audio/mpeg" => ".mp3",
        "audio/aac" => ".aac",
        "audio/amr" => ".amr",
        "audio/mp4" => ".m4a",
        "application/pdf" => ".pdf",
        "text/plain" => ".txt",
        _ => "",
    };
}
