-- The notification centre (issue #16): one row per notice for one user. The unique key deduplicates each kind's
-- event (one overdue notice per activity, one per assignment, one per mention, one per automation action run).
create table notifications (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references users (id),
    kind            text not null check (kind in ('assigned', 'mention', 'activity_due', 'activity_overdue', 'sla_breach', 'automation')),
    text            text not null,
    conversation_id bigint references conversations (id),
    deal_id         bigint,
    lead_id         bigint,
    activity_id     bigint,
    dedupe_key      text not null,
    created_at      timestamptz not null default now(),
    read_at         timestamptz,
    unique (user_id, kind, dedupe_key)
);
create index notifications_user_idx on notifications (user_id, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

-- Per-user settings (which kinds, sound, quiet hours); a missing row means the defaults.
create table user_settings (
    user_id    bigint primary key references users (id),
    settings   jsonb not null,
    updated_at timestamptz not null default now()
);

-- Colleagues brought into a conversation by an @mention: they see it like its assignee does.
create table conversation_participants (
    conversation_id bigint not null references conversations (id),
    user_id         bigint not null references users (id),
    added_by        bigint references users (id),
    added_at        timestamptz not null default now(),
    primary key (conversation_id, user_id)
);
create index conversation_participants_user_idx on conversation_participants (user_id);

-- One overdue-activities digest per user and day (UTC), whichever node's job gets there first.
create table notification_digests (
    user_id bigint not null references users (id),
    day     date not null,
    sent_at timestamptz,
    primary key (user_id, day)
);
