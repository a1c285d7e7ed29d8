-- VK community messages: customers who denied messages from the community (message_deny), per channel and VK user id.
-- changed_at is when the state last changed (the event's time): an older event redelivered never overrides a newer one.
-- A customer who never denied has no row (allowed is VK's default once they wrote or allowed).
create table vk_message_permissions (
    channel_id bigint not null references channels (id) on delete cascade,
    user_id    text not null,
    allowed    boolean not null,
    changed_at timestamptz not null,
    primary key (channel_id, user_id)
);
