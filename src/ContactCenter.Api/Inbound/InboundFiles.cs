using ContactCenter.Api.Storage;
using ContactCenter.Core;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// An inbound message's files go to the file store before its database transaction, so the batch's transaction (and the
/// row locks it holds for up to 64 messages) never waits on the disk. A copy that turns out to be a redelivery discards
/// the files it wrote; files whose transaction never committed (a crash, a failed batch) are left for
/// <see cref="OrphanFileSweeper"/>.
/// </summary>
public static class InboundFiles
{
    public static async Task<InboundMessage> WriteAsync(AttachmentStore files, InboundMessage message, CancellationToken ct)
    {
        if (!message.Attachments.Any(a => a.Content is not null && a.StoragePath is null))
        {
            return message;
        }
        var written = new List<InboundAttachment>(message.Attachments.Count);
        try
        {
            foreach (var a in message.Attachments)
            {
                written.Add(a.Content is null || a.StoragePath is not null ? a : a with { StoragePath = await files.SaveAsync(a.Content, ct) });
            }
        }
        catch
        {
            Discard(files, message with { Attachments = written });
            throw;
        }
        return message with { Attachments = written };
    }

    /// <summary>Removes the files <see cref="WriteAsync"/> wrote for a copy that was not stored (a redelivery).</summary>
    public static void Discard(AttachmentStore files, InboundMessage message)
    {
        foreach (var path in message.Attachments.Select(a => a.StoragePath).OfType<string>())
        {
            try
            {
                files.Delete(path);
            }
            catch (IOException)
            {
                // The orphan sweep takes it later.
            }
        }
    }
}
