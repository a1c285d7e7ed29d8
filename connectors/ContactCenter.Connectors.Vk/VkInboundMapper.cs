using System.Text.Json;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// Callback API event (API 5.199) -> <see cref="VkInbound"/>. Private dialogs only (peer_id is the customer's user id);
/// message ids are `{peer_id}:{id}` (VK's message id in the community's dialogs; `{peer_id}:c{conversation_message_id}`
/// when VK gives no id), the same ids messages.send answers with, so an edit or a reply finds its message.
/// </summary>
public static class VkInboundMapper
{
    /// <summary>User ids are below this; peers from here on are group chats.</summary>
    public const long ChatPeerStart = 2_000_000_000;

    /// <exception cref="VkShapeException">A field VK always sends is missing.</exception>
    public static VkInbound Map(long channelId, JsonElement root, string raw)
    {
        var type = root.Str("type") ?? throw new VkShapeException("The event has no type.");
        raw = StorableJson(root, raw);
        var body = root.Obj("object");
        switch (type)
        {
            case "message_new":
                // Since API 5.103 the message sits in object.message, beside client_info.
                var message = body?.Obj("message") ?? body ?? throw new VkShapeException("message_new without a message object.");
                return NotPrivate(message) is { } why ? new VkInbound.Ignored(why) : new VkInbound.NewMessage(ToInbound(channelId, message, raw));
            case "message_edit":
                var edited = body ?? throw new VkShapeException("message_edit without a message object.");
                if (NotPrivate(edited) is { } whyEdit)
                {
                    return new VkInbound.Ignored(whyEdit);
                }
                var editedAt = edited.Unix("update_time");
                if (IsFromCommunity(edited))
                {
                    return new VkInbound.CommunityEdit(channelId, ExternalId(edited), edited.Str("text"), editedAt);
                }
                var original = ToInbound(channelId, edited, raw);
                return new VkInbound.Edit(new InboundEdit(channelId, original.ExternalId, original.Text, editedAt, raw, original));
            case "message_reply":
                var reply = body ?? throw new VkShapeException("message_reply without a message object.");
                return NotPrivate(reply) is { } whyReply ? new VkInbound.Ignored(whyReply) : new VkInbound.CommunityMessage(ToCommunity(channelId, reply, raw));
            case "message_allow":
            case "message_deny":
                var user = body?.Long("user_id") is { } id and > 0 and < ChatPeerStart ? id : throw new VkShapeException($"{type} without a user_id.");
                return new VkInbound.Permission(VkJson.Text(user), type == "message_allow");
            case "message_typing_state":
            case "message_read":
                return new VkInbound.Ignored(type);
            default:
                var eventId = root.Str("event_id") is { Length: > 0 and <= 100 } e ? e : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)))[..40];
                var kind = NoNul(type.Length > 100 ? type[..100] : type);
                return new VkInbound.Unhandled(new UnhandledInbound(channelId, NoNul($"event:{eventId}"), kind.Length == 0 ? "unknown" : kind, raw));
        }
    }

    private static string NoNul(string value) => value.Replace("\0", "", StringComparison.Ordinal);

    /// <summary>
    /// The raw event as PostgreSQL's jsonb takes it: jsonb refuses NUL (`\u0000`), so an event that carries one is kept
    /// with NUL removed from every name and string; anything else exactly as received.
    /// </summary>
    private static string StorableJson(JsonElement root, string raw) =>
        raw.Contains("\\u0000", StringComparison.OrdinalIgnoreCase) || raw.Contains('\0') ? Clean(root)!.ToJsonString() : raw;

    private static System.Text.Json.Nodes.JsonNode? Clean(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new System.Text.Json.Nodes.JsonObject(e.EnumerateObject()
            .GroupBy(p => NoNul(p.Name)).Select(g => KeyValuePair.Create(g.Key, Clean(g.Last().Value)))),
        JsonValueKind.Array => new System.Text.Json.Nodes.JsonArray(e.EnumerateArray().Select(Clean).ToArray()),
        JsonValueKind.String => System.Text.Json.Nodes.JsonValue.Create(NoNul(e.GetString()!)),
        _ => System.Text.Json.Nodes.JsonNode.Parse(e.GetRawText()),
    };

    public static string ExternalId(long peerId, long id, long conversationMessageId) =>
        id > 0 ? $"{VkJson.Text(peerId)}:{VkJson.Text(id)}"
        : conversationMessageId > 0 ? $"{VkJson.Text(peerId)}:c{VkJson.Text(conversationMessageId)}"
        : throw new VkShapeException("The message has neither id nor conversation_message_id.");

    /// <summary>VK's message id inside an external id made by <see cref="ExternalId(long,long,long)"/> (null for `c` ids).</summary>
    public static long? MessageIdOf(string? externalId) =>
        externalId is not null && externalId.LastIndexOf(':') is var i and >= 0
        && long.TryParse(externalId.AsSpan(i + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string ExternalId(JsonElement m) =>
        ExternalId(m.Long("peer_id") ?? 0, m.Long("id") ?? 0, m.Long("conversation_message_id") ?? 0);

    private static string? NotPrivate(JsonElement m) => m.Long("peer_id") switch
    {
        null => throw new VkShapeException("The message has no peer_id."),
        >= ChatPeerStart => "a message in a group chat",
        <= 0 => "a message in a dialog with another community",
        _ => null,
    };

    private static bool IsFromCommunity(JsonElement m) => m.Long("out") == 1 || m.Long("from_id") is < 0;

    private static InboundMessage ToInbound(long channelId, JsonElement m, string raw)
    {
        var peer = m.Long("peer_id")!.Value;
        var from = m.Long("from_id") ?? peer;
        var (text, attachments, metadata) = Content(m);
        if (m.Long("conversation_message_id") is { } cmid)
        {
            metadata["conversationMessageId"] = VkJson.Text(cmid);
        }
        if (m.Str("payload") is { Length: > 0 and <= 1000 } payload)
        {
            metadata["payload"] = payload; // a keyboard button the customer pressed
        }
        var refSource = m.Str("ref") is { Length: > 0 and <= 200 } r ? r : null;
        return new InboundMessage(
            channelId,
            ExternalId(m),
            ThreadKey: null,
            new SenderIdentity(VkJson.Text(from > 0 ? from : peer)),
            text,
            Html: null,
            attachments,
            m.Unix("date"),
            m.Obj("reply_message") is { } replied && (replied.Long("id") > 0 || replied.Long("conversation_message_id") > 0)
                ? ExternalId(peer, replied.Long("id") ?? 0, replied.Long("conversation_message_id") ?? 0) : null,
            raw)
        {
            Source = refSource,
            Metadata = metadata.Count == 0 ? null : metadata,
        };
    }

    private static VkCommunityMessage ToCommunity(long channelId, JsonElement m, string raw)
    {
        var (text, attachments, _) = Content(m);
        return new VkCommunityMessage(channelId, ExternalId(m), VkJson.Text(m.Long("peer_id")!.Value), text, attachments, m.Unix("date"),
            m.Long("random_id") ?? 0, m.Long("admin_author_id") is { } admin and > 0 ? VkJson.Text(admin) : null, raw);
    }

    /// <summary>The text a person reads (the message's own, then lines for links, location and forwarded messages) and its files.</summary>
    private static (string? Text, List<InboundAttachment> Files, Dictionary<string, string> Metadata) Content(JsonElement m)
    {
        var metadata = new Dictionary<string, string>();
        var read = VkAttachments.Read(m);
        var lines = new List<string>();
        if (m.Str("text") is { Length: > 0 } own)
        {
            lines.Add(own);
        }
        lines.AddRange(read.Lines);
        if (m.Obj("geo") is { } geo && geo.Obj("coordinates") is { } at && at.Double("latitude") is { } lat && at.Double("longitude") is { } lon)
        {
            var (la, lo) = (VkAttachments.Coordinate(lat), VkAttachments.Coordinate(lon));
            lines.Add($"📍 Location: {la}, {lo} (https://maps.google.com/?q={la},{lo})");
            metadata["latitude"] = la;
            metadata["longitude"] = lo;
        }
        var forwarded = m.Arr("fwd_messages").ToList();
        foreach (var f in forwarded.Take(5))
        {
            lines.Add($"↪ Forwarded: {f.Str("text") ?? ""}".TrimEnd());
        }
        if (forwarded.Count > 0)
        {
            metadata["forwarded"] = VkJson.Text(forwarded.Count);
        }
        if (read.Unsupported.Count > 0)
        {
            metadata["unsupported"] = string.Join(",", read.Unsupported);
            if (lines.Count == 0 && read.Files.Count == 0)
            {
                lines.Add($"[Unsupported VK attachment: {string.Join(", ", read.Unsupported)}]");
            }
        }
        var text = lines.Count == 0 ? null : string.Join("\n", lines);
        return (text, read.Files, metadata);
    }
}
