namespace ContactCenter.Api.Inbound;

/// <summary>
/// The statements of <see cref="InboundBatchStore"/>, each for a whole batch. Rows come in as one jsonb array
/// (jsonb_to_recordset): one parameter whatever the batch size, nulls and all, so the plan is the same for 1 or 64.
/// </summary>
internal static class InboundBatchSql
{
    /// <summary>
    /// Stage 1, three statements in one round trip. The batch's lock timeout (<see cref="InboundBatchStore.LockTimeout"/>,
    /// for this transaction only); the senders' advisory locks in one sorted order (the order contact merges
    /// take them in, so neither deadlocks with the other); then, in a statement of its own so that its snapshot sees what
    /// the lock holders committed, each message's channel kind, stored copy and known identity. Each lookup is a lateral
    /// `limit 1` on a unique key, so it stays an index probe per row: as plain joins, with jsonb_to_recordset guessed at 100
    /// rows, plans cached while `messages` was small hash-joined a sequential scan of it for every batch (the benchmark's
    /// 7.7 ms per call, 39 % of PostgreSQL's ingest time on 2026-12-05).
    /// </summary>
    public const string LockAndFind = """
        select set_config('lock_timeout', @lockTimeout, true);
        select count(*) from (
            select pg_advisory_xact_lock(hashtextextended(k, 0)) from (
                select distinct ch.kind || ':' || i.address as k
                from jsonb_to_recordset(@rows::jsonb) as i(channel_id bigint, address text) join channels ch on ch.id = i.channel_id
                order by 1) keys) l;
        select i.n, ch.kind, ch.routing_mode, m.id as existing_id, m.conversation_id as existing_conversation_id, m.contact_id as existing_contact_id,
            ci.contact_id as identity_contact_id
        from jsonb_to_recordset(@rows::jsonb) as i(n int, channel_id bigint, address text, external_id text)
        left join lateral (select ch.kind, ch.settings -> 'routing' ->> 'mode' as routing_mode from channels ch where ch.id = i.channel_id limit 1) ch on true
        left join lateral (
            select m.id, c.id as conversation_id, c.contact_id from messages m join conversations c on c.id = m.conversation_id
            where m.channel_id = i.channel_id and m.external_id = i.external_id limit 1) m on true
        left join lateral (select ci.contact_id from contact_identities ci where ci.channel_kind = ch.kind and ci.address = i.address limit 1) ci on true
        order by i.n;
        """;

    /// <summary>
    /// Stage 2: a contact for every new sender (identity, then email, then phone, else a new one; never on unverified
    /// details: see InboundStore.CreateContactAsync, the same rules row by row), ids drawn in the batch's order, and the
    /// phones known contacts shared (each contact's first, where it had none).
    /// </summary>
    public const string Contacts = """
        with n as (
            select * from jsonb_to_recordset(@identities::jsonb)
                as n(n int, kind text, address text, name text, email text, phone text, username text, unverified boolean, later_phone text, later_n int)
        ), candidates as (
            select n.n, c.id, c.details_unverified, 1 as rank from n join contacts c on n.email is not null and lower(c.email) = lower(n.email)
            union all
            select n.n, c.id, c.details_unverified, 2 from n join contacts c on n.phone is not null and c.phone = n.phone
        ), picked as (
            select n.*,
                   (select k.id from candidates k where k.n = n.n and not n.unverified and not k.details_unverified order by k.rank, k.id limit 1) as found,
                   (select k.id from candidates k where k.n = n.n order by k.details_unverified, k.rank, k.id limit 1) as duplicate_of
            from n
        ), fresh as (
            select p.*, case when p.found is null then nextval(pg_get_serial_sequence('contacts', 'id')) end as new_id
            from picked p order by p.n
        ), created as (
            insert into contacts (id, name, email, phone, details_unverified, possible_duplicate_of) overriding system value
            select new_id, name, email, coalesce(phone, later_phone), unverified, duplicate_of from fresh where new_id is not null order by n
        ), phones as (
            select distinct on (id) id, phone from (
                select p.contact_id as id, p.phone, p.n from jsonb_to_recordset(@phones::jsonb) as p(contact_id bigint, phone text, n int)
                union all
                select found, later_phone, later_n from fresh where found is not null and later_phone is not null) x
            order by id, n
        ), phoned as (
            update contacts c set phone = phones.phone, updated_at = @now from phones where c.id = phones.id and c.phone is null
        )
        insert into contact_identities (contact_id, channel_kind, address, display_name, username)
        select coalesce(found, new_id), kind, address, name, username from fresh order by n
        on conflict (channel_kind, address) do update set display_name = excluded.display_name
        returning channel_kind as kind, address, contact_id
        """;

    /// <summary>Known senders' shared phones alone (no new sender in the batch, so no contacts statement).</summary>
    public const string Phones = """
        update contacts c set phone = p.phone, updated_at = @now
        from (select distinct on (contact_id) contact_id, phone from jsonb_to_recordset(@phones::jsonb) as p(contact_id bigint, phone text, n int)
              order by contact_id, n) p
        where c.id = p.contact_id and c.phone is null
        """;

    /// <summary>
    /// Stage 3, two statements in one round trip: the conversations upserted (in the batch's order, so two batches lock
    /// shared rows alike), then, with a snapshot taken after the upsert waited for any lead conversion holding a row,
    /// what CRM linking needs: the conversation's lead and deal if still open, whether its contact has an open deal, the
    /// deal's pipeline and stage; the CRM mode row is share-locked as CrmLink does (a mode switch waits for this batch).
    /// </summary>
    public const string Conversations = """
        insert into conversations (channel_id, contact_id, thread_key, first_inbound_at, last_activity_at, created_at, updated_at)
        select k.channel_id, k.contact_id, k.thread_key, k.sent_at, @now, @now, @now
        from jsonb_to_recordset(@conversations::jsonb) as k(n int, channel_id bigint, contact_id bigint, thread_key text, sent_at timestamptz)
        order by k.n
        on conflict (channel_id, contact_id, thread_key) do update set updated_at = excluded.updated_at
        returning id, channel_id, contact_id, thread_key, status, assignee_id, lead_id, deal_id;
        with mode as (select value ->> 'mode' as mode from app_settings where key = 'crm' for share)
        select c.id,
               (select l.id from leads l where l.id = c.lead_id and l.status in ('new', 'in_work')) as open_lead,
               d.id as open_deal, d.pipeline_id, d.stage_id,
               exists (select 1 from deals o where o.contact_id = c.contact_id and o.closed_at is null) as contact_has_open_deal,
               (select count(*) from mode) as mode_rows
        from jsonb_to_recordset(@conversations::jsonb) as k(n int, channel_id bigint, contact_id bigint, thread_key text)
        join conversations c on c.channel_id = k.channel_id and c.contact_id = k.contact_id and c.thread_key = k.thread_key
        left join deals d on d.id = c.deal_id and d.closed_at is null;
        """;

    /// <summary>
    /// Stage 4, one statement: message ids drawn in the batch's order (a wake note right after its message, as stored
    /// one by one), so a reply to an earlier message of the same batch finds it; the messages, their attachments, the
    /// snooze notes, the timeline entries, the media jobs, the automation jobs of messages whose lead or deal was already
    /// open (CrmLink raised the others), one bump per conversation folding its messages in order; returns the client's
    /// Message records, so the push reads nothing back.
    /// </summary>
    public const string Messages = """
        with b as (
            select * from jsonb_to_recordset(@rows::jsonb) as b(slot int, note_slot int, conversation_id bigint, channel_id bigint, contact_id bigint,
                text text, html text, external_id text, reply_to text, metadata text, raw text, sent_at timestamptz, attachments text,
                lead_id bigint, deal_id bigint, kind text, fetch_media boolean, automated boolean, timeline_type text, timeline_extra text,
                raise boolean, pipeline_id bigint, stage_id bigint, source text)
        ), ids as (
            -- Drawn from the rows themselves (not generate_series(1, @slots)): every estimate is then the same whatever the
            -- batch, so after five custom plans PostgreSQL keeps the prepared statement's generic plan (planning was 2.5 ms
            -- of a 6.7 ms call in the benchmark's profile, every call).
            select s.slot, nextval(pg_get_serial_sequence('messages', 'id')) as id
            from (select b.slot from b union all select b.note_slot from b where b.note_slot is not null order by 1) s
        ), bi as (
            select b.*, i.id, w.id as note_id from b join ids i on i.slot = b.slot left join ids w on w.slot = b.note_slot
        ), m as (
            insert into messages (id, conversation_id, channel_id, direction, text, html, sender_type, status, external_id,
                                  reply_to_external_id, reply_to_id, metadata, raw, sent_at, created_at, updated_at)
            overriding system value
            select bi.id, bi.conversation_id, bi.channel_id, 'inbound', bi.text, bi.html, 'contact', 'received', bi.external_id, bi.reply_to,
                   coalesce((select r.id from messages r where r.channel_id = bi.channel_id and r.external_id = bi.reply_to),
                            (select e.id from bi e where e.channel_id = bi.channel_id and e.external_id = bi.reply_to and e.slot < bi.slot)),
                   bi.metadata::jsonb, to_jsonb(bi.raw), bi.sent_at, @now, @now
            from bi order by bi.slot
            on conflict (channel_id, external_id) where external_id is not null do nothing
            returning id, conversation_id, text, html, external_id, reply_to_id, metadata::text as metadata
        ), a as (
            insert into attachments (message_id, file_name, content_type, size, external_ref, storage_path)
            select m.id, f.j ->> 'file_name', f.j ->> 'content_type', (f.j ->> 'size')::bigint, f.j ->> 'external_ref', f.j ->> 'storage_path'
            from bi join m on m.id = bi.id cross join lateral jsonb_array_elements(bi.attachments::jsonb) with ordinality as f(j, n)
            order by bi.slot, f.n
            returning id, message_id, file_name, content_type, size
        ), bump as (
            select bi.conversation_id, max(m.id) as last_id, (array_agg(left(m.text, 140) order by m.id desc))[1] as last_preview, count(*) as n,
                   -- A sender's clock ahead of ours (tolerated a day on the message) never starts the wait in the future.
                   (array_agg(least(bi.sent_at, @now) order by bi.slot) filter (where not bi.automated))[1] as first_sent
            from bi join m on m.id = bi.id group by bi.conversation_id
        ), c as (
            -- Only a conversation's first message from a person changes its state; later ones find it open and waiting.
            update conversations set
                last_message_id = bump.last_id, last_preview = bump.last_preview, last_activity_at = @now, updated_at = @now,
                inbound_count = inbound_count + bump.n,
                waiting_since = case when bump.first_sent is null then waiting_since when status = 'resolved' then bump.first_sent else coalesce(waiting_since, bump.first_sent) end,
                cycle_started_at = case when bump.first_sent is null then cycle_started_at when status = 'resolved' or cycle_started_at is null then bump.first_sent else cycle_started_at end,
                awaiting_first_response = case when bump.first_sent is not null and status = 'resolved' then true else awaiting_first_response end,
                sla_breached_at = case when bump.first_sent is not null and status = 'resolved' then null else sla_breached_at end,
                status = case when bump.first_sent is null then status else 'open' end,
                resolved_at = case when bump.first_sent is null then resolved_at end,
                snoozed_until = case when bump.first_sent is null then snoozed_until end
            from bump where conversations.id = bump.conversation_id
        ), w as (
            insert into messages (id, conversation_id, channel_id, direction, text, sender_type, status, metadata, created_at, updated_at)
            overriding system value
            select bi.note_id, bi.conversation_id, bi.channel_id, 'note', 'Snooze ended: the customer wrote.', 'system', 'sent',
                   jsonb_build_object('notice', 'unsnoozed', 'reason', 'inbound'), @now, @now
            from bi join m on m.id = bi.id where bi.note_id is not null order by bi.slot
            returning id, conversation_id, text, metadata::text as metadata
        ), t as (
            insert into timeline_entries (lead_id, deal_id, type, at, actor_type, actor_id, data)
            select bi.lead_id, bi.deal_id, bi.timeline_type, @now, 'contact', bi.contact_id,
                   jsonb_build_object('messageId', m.id, 'conversationId', bi.conversation_id, 'direction', 'inbound', 'channelKind', bi.kind,
                                      'preview', left(coalesce(bi.text, ''), 200)) || bi.timeline_extra::jsonb
            from bi join m on m.id = bi.id where bi.lead_id is not null or bi.deal_id is not null order by bi.slot
        ), o as (
            insert into outbox (kind, message_id, payload)
            select 'media:' || bi.kind, m.id, '{}'::jsonb from bi join m on m.id = bi.id where bi.fetch_media order by bi.slot
        ), jobs as (
            -- CrmEvents.RaiseAsync's inboundMessage and noReply for each message (no rule chain: a customer caused them).
            select r.id as rule_id, case when bi.deal_id is not null then 'deal' else 'lead' end as subject_type, coalesce(bi.deal_id, bi.lead_id) as subject_id,
                   jsonb_build_object('type', t.type, 'at', @atJson::text, 'pipelineId', bi.pipeline_id, 'stageId', bi.stage_id, 'channelKind', bi.kind,
                                      'conversationId', bi.conversation_id, 'source', coalesce(bi.source, bi.kind)) as event,
                   ((@now at time zone 'UTC') + coalesce(r.delay, 'PT0S')::interval
                       + case when r.trigger_type = 'noReply' then make_interval(mins => (r.trigger ->> 'minutes')::int) else interval '0' end) at time zone 'UTC' as due_at,
                   case when r.trigger_type = 'noReply' then 'noReply:' || r.id || ':' || bi.conversation_id end as dedupe_key,
                   bi.slot, t.n
            from bi join m on m.id = bi.id
            cross join (values (1, 'inboundMessage'), (2, 'noReply')) as t(n, type)
            join automation_rules r on r.enabled and r.trigger_type = t.type
                and (r.trigger ->> 'pipelineId' is null or (r.trigger ->> 'pipelineId')::bigint = bi.pipeline_id)
                and (r.trigger ->> 'stageId' is null or (r.trigger ->> 'stageId')::bigint = bi.stage_id)
                and (r.trigger ->> 'channelKind' is null or r.trigger ->> 'channelKind' = bi.kind)
            where bi.raise and (bi.deal_id is not null or bi.lead_id is not null)
        ), j as (
            insert into automation_jobs (rule_id, subject_type, subject_id, event, depth, chain, due_at, dedupe_key)
            select rule_id, subject_type, subject_id, event, 0, '{}', due_at, dedupe_key from jobs order by slot, n, rule_id
            on conflict (dedupe_key) where dedupe_key is not null and state = 'pending' do nothing
        ), wake as (
            -- The automation and outbox workers' wake-up hints, only when this batch gave them work.
            select (select count(*) from (select pg_notify('cc_automation', '') from (select 1) x where exists (select 1 from jobs)) y)
                 + (select count(*) from (select pg_notify('cc_outbox', '') from (select 1) x where exists (select 1 from bi where bi.fetch_media)) y) as n
        )
        select bi.slot, false as is_note, m.id, m.conversation_id, 'inbound' as direction, m.text, m.html, 'contact' as sender_type,
               bi.contact_id as sender_id,
               (select coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) from contacts ct where ct.id = bi.contact_id) as sender_name,
               'received' as status, m.external_id, m.reply_to_id, m.metadata, @now as created_at, bi.sent_at, coalesce(fa.files, '[]') as attachments
        from m join bi on bi.id = m.id
        left join (select a.message_id, json_agg(json_build_object('id', a.id, 'fileName', a.file_name, 'contentType', a.content_type, 'size', a.size) order by a.id)::text as files
                   from a group by a.message_id) fa on fa.message_id = m.id
        where (select n from wake) >= 0
        union all
        select bi.slot, true, w.id, w.conversation_id, 'note', w.text, null, 'system', null, 'System', 'sent', null, null, w.metadata, @now, null, '[]'
        from w join bi on bi.note_id = w.id
        """;
}
