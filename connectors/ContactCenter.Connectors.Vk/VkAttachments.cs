using System.Globalization;
using System.Text.Json;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// A message's `attachments` array: files (photo, doc, audio_message, sticker, graffiti) become attachments whose
/// reference is the URL VK gives (fetched later by the media job), everything else (video, link, wall post, product,
/// audio track) a line of text with a link, so nothing a customer sent is silently lost.
/// </summary>
internal static class VkAttachments
{
    // VK's photo size letters, largest first (for sizes without width and height, which old photos have).
    private const string SizeOrder = "wzyrqpoxms";

    public sealed record Result(List<InboundAttachment> Files, List<string> Lines, List<string> Unsupported);

    public static Result Read(JsonElement message)
    {
        var result = new Result([], [], []);
        foreach (var item in message.Arr("attachments"))
        {
            var type = item.Str("type") ?? "";
            if (item.Obj(type) is not { } body)
            {
                result.Unsupported.Add(type.Length == 0 ? "unknown" : type);
                continue;
            }
            var key = $"{body.Long("owner_id") ?? 0}_{body.Long("id") ?? 0}".Replace("-", "m", StringComparison.Ordinal);
            switch (type)
            {
                case "photo" when LargestPhoto(body) is { } url:
                    result.Files.Add(new InboundAttachment($"photo_{key}.jpg", "image/jpeg", null, url));
                    break;
                case "doc" when body.Str("url") is { Length: > 0 } url:
                    var ext = (body.Str("ext") ?? "").Trim('.').ToLowerInvariant();
                    var title = body.Str("title") is { Length: > 0 } t ? t : $"doc_{key}";
                    var name = ext.Length > 0 && !title.EndsWith("." + ext, StringComparison.OrdinalIgnoreCase) ? $"{title}.{ext}" : title;
                    result.Files.Add(new InboundAttachment(name, ContentTypeOf(ext), body.Long("size"), url));
                    break;
                case "audio_message" when body.Str("link_ogg") is { Length: > 0 } ogg:
                    result.Files.Add(new InboundAttachment($"voice_{key}.ogg", "audio/ogg", null, ogg));
                    break;
                case "audio_message" when body.Str("link_mp3") is { Length: > 0 } mp3:
                    result.Files.Add(new InboundAttachment($"voice_{key}.mp3", "audio/mpeg", null, mp3));
                    break;
                case "sticker" when (LargestImage(body.Arr("images")) ?? LargestImage(body.Arr("images_with_background"))) is { } url:
                    result.Files.Add(new InboundAttachment($"sticker_{body.Long("sticker_id") ?? 0}.png", "image/png", null, url));
                    break;
                case "graffiti" when body.Str("url") is { Length: > 0 } url:
                    result.Files.Add(new InboundAttachment($"graffiti_{key}.png", "image/png", null, url));
                    break;
                case "video":
                    result.Lines.Add($"🎬 Video: {body.Str("title") ?? ""} https://vk.com/video{body.Long("owner_id") ?? 0}_{body.Long("id") ?? 0}".Replace("  ", " ", StringComparison.Ordinal));
                    break;
                case "link" when body.Str("url") is { Length: > 0 } url:
                    result.Lines.Add($"🔗 {url}");
                    break;
                case "wall":
                    result.Lines.Add($"📰 Wall post: https://vk.com/wall{body.Long("owner_id") ?? body.Long("from_id") ?? body.Long("to_id") ?? 0}_{body.Long("id") ?? 0}");
                    break;
                case "market":
                    result.Lines.Add($"🛒 Product: {body.Str("title") ?? ""} https://vk.com/product{body.Long("owner_id") ?? 0}_{body.Long("id") ?? 0}");
                    break;
                case "audio":
                    result.Lines.Add($"🎵 {body.Str("artist") ?? ""} — {body.Str("title") ?? ""}");
                    break;
                case "gift":
                    result.Lines.Add("🎁 Gift");
                    break;
                default:
                    result.Unsupported.Add(type);
                    break;
            }
        }
        return result;
    }

    /// <summary>The biggest copy of a photo: `orig_photo` when VK gives it, else the largest of `sizes`.</summary>
    private static string? LargestPhoto(JsonElement photo)
    {
        if (photo.Obj("orig_photo") is { } orig && orig.Str("url") is { Length: > 0 } origUrl)
        {
            return origUrl;
        }
        var sizes = photo.Arr("sizes").Where(s => s.Str("url") is { Length: > 0 }).ToList();
        if (sizes.Count == 0)
        {
            return null;
        }
        var best = sizes
            .OrderByDescending(s => (s.Long("width") ?? 0) * (s.Long("height") ?? 0))
            .ThenBy(s => SizeOrder.IndexOf((s.Str("type") ?? "s")[0]) is var i and >= 0 ? i : SizeOrder.Length)
            .First();
        return best.Str("url");
    }

    private static string? LargestImage(IEnumerable<JsonElement> images) => images
        .Where(i => i.Str("url") is { Length: > 0 })
        .OrderByDescending(i => (i.Long("width") ?? 0) * (i.Long("height") ?? 0))
        .Select(i => i.Str("url"))
        .FirstOrDefault();

    private static string ContentTypeOf(string ext) => ext switch
    {
        "pdf" => "application/pdf",
        "jpg" or "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" => "text/plain",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    };

    public static string Coordinate(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
