using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Messages;
using ContactCenter.Api.Realtime;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Hours;

/// <summary>
/// The out-of-hours reply and the acknowledgement, decided after the inbound message is committed (never inside the
/// ingest transaction). Each is an automated outbound message (`sender_type = 'system'`, `metadata.automated`) sent
/// through the outbox like any reply, and deduped by its client message id — `auto:ooh:{start of the closed period}`
/// or `auto:ack:{start of the customer's cycle}` — which the messages_client_key unique index makes exactly-once
/// across nodes and retries. A machine's message (an email auto-reply, a bulk mail, one asking for no auto-response)
/// is never answered, so two auto-responders cannot loop.
/// </summary>
public sealed class AutoReplies(NpgsqlDataSource db, InboxNotifier notifier, TimeProvider clock, ILogger<AutoReplies> logger)
{
    // Channel settings change rarely; a few seconds of staleness keeps the ingest path off the database for channels
    // that have neither reply switched on (the common case).
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<long, (long Until, HoursSettings Settings)> cache = new();

    public async Task OnInboundAsync(InboundMessage message, IngestResult result, CancellationToken ct)
    {
        if (IsMachine(message))
        {
            return;
        }
        var settings = await SettingsAsync(message.ChannelId, ct);
        if (settings is null || !settings.AnyReply)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var closedSince = settings.Hours?.ClosedSince(now);
        long? messageId = null;
        if (closedSince is { } period)
        {
            if (settings.OutOfHoursText is { } text)
            {
                messageId = await InsertAsync(result, "outOfHours", $"auto:ooh:{period.ToUnixTimeSeconds()}", text, firstOfCycle: false, now, ct);
            }
        }
        else if (settings.AcknowledgementText is { } text)
        {
            messageId = await InsertAsync(result, "acknowledgement", null, text, firstOfCycle: true, now, ct);
        }
        if (messageId is { } id)
        {
            logger.LogInformation("Automatic reply {MessageId} queued in conversation {ConversationId}", id, result.ConversationId);
            await notifier.MessageCreatedAsync(id, ct);
        }
    }

    /// <summary>Auto-Submitted, X-Autoreply/X-Autorespond, Precedence bulk/junk/auto_reply (the email parser's `autoReply`) or X-Auto-Response-Suppress.</summary>
    public static bool IsMachine(InboundMessage message) =>
        message.Automated
        || message.Metadata?.GetValueOrDefault("autoReply") == "true"
        || message.Metadata?.ContainsKey("autoResponseSuppress") == true;

    /// <summary>Drops the cached settings of a channel just created or changed on this node.</summary>
    public void Forget(long channelId) => cache.TryRemove(channelId, out _);

    private async Task<HoursSettings?> SettingsAsync(long channelId, CancellationToken ct)
    {
        var tick = Environment.TickCount64;
        if (cache.TryGetValue(channelId, out var hit) && hit.Until > tick)
        {
            return hit.Settings;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select settings::text from channels where id = @channelId", new { channelId }, cancellationToken: ct));
        var settings = json is null ? null : HoursSettings.From(JsonNode.Parse(json)!.AsObject());
        if (settings is not null)
        {
            cache[channelId] = (tick + (long)CacheFor.TotalMilliseconds, settings);
        }
        return settings;
    }

    /// <param name="key">The dedupe key; null: the acknowledgement's, `auto:ack:{cycle start}`, computed in SQL.</param>
    /// <param name="firstOfCycle">Only when this is the customer's first message since the conversation (re)opened.</param>
    private async Task<long?> InsertAsync(IngestResult result, string kind, string? key, string text, bool firstOfCycle, DateTimeOffset now, CancellationToken ct)
    {
        // Nothing in a resolved conversation; the acknowledgement only for the first customer message of the cycle.
        const string due = """
            select coalesce(@key, 'auto:ack:' || floor(extract(epoch from c.cycle_started_at) * 1000)::bigint::text)
            from conversations c
            where c.id = @conversationId and c.status <> 'resolved'
              and (not @firstOfCycle or (c.cycle_started_at is not null and not exists (
                    select 1 from messages p where p.conversation_id = c.id and p.direction = 'inbound' and p.sender_type = 'contact'
                      and p.id < @messageId and coalesce(p.sent_at, p.created_at) >= c.cycle_started_at)))
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var clientKey = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(due, new
        {
            conversationId = result.ConversationId, messageId = result.MessageId, key, firstOfCycle,
        }, tx, cancellationToken: ct));
        if (clientKey is null)
        {
            return null;
        }
        var written = await MessageWriter.WriteAsync(connection, tx, new NewMessage(result.ConversationId, Note: false, text, now)
        {
            ClientMessageId = clientKey,
            Automated = kind,
            Bump = ConversationBump.Touch,
            OnTimeline = true,
        }, ct);
        await tx.CommitAsync(ct);
        return written is { Inserted: true } ? written.Id : null;
    }
}
