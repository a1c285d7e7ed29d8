-- Routing, presence-driven distribution, response-time events and SLA marks.
alter table users add column last_assigned_at timestamptz;

alter table conversations
    add column assigned_at timestamptz,
    add column cycle_started_at timestamptz,
    add column awaiting_first_response boolean not null default true,
    add column sla_breached_at timestamptz,
    add column sla_breach_kind text;
update conversations set cycle_started_at = coalesce(first_inbound_at, created_at);
create index conversations_waiting_idx on conversations (waiting_since) where waiting_since is not null and status <> 'resolved';
create index conversations_contact_assigned_idx on conversations (contact_id, assigned_at desc) where assignee_id is not null;

-- Round-robin position for `strictly` routing.
create table channel_routing_state (
    channel_id   bigint primary key references channels (id) on delete cascade,
    last_user_id bigint
);

-- One row per measured interval, written when it happens (never recomputed from messages).
create table response_events (
    id               bigint generated always as identity primary key,
    conversation_id  bigint not null references conversations (id) on delete cascade,
    channel_id       bigint not null references channels (id) on delete cascade,
    user_id          bigint references users (id),
    kind             text not null check (kind in ('first_response', 'reply', 'resolution')),
    started_at       timestamptz not null,
    at               timestamptz not null,
    seconds          double precision not null,
    business_seconds double precision not null,
    target_seconds   int,
    within_target    boolean
);
create index response_events_at_idx on response_events (at, kind);
