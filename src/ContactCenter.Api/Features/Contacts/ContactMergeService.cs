using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Realtime;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// Merges two contacts that are one person (typically a web visitor kept apart from the customer whose email they
/// typed): the surviving contact takes the other's identities, conversations, leads and deals (their timelines and
/// activities hang on those and move with them), fills its empty name/email/phone from it, and the other is deleted.
/// Every lead and deal of both gets a `contactsMerged` timeline entry; the changes are pushed after commit.
/// </summary>
public sealed class ContactMergeService(NpgsqlDataSource db, CrmNotifier crm, InboxNotifier inbox, TimeProvider clock, ILogger<ContactMergeService> logger)
{
    private sealed record Moved(long[] Conversations, long[] Leads, long[] Deals);

    public async Task<CrmResult<ContactDetails>> MergeAsync(CurrentUser me, long id, long otherId, CancellationToken ct)
    {
        if (otherId == id)
        {
            return CrmResult<ContactDetails>.Invalid("otherContactId", "A contact cannot be merged with itself.");
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryMergeAsync(me, id, otherId, ct);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 3)
            {
                // A concurrent inbound message of one of the two met the merge's locks the other way round; once more.
                logger.LogInformation("Retrying the merge of contact {OtherId} into {Id} after {SqlState}", otherId, id, ex.SqlState);
            }
        }
    }

    private async Task<CrmResult<ContactDetails>> TryMergeAsync(CurrentUser me, long id, long otherId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = new[] { id, otherId };
        Moved moved;
        var changes = new CrmChanges();
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // The inbound pipeline's per-identity locks first (it takes them before it touches a contact), then both rows
            // in id order: a message of either identity waits for the merge and then finds the survivor, and two merges of
            // the same pair (either way round) queue here; the second finds the other contact gone, a 404.
            const string lockBoth = """
                select count(*) from (
                    select pg_advisory_xact_lock(hashtextextended(k, 0)) from (
                        select channel_kind || ':' || address as k from contact_identities where contact_id = any(@ids) order by 1) keys) l;
                select id from contacts where id = any(@ids) order by id for update;
                """;
            int locked;
            await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(lockBoth, new { ids }, tx, cancellationToken: ct)))
            {
                await grid.ReadAsync();
                locked = (await grid.ReadAsync<long>()).Count();
            }
            var visible = locked == 2 && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"select count(*) from contacts ct where ct.id = any(@ids) and {CrmAccess.ContactVisible}",
                new { ids, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct)) == 2;
            if (!visible)
            {
                // Exactly like a missing id: a manager learns nothing about a contact they may not see.
                return CrmResult<ContactDetails>.NotFound("There is no such contact.");
            }
            // A merge moves the merged contact's leads and deals (and gives the survivor's theirs new details): a manager may
            // not change a colleague's record this way either (CrmAccess.CheckOwner), nor move a conversation they may not open
            // (a colleague's, or an unassigned one in a channel they are not a member of: only the merged contact's move; the
            // survivor's stay where they are). "is not true": the rule is null, not false, for an unassigned conversation
            // (assignee_id = @me is null there).
            if (!me.IsStaff && await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"""
                    select exists (select 1 from leads where contact_id = any(@ids) and assignee_id is not null and assignee_id <> @me)
                        or exists (select 1 from deals where contact_id = any(@ids) and assignee_id is not null and assignee_id <> @me)
                        or exists (select 1 from conversations vc where vc.contact_id = @otherId and {CrmAccess.ConversationSeen} is not true)
                    """, new { ids, otherId, me = me.Id }, tx, cancellationToken: ct)))
            {
                return CrmResult<ContactDetails>.Conflict("A colleague works with one of these contacts: only they or a supervisor can merge them.");
            }

            // A conversation that would collide with one of the survivor's on (channel, contact, thread) keeps its
            // history under a distinct thread key; new messages of that thread go on in the survivor's conversation.
            const string move = """
                update conversations c set contact_id = @id, updated_at = @now,
                    thread_key = case when exists (select 1 from conversations s where s.contact_id = @id and s.channel_id = c.channel_id and s.thread_key = c.thread_key)
                                      then c.thread_key || '#merged-' || c.id else c.thread_key end
                where c.contact_id = @otherId returning c.id;
                update leads set contact_id = @id, updated_at = @now where contact_id = @otherId returning id;
                update deals set contact_id = @id, updated_at = @now where contact_id = @otherId returning id;
                update contact_identities set contact_id = @id where contact_id = @otherId;
                update timeline_entries set contact_id = @id where contact_id = @otherId;
                insert into contact_labels (contact_id, label_id) select @id, label_id from contact_labels where contact_id = @otherId on conflict do nothing;
                """;
            await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(move, new { id, otherId, now }, tx, cancellationToken: ct)))
            {
                moved = new Moved((await grid.ReadAsync<long>()).ToArray(), (await grid.ReadAsync<long>()).ToArray(), (await grid.ReadAsync<long>()).ToArray());
            }

            // A person merging them vouches that they are one: the survivor's details stay unverified only when both were.
            // Data-modifying CTEs share one snapshot, so `other` still reads the row the same statement deletes.
            const string merge = """
                with other as (
                    select id, coalesce(name, email, phone, 'Contact ' || id) as display, name, email, phone, details_unverified from contacts where id = @otherId
                ), survivor as (
                    update contacts s set name = coalesce(s.name, o.name), email = coalesce(s.email, o.email), phone = coalesce(s.phone, o.phone),
                        details_unverified = s.details_unverified and o.details_unverified,
                        possible_duplicate_of = nullif(nullif(s.possible_duplicate_of, o.id), s.id), updated_at = @now
                    from other o where s.id = @id
                    returning s.id, coalesce(s.name, s.email, s.phone, 'Contact ' || s.id) as display
                ), entries as (
                    insert into timeline_entries (lead_id, deal_id, type, at, actor_type, actor_id, data)
                    select x.lead_id, x.deal_id, 'contactsMerged', @now, 'user', @me,
                           jsonb_build_object('contactId', s.id, 'contactName', s.display, 'mergedContactId', o.id, 'mergedContactName', o.display)
                    from (select id as lead_id, null::bigint as deal_id from leads where contact_id = @id
                          union all select null, id from deals where contact_id = @id) x, survivor s, other o
                    returning lead_id, deal_id
                ), contact_entry as (
                    -- The contact's own timeline keeps the merge even when neither had a lead or deal (issue #17).
                    insert into timeline_entries (contact_id, type, at, actor_type, actor_id, data)
                    select s.id, 'contactsMerged', @now, 'user', @me,
                           jsonb_build_object('contactId', s.id, 'contactName', s.display, 'mergedContactId', o.id, 'mergedContactName', o.display)
                    from survivor s, other o
                ), removed as (
                    delete from contacts where id = @otherId
                )
                select lead_id, deal_id from entries
                """;
            await connection.ExecuteAsync(new CommandDefinition(
                "update contacts set possible_duplicate_of = @id, updated_at = @now where possible_duplicate_of = @otherId and id <> @id",
                new { id, otherId, now }, tx, cancellationToken: ct));
            foreach (var (leadId, dealId) in await connection.QueryAsync<(long? LeadId, long? DealId)>(new CommandDefinition(
                merge, new { id, otherId, now, me = me.Id }, tx, cancellationToken: ct)))
            {
                if (leadId is { } l)
                {
                    changes.Leads.Add(l);
                }
                if (dealId is { } d)
                {
                    changes.Deals.Add(d);
                }
            }
            await tx.CommitAsync(ct);
        }
        await crm.FlushAsync(changes, CancellationToken.None);
        foreach (var conversationId in moved.Conversations)
        {
            try
            {
                await inbox.ConversationChangedAsync(conversationId, [], CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Push of merged conversation {ConversationId} failed", conversationId);
            }
        }
        return CrmResult<ContactDetails>.Ok((await DetailsAsync(id, ct))!);
    }

    public async Task<ContactDetails?> DetailsAsync(long id, CancellationToken ct)
    {
        var sql = """
            select id, coalesce(name, email, phone, 'Contact ' || id) as name, email, phone from contacts where id = @id;
            select channel_kind, address, display_name, username from contact_identities where contact_id = @id order by id;
            """ + "\nselect " + Labels.LabelList.Column("contact_labels", "contact_id", "@id") + ";";
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id }, cancellationToken: ct));
        var contact = await grid.ReadSingleOrDefaultAsync<(long Id, string Name, string? Email, string? Phone)>();
        if (contact.Id == 0)
        {
            return null;
        }
        var identities = (await grid.ReadAsync<ContactIdentityDto>()).ToList();
        return new ContactDetails(contact.Id, contact.Name, contact.Email, contact.Phone, identities)
        {
            Labels = Labels.LabelList.Parse(await grid.ReadSingleAsync<string>()),
        };
    }
}
