using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Core;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// `POST /api/conversations` (issue #17): a seller writes first — to a contact from a cold call or a business card — on a
/// channel that can start a conversation. The conversation is the caller's, and the first message leaves through the
/// same reply path (guards, outbox) as any reply; when that refuses, what this request made is taken back.
/// </summary>
public static class StartConversationApi
{
    public sealed record StartRequest(long? ContactId, long? ChannelId, string? Text, string? ClientMessageId, long? DealId, long? LeadId);

    /// <summary>Kinds whose provider lets a business write first, and how the contact's address on it is found.</summary>
    private static readonly Dictionary<string, Func<ContactRow, string?>> Initiators = new()
    {
        [ChannelKinds.Email] = c => string.IsNullOrWhiteSpace(c.Email) ? null : c.Email.Trim().ToLowerInvariant(),
        [ChannelKinds.Sms] = c => E164.NormalizeValid(c.Phone),
        // Telegram and api reach only a chat / an external id the contact already wrote from (their identity).
        [ChannelKinds.Telegram] = _ => null,
        [ChannelKinds.Api] = _ => null,
    };

    private sealed record ContactRow(long Id, string? Email, string? Phone);

    private sealed record ChannelRow(long Id, string Kind, bool Enabled, bool Archived, bool Member);

    private sealed record Started(long ConversationId, bool Created, long? AddedIdentity);

    public static IEndpointRouteBuilder MapStartConversationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/conversations", StartAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Created<ConversationDetails>, Ok<ConversationDetails>, ProblemHttpResult, ValidationProblem>> StartAsync(
        StartRequest r, ClaimsPrincipal principal, NpgsqlDataSource db, ConversationService conversations, ConversationActions actions, ConversationQueries queries, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var errors = new Validation();
        errors.Require("contactId", r.ContactId is not null, "contactId is required.");
        errors.Require("channelId", r.ChannelId is not null, "channelId is required.");
        errors.Require("text", !string.IsNullOrWhiteSpace(r.Text) && r.Text.Length <= ConversationService.MaxTextLength,
            $"The text must be between 1 and {ConversationService.MaxTextLength} characters.");
        errors.Require("clientMessageId", r.ClientMessageId is not { Length: > 100 } && r.ClientMessageId?.Contains('\0') != true, "clientMessageId is at most 100 characters, without NUL.");
        errors.Require("text", r.Text?.Contains('\0') != true, "The text must not contain NUL characters.");
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        var opened = await OpenAsync(db, me, r, ct);
        if (opened.Status != CrmStatus.Ok)
        {
            return opened.Status == CrmStatus.Invalid ? CrmHttp.Invalid(opened.Field!, opened.Detail!) : CrmHttp.Problem(opened.Status, opened.Detail!);
        }
        var started = opened.Value!;
        ConversationService.ReplyResult sent;
        try
        {
            sent = await conversations.ReplyAsync(me, started.ConversationId, r.Text, r.ClientMessageId, isPrivate: false, ct);
        }
        catch
        {
            // Whatever failed, the conversation opened for this message must not stay behind empty.
            await UndoAsync(db, started, CancellationToken.None);
            throw;
        }
        if (sent.Error != ConversationService.ReplyError.None)
        {
            await UndoAsync(db, started, ct);
            return sent.Error switch
            {
                ConversationService.ReplyError.Refused => ConversationsApi.Refused(sent),
                ConversationService.ReplyError.NotFound => Problems.NotFound(sent.Detail!),
                ConversationService.ReplyError.Forbidden => Problems.Forbidden(sent.Detail!),
                _ => CrmHttp.Invalid(sent.Field ?? "text", sent.Detail!),
            };
        }
        if (!started.Created)
        {
            await AdoptAsync(db, actions, me, started.ConversationId, r, ct);
        }
        var details = (await queries.GetAsync(me, started.ConversationId, ct))!;
        return started.Created ? TypedResults.Created($"/api/conversations/{started.ConversationId}", details) : TypedResults.Ok(details);
    }

    private static async Task<CrmResult<Started>> OpenAsync(NpgsqlDataSource db, CurrentUser me, StartRequest r, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var args = new { me = me.Id, staff = me.IsStaff, r.ContactId, r.ChannelId, r.DealId, r.LeadId };
        var contact = await connection.QuerySingleOrDefaultAsync<ContactRow>(new CommandDefinition(
            $"select ct.id, ct.email, ct.phone from contacts ct where ct.id = @contactId and {CrmAccess.ContactVisible}", args, tx, cancellationToken: ct));
        if (contact is null)
        {
            return CrmResult<Started>.NotFound("There is no such contact.");
        }
        var channel = await connection.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition("""
            select ch.id, ch.kind, ch.enabled, ch.archived_at is not null as archived,
                   @staff or exists (select 1 from channel_members m where m.channel_id = ch.id and m.user_id = @me) as member
            from channels ch where ch.id = @channelId
            """, args, tx, cancellationToken: ct));
        if (channel is null || channel.Archived)
        {
            return CrmResult<Started>.NotFound("There is no such channel.");
        }
        if (!channel.Member)
        {
            return new CrmResult<Started>(CrmStatus.Forbidden, null, "You are not a member of this channel.");
        }
        if (!channel.Enabled)
        {
            return CrmResult<Started>.Conflict("The channel is switched off.");
        }
        if (!Initiators.TryGetValue(channel.Kind, out var addressOf))
        {
            return CrmResult<Started>.Conflict($"A {channel.Kind} channel cannot start a conversation; the customer has to write first.");
        }
        // The deal or lead the conversation is opened for: one the caller sees (404 otherwise) and may change (a colleague's
        // is theirs: attaching a conversation to it would change it, and keep the caller seeing it through that conversation).
        if (r.DealId is not null)
        {
            var deal = await connection.QuerySingleOrDefaultAsync<Owned>(new CommandDefinition(
                $"select d.id, d.assignee_id from deals d where d.id = @dealId and d.contact_id = @contactId and {CrmAccess.DealVisible}", args, tx, cancellationToken: ct));
            if (deal is null)
            {
                return CrmResult<Started>.NotFound("There is no such deal of this contact.");
            }
            if (CrmAccess.CheckOwner(me, deal.AssigneeId, "deal") is { } owned)
            {
                return owned.As<Started>();
            }
        }
        if (r.LeadId is not null)
        {
            var lead = await connection.QuerySingleOrDefaultAsync<Owned>(new CommandDefinition(
                $"select l.id, l.assignee_id from leads l where l.id = @leadId and l.contact_id = @contactId and {CrmAccess.LeadVisible}", args, tx, cancellationToken: ct));
            if (lead is null)
            {
                return CrmResult<Started>.NotFound("There is no such lead of this contact.");
            }
            if (CrmAccess.CheckOwner(me, lead.AssigneeId, "lead") is { } owned)
            {
                return owned.As<Started>();
            }
        }
        long? added = null;
        var known = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select address from contact_identities where contact_id = @contactId and channel_kind = @kind order by id limit 1",
            new { r.ContactId, kind = channel.Kind }, tx, cancellationToken: ct));
        if (known is null)
        {
            if (addressOf(contact) is not { } address)
            {
                return CrmResult<Started>.Conflict(channel.Kind switch
                {
                    ChannelKinds.Email => "The contact has no email address.",
                    ChannelKinds.Sms => "The contact has no valid phone number.",
                    _ => $"This contact has never written on {channel.Kind}, so there is no chat to write to.",
                });
            }
            added = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                insert into contact_identities (contact_id, channel_kind, address) values (@contactId, @kind, @address)
                on conflict (channel_kind, address) do nothing returning id
                """, new { r.ContactId, kind = channel.Kind, address }, tx, cancellationToken: ct));
            if (added is null)
            {
                return CrmResult<Started>.Conflict($"The address {address} belongs to another contact; merge the two contacts first.");
            }
        }
        // One conversation per (channel, contact): an existing one is reused when the caller may work it.
        var (id, created) = await connection.QuerySingleAsync<(long, bool)>(new CommandDefinition("""
            insert into conversations (channel_id, contact_id, thread_key, status, assignee_id, assigned_at, lead_id, deal_id, created_at, updated_at, last_activity_at)
            values (@channelId, @contactId, '', 'open', @me, now(), @leadId, @dealId, now(), now(), now())
            on conflict (channel_id, contact_id, thread_key) do update set updated_at = now()
            returning id, (xmax = 0) as created
            """, args, tx, cancellationToken: ct));
        if (!created)
        {
            var seen = me.IsStaff || await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"select exists (select 1 from conversations vc where vc.id = @id and {CrmAccess.ConversationSeen})", new { id, me = me.Id }, tx, cancellationToken: ct));
            if (!seen)
            {
                return CrmResult<Started>.Conflict("This contact already has a conversation on this channel that a colleague handles.");
            }
            // Reused as it is: reopening it and linking the deal wait until the first message is accepted (AdoptAsync),
            // so a refused message leaves a resolved conversation resolved.
        }
        await tx.CommitAsync(ct);
        return CrmResult<Started>.Ok(new Started(id, created, added));
    }

    /// <summary>
    /// The message was accepted on a conversation the contact already had: it is linked to the deal or lead the seller
    /// wrote from (when it has none), and reopened through the same status change a person makes (resolution and snooze
    /// cleared, pushed), since the seller now waits for the customer's answer.
    /// </summary>
    private static async Task AdoptAsync(NpgsqlDataSource db, ConversationActions actions, CurrentUser me, long id, StartRequest r, CancellationToken ct)
    {
        string status;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            status = await connection.ExecuteScalarAsync<string>(new CommandDefinition("""
                update conversations set lead_id = coalesce(lead_id, @leadId), deal_id = coalesce(deal_id, @dealId) where id = @id returning status
                """, new { id, r.LeadId, r.DealId }, cancellationToken: ct)) ?? "open";
        }
        if (status != "open")
        {
            await actions.SetStatusAsync(me, id, "open", origin: null, ct);
        }
    }

    /// <summary>The first message was refused (an opted-out number...): a conversation made for it would be an empty shell.</summary>
    private static async Task UndoAsync(NpgsqlDataSource db, Started started, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            delete from conversations c where c.id = @conversationId and @created and not exists (select 1 from messages m where m.conversation_id = c.id);
            delete from contact_identities where id = @identity;
            """, new { conversationId = started.ConversationId, created = started.Created, identity = started.AddedIdentity }, cancellationToken: ct));
    }

    private sealed record Owned(long Id, long? AssigneeId);
}
