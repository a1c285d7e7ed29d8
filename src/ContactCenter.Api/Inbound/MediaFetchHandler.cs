using ContactCenter.Api.Outbound;
using ContactCenter.Api.Realtime;
using ContactCenter.Api.Storage;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// Outbox work `media:&lt;kind&gt;` (queued by the pipeline for attachments that came as references): asks the
/// kind's <see cref="IInboundMediaFetcher"/> for each attachment still without content, stores the file and pushes
/// `messageUpdated`. Only attachments without a storage path are fetched, so running it twice is harmless.
/// </summary>
public sealed class MediaFetchHandler(
    NpgsqlDataSource db, IEnumerable<IInboundMediaFetcher> fetchers, IChannelDirectory channels, AttachmentStore files,
    InboxNotifier notifier, ILogger<MediaFetchHandler> logger) : IOutboxHandler
{
    /// <summary>Handles every `media:` kind that has no handler of its own.</summary>
    public const string AnyKind = "media:*";

    /// <summary>Larger files are not kept (Telegram's bots may download up to 20 MB).</summary>
    public const long MaxBytes = 50L * 1024 * 1024;

    private readonly Dictionary<string, IInboundMediaFetcher> byKind = fetchers.ToDictionary(f => f.Kind);

    public string Kind => AnyKind;

    public async Task<OutboxResult> HandleAsync(OutboxItem item, bool lastAttempt, CancellationToken ct)
    {
        var kind = item.Kind["media:".Length..];
        if (!byKind.TryGetValue(kind, out var fetcher))
        {
            return new OutboxResult.Failed($"Files of {kind} channels cannot be fetched.");
        }
        var (pending, channel) = await PendingMedia.ReadAsync(db, channels, item.MessageId, ct);
        if (pending.Count == 0)
        {
            return new OutboxResult.Done();
        }
        if (channel is null)
        {
            return new OutboxResult.Failed("The channel no longer exists.");
        }
        var stored = 0;
        OutboxResult? retry = null;
        var failures = new List<string>();
        foreach (var attachment in pending)
        {
            using var buffer = new MemoryStream();
            var result = await fetcher.FetchAsync(channel, attachment.ExternalRef, buffer, ct);
            switch (result)
            {
                case MediaFetchResult.Fetched fetched when buffer.Length <= MaxBytes:
                    var path = await files.SaveAsync(buffer.ToArray(), ct);
                    await using (var connection = await db.OpenConnectionAsync(ct))
                    {
                        await connection.ExecuteAsync(new CommandDefinition("""
                            update attachments set storage_path = @path, size = @size,
                                content_type = coalesce(@contentType, content_type), file_name = coalesce(@fileName, file_name)
                            where id = @id and storage_path is null
                            """, new
                        {
                            attachment.Id, path, size = buffer.Length, contentType = fetched.ContentType,
                            fileName = fetched.FileName is null ? null : FileNames.Clean(fetched.FileName),
                        }, cancellationToken: ct));
                    }
                    stored++;
                    break;
                case MediaFetchResult.Fetched:
                    failures.Add($"Attachment {attachment.Id} is larger than {MaxBytes / 1024 / 1024} MB.");
                    break;
                case MediaFetchResult.Retry r:
                    retry ??= new OutboxResult.Retry(r.Reason, r.After);
                    break;
                case MediaFetchResult.Failed f:
                    failures.Add($"Attachment {attachment.Id}: {f.Reason}");
                    break;
            }
        }
        if (stored > 0 && item.MessageId is { } messageId)
        {
            await notifier.MessageUpdatedAsync(messageId, ct);
        }
        if (retry is not null)
        {
            return retry;
        }
        if (failures.Count > 0)
        {
            logger.LogWarning("Files of message {MessageId} could not be fetched: {Reasons}", item.MessageId, string.Join("; ", failures));
            return new OutboxResult.Failed(string.Join("; ", failures));
        }
        return new OutboxResult.Done();
    }
}
