using System.Globalization;
using System.Text.Json;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Routing;
using ContactCenter.Api.Realtime;
using ContactCenter.Connectors.Voice;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Calls;

/// <summary>
/// The host half of the voice connector: who to ring (online channel members with a phone), and a call's life after
/// the inbound pipeline stored it — who answered, its status and duration, missed (then a call-back activity for the
/// assignee, once), its recording (an outbox job). Each change updates the call message and its `call` timeline entry
/// in one transaction and is pushed after commit (messageUpdated, dealUpdated/leadUpdated).
/// </summary>
public sealed class CallLedger(NpgsqlDataSource db, PresenceTracker presence, InboxNotifier inbox, CrmNotifier crm, TimeProvider clock,
    ILogger<CallLedger> logger) : ICallLedger
{
    private sealed record Agent(long Id, string Name, string Phone);

    private sealed record CallRow(long Id, long ConversationId, string Direction, long? SenderUserId, string Metadata);

    public async Task<IReadOnlyList<CallAgent>> OnlineAgentsAsync(long channelId, CancellationToken ct)
    {
        const string sql = """
            select u.id, u.name, u.phone from channel_members m join users u on u.id = m.user_id
            where m.channel_id = @channelId and u.is_active and u.phone is not null order by u.id
            """;
        List<Agent> members;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            members = (await connection.QueryAsync<Agent>(new CommandDefinition(sql, new { channelId }, cancellationToken: ct))).ToList();
        }
        var online = await presence.OnlineAsync(members.Select(m => m.Id).ToList());
        return members.Where(m => online.Contains(m.Id)).Select(m => new CallAgent(m.Id, m.Name, m.Phone)).ToList();
    }

    public Task AnsweredAsync(long channelId, string callSid, long userId, CancellationToken ct) =>
        ChangeAsync(channelId, callSid, async (connection, tx, call, metadata, changes) =>
        {
            var name = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select name from users where id = @userId", new { userId }, tx, cancellationToken: ct));
            if (name is null)
            {
                return false;
            }
            metadata[CallInfo.AnsweredById] = userId.ToString(CultureInfo.InvariantCulture);
            metadata[CallInfo.AnsweredBy] = name;
            metadata[CallInfo.UserId] = userId.ToString(CultureInfo.InvariantCulture);
            metadata[CallInfo.Missed] = "false";
            return true;
        }, ct);

    public Task<bool> UpdateAsync(long channelId, CallUpdate update, CancellationToken ct) =>
        ChangeAsync(channelId, update.CallSid, async (connection, tx, call, metadata, changes) =>
        {
            var wasFinal = metadata.GetValueOrDefault(CallInfo.Final) == "true";
            if (update.Status is { } status && !wasFinal)
            {
                // Callbacks can arrive out of order: a final state is never replaced by an earlier one.
                metadata[CallInfo.Status] = status;
            }
            if (update.DurationSeconds is { } seconds && seconds >= Int(metadata.GetValueOrDefault(CallInfo.Duration)))
            {
                metadata[CallInfo.Duration] = seconds.ToString(CultureInfo.InvariantCulture);
            }
            if (update.AnsweredBy is { } machine)
            {
                metadata[CallInfo.MachineAnsweredBy] = machine;
            }
            if (update.DialStatus is { } dial)
            {
                metadata[CallInfo.DialStatus] = dial;
            }
            if (!update.IsFinal || wasFinal)
            {
                return true;
            }
            metadata[CallInfo.Final] = "true";
            var inbound = call.Direction == "inbound";
            // Inbound: a manager talked (picked up, or the ring round reports an answer). Outbound: the manager's own leg completed.
            var answered = inbound
                ? metadata.ContainsKey(CallInfo.AnsweredById) || metadata.GetValueOrDefault(CallInfo.DialStatus) is "completed" or "answered"
                : update.Status == "completed";
            metadata[CallInfo.Missed] = answered ? "false" : "true";
            if (!inbound)
            {
                metadata[CallInfo.UserId] = call.SenderUserId?.ToString(CultureInfo.InvariantCulture) ?? "";
            }
            else if (!answered)
            {
                var assignee = await CreateCallBackAsync(connection, tx, call, metadata, changes, ct);
                if (assignee is not null)
                {
                    metadata[CallInfo.UserId] = assignee.Value.ToString(CultureInfo.InvariantCulture);
                }
            }
            return true;
        }, ct);

    public async Task<bool> QueueRecordingAsync(long channelId, string callSid, string recordingSid, string recordingUrl, CancellationToken ct)
    {
        const string sql = """
            with m as (select id from messages where channel_id = @channelId and external_id = @callSid),
            o as (
                insert into outbox (kind, message_id, payload)
                select @kind, m.id, jsonb_build_object('recordingSid', @recordingSid, 'recordingUrl', @recordingUrl) from m
                where not exists (select 1 from outbox o where o.kind = @kind and o.message_id = m.id and o.payload ->> 'recordingSid' = @recordingSid)
                returning id
            ), w as (select pg_notify('cc_outbox', '') from o)
            select (select count(*) from m) > 0 from (select count(*) from w) x
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql,
            new { channelId, callSid, recordingSid, recordingUrl, kind = RecordingHandler.JobKind }, cancellationToken: ct));
    }

    /// <summary>"Call back" for the lead's or deal's assignee (else the conversation's), due now. Returns that assignee.</summary>
    private async Task<long?> CreateCallBackAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CallRow call, Dictionary<string, string> metadata,
        CrmChanges changes, CancellationToken ct)
    {
        var link = await connection.QuerySingleAsync<(long? LeadId, long? DealId, long? AssigneeId)>(new CommandDefinition(
            "select lead_id, deal_id, assignee_id from conversations where id = @id", new { id = call.ConversationId }, tx, cancellationToken: ct));
        Subject? subject = link.DealId is { } deal ? Subject.Deal(deal) : link.LeadId is { } lead ? Subject.Lead(lead) : null;
        if (subject is null)
        {
            logger.LogInformation("Missed call {MessageId} has no lead or deal to put a call-back on", call.Id);
            return link.AssigneeId;
        }
        var assignee = await ActivityService.OwnerAsync(connection, tx, subject.Value, ct) ?? link.AssigneeId;
        var now = clock.GetUtcNow();
        var from = metadata.GetValueOrDefault(CallInfo.From) ?? "";
        await ActivityService.InsertAsync(new CrmWrite(connection, tx, Actor.System, now, changes),
            new NewActivity(subject.Value, "call", $"Call back {from}", $"Missed call from {from}.", now, assignee, null), ct);
        return assignee;
    }

    private delegate Task<bool> Change(NpgsqlConnection connection, NpgsqlTransaction tx, CallRow call, Dictionary<string, string> metadata, CrmChanges changes);

    /// <summary>Locks the call's message, applies the change to its metadata, writes it to the message and its timeline entry, pushes.</summary>
    private async Task<bool> ChangeAsync(long channelId, string callSid, Change change, CancellationToken ct)
    {
        var changes = new CrmChanges();
        CallRow? call;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            call = await connection.QuerySingleOrDefaultAsync<CallRow>(new CommandDefinition("""
                select id, conversation_id, direction, sender_user_id, coalesce(metadata, '{}'::jsonb)::text as metadata
                from messages where channel_id = @channelId and external_id = @callSid and metadata ->> 'kind' = 'call' for update
                """, new { channelId, callSid }, tx, cancellationToken: ct));
            if (call is null)
            {
                return false;
            }
            var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(call.Metadata) ?? [];
            if (!await change(connection, tx, call, metadata, changes))
            {
                return true;
            }
            await SaveAsync(connection, tx, call.Id, metadata, changes, ct);
            await tx.CommitAsync(ct);
        }
        await PushAsync(call.Id, changes);
        return true;
    }

    /// <summary>Writes the call's metadata and mirrors it into its timeline entries (inside the caller's transaction).</summary>
    internal static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long messageId, Dictionary<string, string> metadata,
        CrmChanges changes, CancellationToken ct)
    {
        var subjects = await connection.QueryAsync<(long? LeadId, long? DealId)>(new CommandDefinition("""
            with m as (update messages set metadata = @metadata::jsonb, updated_at = now() where id = @messageId)
            update timeline_entries set data = jsonb_set(data, '{call}', @call::jsonb)
            where type = 'call' and (data ->> 'messageId')::bigint = @messageId
            returning lead_id, deal_id
            """, new { messageId, metadata = JsonSerializer.Serialize(metadata), call = CallInfo.TimelineJson(metadata) }, tx, cancellationToken: ct));
        foreach (var (leadId, dealId) in subjects)
        {
            if (leadId is { } lead)
            {
                changes.Leads.Add(lead);
            }
            if (dealId is { } deal)
            {
                changes.Deals.Add(deal);
            }
        }
    }

    internal async Task PushAsync(long messageId, CrmChanges changes)
    {
        try
        {
            await inbox.MessageUpdatedAsync(messageId, CancellationToken.None);
            await crm.FlushAsync(changes, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Stored is what counts; clients re-read on reconnect.
            logger.LogWarning(ex, "Push of call {MessageId} failed", messageId);
        }
    }

    private static int Int(string? value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
