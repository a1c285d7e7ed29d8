using ContactCenter.Api.Inbound;
using ContactCenter.Api.Outbound;
using ContactCenter.Api.Realtime;
using ContactCenter.Api.Storage;
using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Sms;

/// <summary>
/// Outbox work `media:sms`: fetches the MMS media of one inbound message with the channel's Twilio credentials and
/// attaches the files. Safe to run twice: only attachments without a file are fetched, and each is set at most once.
/// </summary>
public sealed class SmsMediaHandler(NpgsqlDataSource db, IChannelDirectory channels, TwilioMediaClient media, AttachmentStore files,
    InboxNotifier notifier, ILogger<SmsMediaHandler> logger) : IOutboxHandler
{
    public string Kind => "media:" + ChannelKinds.Sms;

    public async Task<OutboxResult> HandleAsync(OutboxItem item, bool lastAttempt, CancellationToken ct)
    {
        var (pending, channel) = await PendingMedia.ReadAsync(db, channels, item.MessageId, ct);
        if (pending.Count == 0)
        {
            return new OutboxResult.Done();
        }
        if (channel is null)
        {
            return new OutboxResult.Failed("The message's channel no longer exists.");
        }
        var attached = 0;
        OutboxResult outcome = new OutboxResult.Done();
        foreach (var attachment in pending)
        {
            switch (await media.DownloadAsync(channel, attachment.ExternalRef, ct))
            {
                case TwilioMediaClient.Result.Fetched fetched:
                    var path = await files.SaveAsync(fetched.Content, ct);
                    await using (var connection = await db.OpenConnectionAsync(ct))
                    {
                        attached += await connection.ExecuteAsync(new CommandDefinition("""
                            update attachments set storage_path = @path, size = @size, content_type = coalesce(@contentType, content_type)
                            where id = @id and storage_path is null
                            """, new { id = attachment.Id, path, size = fetched.Content.LongLength, contentType = fetched.ContentType }, cancellationToken: ct));
                    }
                    break;
                case TwilioMediaClient.Result.Retry retry:
                    outcome = outcome is OutboxResult.Failed ? outcome : new OutboxResult.Retry(retry.Reason, retry.After);
                    break;
                case TwilioMediaClient.Result.Failed failed:
                    logger.LogWarning("Media {AttachmentId} of message {MessageId} cannot be fetched: {Reason}", attachment.Id, item.MessageId, failed.Reason);
                    outcome = new OutboxResult.Failed(failed.Reason);
                    break;
            }
        }
        if (attached > 0)
        {
            await notifier.MessageUpdatedAsync(item.MessageId!.Value, ct);
        }
        return outcome;
    }
}
