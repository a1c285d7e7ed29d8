using System.Text.Json;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Outbound;
using ContactCenter.Api.Storage;
using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Calls;

/// <summary>
/// Outbox work `recording:voice`: fetches a call's recording (RecordingUrl + `.mp3`, with the account's credentials, through
/// the outbound guard like SMS media) and attaches it to the call message (`recordingAttachmentId`). Safe to run twice:
/// a recording already attached (by its RecordingSid) is not fetched again.
/// </summary>
public sealed class RecordingHandler(NpgsqlDataSource db, IChannelDirectory channels, TwilioMediaClient media, AttachmentStore files, CallLedger ledger,
    ILogger<RecordingHandler> logger) : IOutboxHandler
{
    public const string JobKind = "recording:" + ChannelKinds.Voice;

    public string Kind => JobKind;

    private sealed record Payload(string? RecordingSid, string? RecordingUrl);

    private sealed record Call(long ChannelId, string Metadata, bool Attached);

    public async Task<OutboxResult> HandleAsync(OutboxItem item, bool lastAttempt, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<Payload>(item.Payload, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        if (item.MessageId is not { } messageId || payload is not { RecordingSid: { } recordingSid, RecordingUrl: { } recordingUrl })
        {
            return new OutboxResult.Failed("The job names no call or recording.");
        }
        Call? call;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            call = await connection.QuerySingleOrDefaultAsync<Call>(new CommandDefinition("""
                select m.channel_id, coalesce(m.metadata, '{}'::jsonb)::text as metadata,
                       exists (select 1 from attachments a where a.message_id = m.id and a.external_ref = @recordingSid) as attached
                from messages m where m.id = @messageId
                """, new { messageId, recordingSid }, cancellationToken: ct));
        }
        if (call is null)
        {
            return new OutboxResult.Failed("The call no longer exists.");
        }
        if (call.Attached)
        {
            return new OutboxResult.Done();
        }
        var channel = await channels.FindAsync(call.ChannelId, ct);
        if (channel is null)
        {
            return new OutboxResult.Failed("The call's channel no longer exists.");
        }
        // Twilio serves a recording as WAV at its URL and as MP3 with the extension; MP3 is a tenth of the size.
        switch (await media.DownloadAsync(channel, recordingUrl.TrimEnd('/') + ".mp3", ct))
        {
            case TwilioMediaClient.Result.Fetched fetched:
                await AttachAsync(messageId, recordingSid, fetched, ct);
                return new OutboxResult.Done();
            case TwilioMediaClient.Result.Retry retry:
                return new OutboxResult.Retry(retry.Reason, retry.After);
            case TwilioMediaClient.Result.Failed failed:
                logger.LogWarning("Recording {RecordingSid} of call message {MessageId} cannot be fetched: {Reason}", recordingSid, messageId, failed.Reason);
                return new OutboxResult.Failed(failed.Reason);
            default:
                return new OutboxResult.Failed("Unknown download result.");
        }
    }

    private async Task AttachAsync(long messageId, string recordingSid, TwilioMediaClient.Result.Fetched fetched, CancellationToken ct)
    {
        var path = await files.SaveAsync(fetched.Content, ct);
        // Played by the browser: only audio types are kept; anything else Twilio might label is served as MP3 was asked for.
        var contentType = fetched.ContentType is { } type && type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) && type.Length <= 100 ? type : "audio/mpeg";
        var changes = new CrmChanges();
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var metadataText = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "select coalesce(metadata, '{}'::jsonb)::text from messages where id = @messageId for update", new { messageId }, tx, cancellationToken: ct));
            var attachmentId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                insert into attachments (message_id, file_name, content_type, size, external_ref, storage_path)
                select @messageId, @fileName, @contentType, @size, @recordingSid, @path
                where not exists (select 1 from attachments where message_id = @messageId and external_ref = @recordingSid)
                returning id
                """, new { messageId, fileName = $"recording-{recordingSid}.mp3", contentType, size = fetched.Content.LongLength, recordingSid, path },
                tx, cancellationToken: ct));
            if (attachmentId is null)
            {
                return; // another run attached it meanwhile
            }
            var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(metadataText ?? "{}") ?? [];
            // The conversation (the call) keeps its first recording as the one to play; a voicemail after a ring round is the only one.
            if (!metadata.ContainsKey(CallInfo.RecordingAttachmentId))
            {
                metadata[CallInfo.RecordingAttachmentId] = attachmentId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await CallLedger.SaveAsync(connection, tx, messageId, metadata, changes, ct);
            await tx.CommitAsync(ct);
        }
        await ledger.PushAsync(messageId, changes);
    }
}
