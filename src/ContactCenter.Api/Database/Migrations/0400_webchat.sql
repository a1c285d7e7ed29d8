-- Web chat: what a visitor told the widget (name, email) before or after their first message,
-- and the lookup of a visitor's conversation by (channel, thread key = visitor key).
create table webchat_visitors (
    visitor_key text primary key,
    channel_id  bigint not null references channels (id) on delete cascade,
    name        text,
    email       text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create index conversations_channel_thread_idx on conversations (channel_id, thread_key) where thread_key <> '';
