-- Session 9 (issues #19/#20): the outbox worker runs its items concurrently. Two facts make that safe and fair:
--   conversation_id: the sends of one conversation run one at a time, in id order, on whichever node claims them
--                    (the claim skips a send while an earlier one of its conversation is due or running);
--   channel_id:      a node caps how many items of one channel it runs at once, so a hung provider cannot take
--                    every slot and delay other channels' sends.
-- A trigger fills both from the message, so every writer of `send` rows (replies, auto-replies, CSAT, automation,
-- calls...) gets the ordering without each repeating it.
alter table outbox add column conversation_id bigint, add column channel_id bigint;

create function outbox_fill_keys() returns trigger language plpgsql as $$
begin
    select m.channel_id, case when new.kind = 'send' then m.conversation_id end
    into new.channel_id, new.conversation_id
    from messages m where m.id = new.message_id;
    return new;
end
$$;

create trigger outbox_fill_keys before insert on outbox
    for each row when (new.message_id is not null and new.channel_id is null)
    execute function outbox_fill_keys();

update outbox o set channel_id = m.channel_id, conversation_id = case when o.kind = 'send' then m.conversation_id end
from messages m
where m.id = o.message_id and o.state in ('pending', 'running');

create index outbox_conversation_idx on outbox (conversation_id, id) where state in ('pending', 'running') and conversation_id is not null;
