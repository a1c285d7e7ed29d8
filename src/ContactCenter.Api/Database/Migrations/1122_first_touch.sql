-- Speed to lead (issue 17) reads each lead's and deal's first human touch from a column instead of probing the contact's
-- conversations, messages and activities per subject on every request (3.6 s for a year at 100,000 deals).
-- A touch is, at or after the subject's creation: a staff user's outbound message in any conversation of its contact,
-- a call with the contact (outbound, or inbound and answered), or a completed activity of the subject.
-- The column is kept exact by the triggers below: an event that is a touch lowers it, and whatever can take a touch
-- away or change which touches count (a message or activity deleted or reopened, a conversation moved to another contact
-- by a merge, a subject moved to another contact or backdated) recomputes it with first_touch_of(), the report's old
-- per-subject read, so the two never disagree.

alter table leads add column first_touch_at timestamptz;
alter table deals add column first_touch_at timestamptz;

create index leads_contact_idx on leads (contact_id);
create index deals_contact_idx on deals (contact_id);

create function message_is_touch(p_sender_type text, p_direction text, p_metadata jsonb) returns boolean
language sql immutable as $$
    select (p_sender_type = 'user' and p_direction = 'outbound')
        or (p_metadata ->> 'kind' = 'call' and (p_direction = 'outbound' or p_metadata ->> 'callMissed' = 'false'))
$$;

create function first_touch_of(p_kind text, p_subject_id bigint, p_contact_id bigint, p_created_at timestamptz) returns timestamptz
language sql stable as $$
    select least(
        (select min(m.created_at)
         from conversations c
         cross join lateral (
             select m.created_at from messages m
             where m.conversation_id = c.id and m.created_at >= p_created_at
               and ((m.sender_type = 'user' and m.direction = 'outbound')
                    or (m.metadata ->> 'kind' = 'call' and (m.direction = 'outbound' or m.metadata ->> 'callMissed' = 'false')))
             order by m.created_at limit 1) m
         where c.contact_id = p_contact_id),
        (select min(a.completed_at) from activities a
         where a.subject_type = p_kind and a.subject_id = p_subject_id and a.completed_at >= p_created_at))
$$;

-- A touch at p_at for every subject of the contact created by then whose first touch is later or missing.
create function touch_contact_subjects(p_contact_id bigint, p_at timestamptz) returns void language sql as $$
    update leads set first_touch_at = p_at
    where contact_id = p_contact_id and created_at <= p_at and (first_touch_at is null or first_touch_at > p_at);
    update deals set first_touch_at = p_at
    where contact_id = p_contact_id and created_at <= p_at and (first_touch_at is null or first_touch_at > p_at);
$$;

create function recompute_contact_touches(p_contact_id bigint) returns void language sql as $$
    update leads l set first_touch_at = t.at
    from (select id, first_touch_of('lead', id, contact_id, created_at) as at from leads where contact_id = p_contact_id) t
    where l.id = t.id and l.first_touch_at is distinct from t.at;
    update deals d set first_touch_at = t.at
    from (select id, first_touch_of('deal', id, contact_id, created_at) as at from deals where contact_id = p_contact_id) t
    where d.id = t.id and d.first_touch_at is distinct from t.at;
$$;

-- Messages: a new touch lowers; a touch deleted, or a call that stops being one, recomputes.
create function messages_first_touch() returns trigger language plpgsql as $$
declare
    contact bigint;
begin
    if tg_op = 'DELETE' then
        select contact_id into contact from conversations where id = old.conversation_id;
        if contact is not null then perform recompute_contact_touches(contact); end if;
        return null;
    end if;
    select contact_id into contact from conversations where id = new.conversation_id;
    if contact is null then return null; end if;
    if message_is_touch(new.sender_type, new.direction, new.metadata) then
        perform touch_contact_subjects(contact, new.created_at);
    else
        perform recompute_contact_touches(contact);
    end if;
    return null;
end $$;

create trigger messages_first_touch_insert after insert on messages
    for each row when (message_is_touch(new.sender_type, new.direction, new.metadata))
    execute function messages_first_touch();
-- Only a message that becomes or stops being a touch (a call answered or turned missed), or moves in time: the delivery
-- status updates every outbound reply goes through change neither, and its touch was counted when it was inserted.
create trigger messages_first_touch_update after update of metadata, sender_type, direction, created_at on messages
    for each row when (message_is_touch(new.sender_type, new.direction, new.metadata)
                           is distinct from message_is_touch(old.sender_type, old.direction, old.metadata)
                       or (old.created_at is distinct from new.created_at
                           and (message_is_touch(new.sender_type, new.direction, new.metadata)
                                or message_is_touch(old.sender_type, old.direction, old.metadata))))
    execute function messages_first_touch();
create trigger messages_first_touch_delete after delete on messages
    for each row when (message_is_touch(old.sender_type, old.direction, old.metadata))
    execute function messages_first_touch();

-- Activities: completing one lowers its subject's first touch; reopening, moving or deleting a completed one recomputes.
create function activities_first_touch() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') and old.completed_at is not null then
        if old.subject_type = 'lead' then
            update leads set first_touch_at = first_touch_of('lead', id, contact_id, created_at) where id = old.subject_id;
        elsif old.subject_type = 'deal' then
            update deals set first_touch_at = first_touch_of('deal', id, contact_id, created_at) where id = old.subject_id;
        end if;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.completed_at is not null then
        if new.subject_type = 'lead' then
            update leads set first_touch_at = new.completed_at
            where id = new.subject_id and created_at <= new.completed_at and (first_touch_at is null or first_touch_at > new.completed_at);
        elsif new.subject_type = 'deal' then
            update deals set first_touch_at = new.completed_at
            where id = new.subject_id and created_at <= new.completed_at and (first_touch_at is null or first_touch_at > new.completed_at);
        end if;
    end if;
    return null;
end $$;

create trigger activities_first_touch_insert after insert on activities
    for each row when (new.completed_at is not null) execute function activities_first_touch();
create trigger activities_first_touch_update after update of completed_at, subject_type, subject_id on activities
    for each row when (old.completed_at is distinct from new.completed_at or old.subject_type is distinct from new.subject_type
                       or old.subject_id is distinct from new.subject_id)
    execute function activities_first_touch();
create trigger activities_first_touch_delete after delete on activities
    for each row when (old.completed_at is not null) execute function activities_first_touch();

-- A conversation moved to another contact (a merge) changes both contacts' touches.
create function conversations_first_touch() returns trigger language plpgsql as $$
begin
    perform recompute_contact_touches(old.contact_id);
    perform recompute_contact_touches(new.contact_id);
    return null;
end $$;

create trigger conversations_first_touch_update after update of contact_id on conversations
    for each row when (old.contact_id is distinct from new.contact_id) execute function conversations_first_touch();

-- A subject created in the past (an import, a backfill) or moved to another contact or date is read afresh. One created
-- now (the default) has no touch yet: its touches come later, through the triggers above.
create function subjects_first_touch() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' and new.created_at >= transaction_timestamp() then
        return new;
    end if;
    new.first_touch_at := first_touch_of(case when tg_table_name = 'leads' then 'lead' else 'deal' end, new.id, new.contact_id, new.created_at);
    return new;
end $$;

create trigger leads_first_touch_insert before insert on leads for each row execute function subjects_first_touch();
create trigger deals_first_touch_insert before insert on deals for each row execute function subjects_first_touch();
create trigger leads_first_touch_update before update of contact_id, created_at on leads
    for each row when (old.contact_id is distinct from new.contact_id or old.created_at is distinct from new.created_at)
    execute function subjects_first_touch();
create trigger deals_first_touch_update before update of contact_id, created_at on deals
    for each row when (old.contact_id is distinct from new.contact_id or old.created_at is distinct from new.created_at)
    execute function subjects_first_touch();

update leads l set first_touch_at = t.at
from (select id, first_touch_of('lead', id, contact_id, created_at) as at from leads) t where l.id = t.id and t.at is not null;
update deals d set first_touch_at = t.at
from (select id, first_touch_of('deal', id, contact_id, created_at) as at from deals) t where d.id = t.id and t.at is not null;


-- The report reads a period's subjects from these alone (index-only): creation, first touch, and what it groups and lists by.
create index deals_created_touch_idx on deals (created_at) include (first_touch_at, assignee_id, source, lead_id, closed_at);
drop index deals_created_idx;
create index leads_created_touch_idx on leads (created_at) include (first_touch_at, assignee_id, source, status);
drop index leads_created_idx;
