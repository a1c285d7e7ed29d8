using System.Globalization;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Realtime;
using ContactCenter.Connectors.Sms;
using ContactCenter.Connectors.Voice;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Calls;

/// <summary>
/// Click-to-call: Twilio rings the manager's own phone from the channel's number; when they pick up, the `outbound` step
/// dials the contact. The call is stored as an outbound call message (external id = the CallSid, so its status callbacks
/// find it) with a `call` timeline entry on the conversation's lead or deal.
/// </summary>
public sealed class ClickToCall(NpgsqlDataSource db, IChannelDirectory channels, VoiceCalls calls, InboxNotifier inbox, CrmNotifier crm, TimeProvider clock)
{
    public sealed record Started(long MessageId, long ConversationId, string CallSid);

    public abstract record Outcome
    {
        public sealed record Ok(Started Call) : Outcome;
        public sealed record NotFound(string Reason) : Outcome;
        public sealed record Invalid(string Field, string Reason) : Outcome;
        public sealed record Refused(string Reason) : Outcome;
    }

    private sealed record Target(long Id, string? Phone, string? IdentityPhone);

    public async Task<Outcome> StartAsync(CurrentUser me, long contactId, long? channelId, CancellationToken ct)
    {
        Target? contact;
        string? myPhone;
        long? channel;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            contact = await connection.QuerySingleOrDefaultAsync<Target>(new CommandDefinition($"""
                select ct.id, ct.phone,
                       (select i.address from contact_identities i where i.contact_id = ct.id and i.channel_kind in ('sms', 'voice') order by i.id limit 1) as identity_phone
                from contacts ct where ct.id = @contactId and {CrmAccess.ContactVisible}
                """, new { contactId, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
            if (contact is null)
            {
                return new Outcome.NotFound("There is no such contact.");
            }
            myPhone = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("select phone from users where id = @id", new { id = me.Id }, cancellationToken: ct));
            // The given voice channel, or the first one the caller works in; a manager may only call from their own channels.
            channel = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                select c.id from channels c
                where c.kind = 'voice' and c.enabled and (@channelId::bigint is null or c.id = @channelId)
                  and (@staff or exists (select 1 from channel_members m where m.channel_id = c.id and m.user_id = @me))
                order by c.id limit 1
                """, new { channelId, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
        }
        if (myPhone is null)
        {
            return new Outcome.Invalid("phone", "Set your phone number first (PATCH /api/me {phone}): the call rings it before the contact.");
        }
        var number = E164.NormalizePossible(contact.Phone) ?? E164.NormalizePossible(contact.IdentityPhone);
        if (number is null)
        {
            return new Outcome.Invalid("contact", "The contact has no phone number in international form.");
        }
        if (channel is null || await channels.FindAsync(channel.Value, ct) is not { } voice)
        {
            return new Outcome.Invalid("channelId", channelId is null ? "There is no voice channel you work in." : "That is not an enabled voice channel you work in.");
        }
        // The call is written into the contact's conversation on that line: when a colleague has it, seeing the contact
        // through another conversation or a lead is not enough (nothing is dialled, nothing is written).
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            var colleagues = await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"""
                select exists (select 1 from conversations c where c.channel_id = @channelId and c.contact_id = @contactId and c.thread_key = ''
                               and not {Conversations.ConversationQueries.Visible})
                """, new { channelId = voice.Id, contactId = contact.Id, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
            if (colleagues)
            {
                return new Outcome.Invalid("contact", "A colleague has this contact's conversation on that line: ask them, or a supervisor, to call.");
            }
        }
        var started = await calls.StartAsync(voice, myPhone, number, ct);
        return started switch
        {
            VoiceCalls.Result.Started { CallSid: var sid } => new Outcome.Ok(await StoreAsync(me, voice, contact.Id, number, sid, ct)),
            VoiceCalls.Result.Refused refused => new Outcome.Refused(refused.Reason),
            _ => new Outcome.Refused("Twilio gave an answer this version does not know."),
        };
    }

    private async Task<Started> StoreAsync(CurrentUser me, ChannelInfo channel, long contactId, string number, string callSid, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var metadata = new Dictionary<string, string>
        {
            [CallInfo.Kind] = "call",
            [CallInfo.Direction] = "outbound",
            [CallInfo.From] = VoiceSettings.From(channel).PhoneNumber,
            [CallInfo.To] = number,
            [CallInfo.StartedAt] = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            [CallInfo.Status] = "queued",
            [CallInfo.UserId] = me.Id.ToString(CultureInfo.InvariantCulture),
        };
        var changes = new CrmChanges();
        long messageId;
        long conversationId;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // The contact's conversation on this line (opened if this is the first contact), and the lead or deal it belongs to.
            // The lead or deal it falls back to must be one the caller sees (a colleague's stays untouched).
            var conversation = await connection.QuerySingleAsync<(long Id, long? LeadId, long? DealId)>(new CommandDefinition($"""
                with c as (
                    insert into conversations (channel_id, contact_id, thread_key, last_activity_at, created_at, updated_at)
                    values (@channelId, @contactId, '', @now, @now, @now)
                    on conflict (channel_id, contact_id, thread_key) do update set updated_at = excluded.updated_at
                    returning id, lead_id, deal_id
                )
                select c.id,
                       coalesce(c.lead_id, case when c.deal_id is null then (select l.id from leads l where l.contact_id = @contactId and l.status in ('new', 'in_work') and {CrmAccess.LeadVisible} order by l.id desc limit 1) end),
                       coalesce(c.deal_id, (select d.id from deals d where d.contact_id = @contactId and d.closed_at is null and {CrmAccess.DealVisible} order by d.id desc limit 1))
                from c
                """, new { channelId = channel.Id, contactId, now = now.UtcDateTime, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
            conversationId = conversation.Id;
            // A call id Twilio gave before (a retried or replayed answer) is the call recorded then: no second record.
            var written = (await Messages.MessageWriter.WriteAsync(connection, tx, new Messages.NewMessage(conversationId, Note: false, "Call to " + number, now)
            {
                SenderUserId = me.Id,
                ExternalId = callSid,
                Metadata = metadata,
                SentAt = now,
                Bump = Messages.ConversationBump.Touch,
            }, ct))!;
            messageId = written.Id;
            if (written.Inserted && (conversation.LeadId is not null || conversation.DealId is not null))
            {
                var lead = conversation.DealId is null ? conversation.LeadId : null;
                await Timeline.AddAsync(connection, tx, lead, conversation.DealId, "call", Actor.User(me), now, new Dictionary<string, object?>
                {
                    ["messageId"] = messageId,
                    ["conversationId"] = conversationId,
                    ["direction"] = "outbound",
                    ["channelKind"] = ChannelKinds.Voice,
                    ["preview"] = "Call to " + number,
                    ["call"] = CallInfo.Read(metadata),
                }, ct);
                if (lead is { } l)
                {
                    changes.Leads.Add(l);
                }
                if (conversation.DealId is { } d)
                {
                    changes.Deals.Add(d);
                }
            }
            await tx.CommitAsync(ct);
        }
        await inbox.MessageCreatedAsync(messageId, CancellationToken.None);
        await crm.FlushAsync(changes, CancellationToken.None);
        return new Started(messageId, conversationId, callSid);
    }
}
