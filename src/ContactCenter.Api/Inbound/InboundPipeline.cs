using System.Diagnostics;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Routing;
using ContactCenter.Api.Infrastructure.Telemetry;
using ContactCenter.Api.Realtime;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// The one way in for every channel. In ONE transaction (<see cref="InboundStore"/>; concurrent messages share one,
/// <see cref="InboundBatcher"/>): resolve the contact, find or open (or reopen) the conversation, attach to the
/// contact's open lead or deal (or open one), insert the message (a repeated external id changes nothing), add the
/// timeline entry, bump unread state and queue follow-up work. The push to SignalR happens right after commit, in-process:
/// the message, then the lead or deal the message opened (from the same place, no queue in between).
/// </summary>
public sealed class InboundPipeline(NpgsqlDataSource db, InboundBatcher batcher, InboxNotifier notifier, MessageQueries messages, ConversationQueries conversations, Router router, Features.Hours.AutoReplies autoReplies, TimeProvider clock,
    CrmNotifier crm, AppTelemetry telemetry, Storage.AttachmentStore files, ILogger<InboundPipeline> logger) : IInboundPipeline, IUnhandledInboundSink
{
    private sealed record Existing(long Id, long ConversationId, long ContactId);

    public async Task<IngestResult> IngestAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        message = InboundTimestamps.Normalize(InboundLimits.Apply(StorableText.Clean(message)), clock.GetUtcNow());
        using var span = AppTelemetry.Source.StartActivity("inbound.ingest");
        span?.SetTag("channel.id", message.ChannelId);
        span?.SetTag("message.external_id", message.ExternalId);
        var started = Stopwatch.GetTimestamp();
        // Files first, outside the transaction (and once: a retried batch reuses them).
        message = await InboundFiles.WriteAsync(files, message, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var ingested = await batcher.StoreAsync(message, cancellationToken);
                var result = ingested.Result;
                span?.SetTag("message.id", result.MessageId);
                span?.SetTag("conversation.id", result.ConversationId);
                span?.SetTag("message.duplicate", result.Duplicate);
                if (result.Duplicate)
                {
                    InboundFiles.Discard(files, message); // the first copy's rows keep the first copy's files
                }
                else
                {
                    await PushAsync(ingested);
                    await AutoReplyAsync(message, result);
                }
                var channel = new KeyValuePair<string, object?>("channel.id", message.ChannelId);
                telemetry.InboundMessages.Add(1, channel, new("outcome", result.Duplicate ? "duplicate" : "stored"));
                telemetry.InboundDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, channel);
                return result;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 3)
            {
                logger.LogInformation("Retrying inbound {ExternalId} after {SqlState}", message.ExternalId, ex.SqlState);
            }
        }
    }

    public async Task<IngestResult> EditAsync(InboundEdit edit, CancellationToken cancellationToken)
    {
        // Cleaned and cut as a new message is (an edit with a NUL was refused by PostgreSQL on every retry: a poller stuck
        // for good; an edit's text skipped the length limit a new message has).
        edit = edit with
        {
            ExternalId = InboundLimits.Cut(StorableText.Clean(edit.ExternalId), InboundLimits.Identifier)!,
            Text = InboundLimits.Cut(StorableText.Clean(edit.Text), InboundLimits.Text),
            RawPayload = StorableText.CleanJson(edit.RawPayload),
        };
        const string sql = $"""
            with m as (
                update messages m set {MessageEditSql.Set}
                from conversations c
                where m.channel_id = @channelId and m.external_id = @externalId and m.direction = 'inbound' and c.id = m.conversation_id
                  and {MessageEditSql.NotOlder}
                returning m.id, m.conversation_id, c.contact_id
            ), {MessageEditSql.Preview}
            select id, conversation_id, contact_id from m
            """;
        var editedAt = (InboundTimestamps.Utc(edit.EditedAt, clock.GetUtcNow()) ?? clock.GetUtcNow()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Existing? updated;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            updated = await connection.QuerySingleOrDefaultAsync<Existing>(new CommandDefinition(sql,
                new { edit.ChannelId, edit.ExternalId, edit.Text, editedAt }, cancellationToken: cancellationToken));
        }
        if (updated is null)
        {
            // Never stored (or a stale edit): store it as a message marked edited; a known id is a duplicate and changes nothing.
            var metadata = new Dictionary<string, string>(edit.Original.Metadata ?? new Dictionary<string, string>())
            {
                ["edited"] = "true",
                ["editedAt"] = editedAt,
            };
            return await IngestAsync(edit.Original with { Metadata = metadata }, cancellationToken);
        }
        try
        {
            await notifier.MessageUpdatedAsync(updated.Id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Push of edited message {MessageId} failed", updated.Id);
        }
        return new IngestResult(updated.Id, updated.ConversationId, updated.ContactId, Duplicate: false);
    }

    public async Task RecordUnhandledAsync(UnhandledInbound item, CancellationToken cancellationToken)
    {
        item = item with { ExternalId = StorableText.Clean(item.ExternalId)!, Kind = StorableText.Clean(item.Kind)!, RawPayload = StorableText.CleanJson(item.RawPayload) };
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into unhandled_inbound (channel_id, external_id, kind, raw) values (@ChannelId, @ExternalId, @Kind, @RawPayload::jsonb)
            on conflict (channel_id, external_id) do nothing
            """, item, cancellationToken: cancellationToken));
    }

    /// <summary>The out-of-hours reply or acknowledgement, after commit; a failure never fails the ingest (the customer's message is stored).</summary>
    private async Task AutoReplyAsync(InboundMessage message, IngestResult result)
    {
        try
        {
            await autoReplies.OnInboundAsync(message, result, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Automatic reply to message {MessageId} failed", result.MessageId);
        }
    }

    /// <summary>
    /// One fan-out after commit: route first (a channel that routes automatically), then push the message, its wake note and
    /// the conversation once to the audience as routed, so no one gets it as a channel member and then again as assignee;
    /// then the lead or deal the message opened, to the people who see it.
    /// </summary>
    private async Task PushAsync(Ingested ingested)
    {
        var result = ingested.Result;
        // A child of inbound.ingest, so one trace holds the webhook's request, the message's ingest and its push.
        using var span = AppTelemetry.Source.StartActivity("inbound.push");
        span?.SetTag("message.id", result.MessageId);
        span?.SetTag("conversation.id", result.ConversationId);
        Router.Assignment? routed = null;
        try
        {
            // A channel that assigns nobody automatically (as the batch read it) is not asked again per message.
            if (ingested.MayRoute != false)
            {
                routed = await router.RouteInboundAsync(result.ConversationId, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The message still goes out to the channel; an unrouted conversation is picked up by the next drain.
            logger.LogWarning(ex, "Routing of conversation {ConversationId} failed", result.ConversationId);
        }
        try
        {
            var started = Stopwatch.GetTimestamp();
            // The batch returned the client's records from its insert; a message stored alone (the fallback) is read back.
            var created = new List<MessageDto>(2);
            if ((ingested.Message ?? await messages.GetAsync(result.MessageId, CancellationToken.None)) is { } message)
            {
                created.Add(message);
            }
            // The customer woke a snoozed conversation: open screens get the note too.
            if ((ingested.WakeNote ?? (result.WakeNoteId is { } noteId ? await messages.GetAsync(noteId, CancellationToken.None) : null)) is { } note)
            {
                created.Add(note);
            }
            // Not routed: the batch's one read of its conversations serves this push too.
            var read = routed is null && ingested.PushReads is { } shared ? await shared.GetAsync(conversations, result.ConversationId) : null;
            await notifier.MessagesCreatedAsync(result.ConversationId, created, routed?.FormerViewers ?? [], read, CancellationToken.None);
            telemetry.PushDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            var opened = ingested.Crm is { } c && c.Leads.Count + c.Deals.Count > 0 ? c : null;
            if (opened is not null && routed is not null)
            {
                // One push per lead or deal: the assignment's follow-up pushes what routing changed, and this too.
                routed.CrmChanges.Leads.UnionWith(opened.Leads);
                routed.CrmChanges.Deals.UnionWith(opened.Deals);
                routed.CrmChanges.CounterUsers.UnionWith(opened.CounterUsers);
                opened = null;
            }
            await router.AfterInboundPushAsync(routed, CancellationToken.None);
            if (opened is not null)
            {
                await crm.FlushAsync(opened, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Stored is what counts; a client that missed the push re-reads through REST on reconnect.
            logger.LogWarning(ex, "Push of message {MessageId} failed", result.MessageId);
        }
    }
}
