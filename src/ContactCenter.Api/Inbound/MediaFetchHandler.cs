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
        var (pending, channel) = await PendingMedia.ReadAsync(db, channels, item.MessageId, ct);
        if (pending.Count == 0)
        {
            return new OutboxResult.Done();
        }
        if (!byKind.TryGetValue(kind, out var fetcher))
        {
            return await GiveUpAsync(item, pending.Select(a => (a.Id, $"Files of {kind} channels cannot be fetched.")).ToList(), ct);
        }
        if (channel is null)
        {
            return await GiveUpAsync(item, pending.Select(a => (a.Id, "The channel no longer exists.")).ToList(), ct);
        }
        var stored = 0;
        OutboxResult.Retry? retry = null;
        var retrying = new List<long>();
        var failures = new List<(long Id, string Reason)>();
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
                    failures.Add((attachment.Id, $"The file is larger than {MaxBytes / 1024 / 1024} MB."));
                    break;
                case MediaFetchResult.Retry r:
                    retry ??= new OutboxResult.Retry(r.Reason, r.After);
                    retrying.Add(attachment.Id);
                    break;
                case MediaFetchResult.Failed f:
                    failures.Add((attachment.Id, f.Reason));
                    break;
            }
        }
        if (retry is not null && lastAttempt)
        {
            failures.AddRange(retrying.Select(id => (id, $"Gave up after {item.Attempts} attempts: {retry.Reason}")));
        }
        if (failures.Count > 0)
        {
            await MarkAsync(failures, ct);
        }
        if ((stored > 0 || failures.Count > 0) && item.MessageId is { } messageId)
        {
            await notifier.MessageUpdatedAsync(messageId, ct);
        }
        if (retry is not null && !lastAttempt)
        {
            return retry;
        }
        if (failures.Count > 0)
        {
            var reasons = string.Join("; ", failures.Select(f => $"attachment {f.Id}: {f.Reason}"));
            logger.LogWarning("Files of message {MessageId} could not be fetched: {Reasons}", item.MessageId, reasons);
            return new OutboxResult.Failed(reasons);
        }
        return new OutboxResult.Done();
    }

    /// <summary>Nothing of this message's pending files can be fetched: each says why, and the message is pushed again.</summary>
    private async Task<OutboxResult> GiveUpAsync(OutboxItem item, List<(long Id, string Reason)> failures, CancellationToken ct)
    {
        await MarkAsync(failures, ct);
        if (item.MessageId is { } messageId)
        {
            await notifier.MessageUpdatedAsync(messageId, ct);
        }
        return new OutboxResult.Failed(failures[0].Reason);
    }

    /// <summary>Records why each file could not be fetched (shown for it instead of "still being fetched"; not fetched again).</summary>
    private async Task MarkAsync(IReadOnlyList<(long Id, string Reason)> failures, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "update attachments a set fetch_error = f.reason from unnest(@ids, @reasons) as f(id, reason) where a.id = f.id and a.storage_path is null",
            new { ids = failures.Select(f => f.Id).ToArray(), reasons = failures.Select(f => InboundLimits.Cut(f.Reason, 1000)).ToArray() }, cancellationToken: ct));
    }
}
