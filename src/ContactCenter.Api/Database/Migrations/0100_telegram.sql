-- Telegram connector (and any connector that needs them): input not turned into messages, durable cursors.

-- Provider input a connector could not turn into a message (a callback query, a membership change...):
-- kept for people to look at, never dropped silently; a redelivery is stored once.
create table unhandled_inbound (
    id          bigint generated always as identity primary key,
    channel_id  bigint not null references channels (id) on delete cascade,
    external_id text not null,
    kind        text not null,
    raw         jsonb,
    created_at  timestamptz not null default now(),
    unique (channel_id, external_id)
);

-- A connector's durable position per channel, e.g. the Telegram getUpdates offset of a polled bot.
create table channel_cursors (
    channel_id bigint not null references channels (id) on delete cascade,
    name       text not null,
    value      text not null,
    updated_at timestamptz not null default now(),
    primary key (channel_id, name)
);
