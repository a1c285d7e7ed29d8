using ContactCenter.Core;
using MimeKit;
using MimeKit.Tnef;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// The files of one MIME entity as people expect to see them: a part's decoded content under a clean name, a
/// forwarded message (message/rfc822) as `subject.eml`, a calendar request as `invite.ics`, and the files packed
/// inside Outlook's `winmail.dat` (TNEF) instead of the opaque container (kept only when nothing can be unpacked).
/// </summary>
public static class EmailAttachments
{
    public static IReadOnlyList<InboundAttachment> From(MimeEntity entity, int index)
    {
        if (entity is TnefPart tnef && Unpack(tnef) is { Count: > 0 } unpacked)
        {
            return unpacked;
        }
        return One(entity, index) is { } single ? [single] : [];
    }

    private static List<InboundAttachment>? Unpack(TnefPart tnef)
    {
        try
        {
            var files = new List<InboundAttachment>();
            var index = 0;
            foreach (var part in tnef.ExtractAttachments())
            {
                index++;
                if (One(part, index) is { } file)
                {
                    files.Add(file);
                }
            }
            return files;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null; // a damaged winmail.dat is stored as it came
        }
    }

    private static InboundAttachment? One(MimeEntity entity, int index)
    {
        using var buffer = new MemoryStream();
        string name;
        switch (entity)
        {
            case MessagePart { Message: not null } part:
                part.Message.WriteTo(buffer);
                name = !string.IsNullOrWhiteSpace(part.ContentDisposition?.FileName) ? part.ContentDisposition.FileName
                    : !string.IsNullOrWhiteSpace(part.Message.Subject) ? Shorten(part.Message.Subject.Trim(), 150) + ".eml"
                    : $"message-{index}.eml";
                break;
            case MimePart part when part.Content is not null:
                part.Content.DecodeTo(buffer);
                name = part.FileName
                    ?? (part.ContentType.IsMimeType("text", "calendar") ? "invite.ics"
                        : part.ContentId is not null ? $"inline-{index}{Extension(part.ContentType.MimeType)}"
                        : $"attachment-{index}{Extension(part.ContentType.MimeType)}");
                break;
            default:
                return null;
        }
        var content = buffer.ToArray();
        return new InboundAttachment(FileNames.Clean(name, "attachment"), entity.ContentType.MimeType, content.LongLength, ExternalRef: null, content);
    }

    private static string Shorten(string value, int max) => value.Length <= max ? value : value[..max];

    private static string Extension(string mimeType) => MimeTypes.TryGetExtension(mimeType, out var ext) ? ext : "";
}
