-- The spine: users, channels, contacts, conversations, messages, CRM core, outbox.
create table users (
    id            bigint generated always as identity primary key,
    email         text not null,
    name          text not null,
    role          text not null check (role in ('admin', 'supervisor', 'manager')),
    password_hash text not null,
    is_active     boolean not null default true,
    created_at    timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table channels (
    id           bigint generated always as identity primary key,
    kind         text not null,
    name         text not null,
    enabled      boolean not null default true,
    settings     jsonb not null default '{}',
    public_key   text unique,
    status_error text,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);

create table channel_members (
    channel_id bigint not null references channels (id) on delete cascade,
    user_id    bigint not null references users (id) on delete cascade,
    primary key (channel_id, user_id)
);
create index channel_members_user_idx on channel_members (user_id);

create table app_settings (
    key   text primary key,
    value jsonb not null
);
insert into app_settings (key, value) values ('crm', '{"mode": "classic"}');

create table contacts (
    id         bigint generated always as identity primary key,
    name       text,
    email      text,
    phone      text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index contacts_email_idx on contacts (lower(email)) where email is not null;
create index contacts_phone_idx on contacts (phone) where phone is not null;

create table contact_identities (
    id           bigint generated always as identity primary key,
    contact_id   bigint not null references contacts (id) on delete cascade,
    channel_kind text not null,
    address      text not null,
    display_name text,
    username     text,
    created_at   timestamptz not null default now(),
    unique (channel_kind, address)
);
create index contact_identities_contact_idx on contact_identities (contact_id);

-- CRM core (the CRM issue extends these).
create table pipelines (
    id         bigint generated always as identity primary key,
    name       text not null,
    is_default boolean not null default false,
    sort       int not null default 0,
    created_at timestamptz not null default now()
);
create unique index pipelines_one_default on pipelines (is_default) where is_default;

create table stages (
    id          bigint generated always as identity primary key,
    pipeline_id bigint not null references pipelines (id) on delete cascade,
    name        text not null,
    sort        int not null,
    semantic    text not null check (semantic in ('open', 'won', 'lost'))
);
create index stages_pipeline_idx on stages (pipeline_id, sort);

with p as (insert into pipelines (name, is_default) values ('Sales', true) returning id)
insert into stages (pipeline_id, name, sort, semantic)
select p.id, s.name, s.sort, s.semantic
from p, (values ('New', 1, 'open'), ('Qualification', 2, 'open'), ('Proposal', 3, 'open'),
                ('Negotiation', 4, 'open'), ('Won', 5, 'won'), ('Lost', 6, 'lost')) as s(name, sort, semantic);

create table loss_reasons (
    id   bigint generated always as identity primary key,
    name text not null unique
);
insert into loss_reasons (name) values ('Too expensive'), ('Chose a competitor'), ('No response'), ('Not a fit');

create table leads (
    id           bigint generated always as identity primary key,
    contact_id   bigint not null references contacts (id),
    title        text not null,
    status       text not null default 'new' check (status in ('new', 'in_work', 'converted', 'junk')),
    source       text,
    assignee_id  bigint references users (id),
    junk_reason  text,
    deal_id      bigint,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index leads_contact_open_idx on leads (contact_id) where status in ('new', 'in_work');
create index leads_status_idx on leads (status, id desc);

create table deals (
    id             bigint generated always as identity primary key,
    contact_id     bigint references contacts (id),
    pipeline_id    bigint not null references pipelines (id),
    stage_id       bigint not null references stages (id),
    title          text not null,
    amount         numeric(18, 2) not null default 0,
    currency       text not null default 'USD',
    assignee_id    bigint references users (id),
    source         text,
    lead_id        bigint references leads (id),
    closed_at      timestamptz,
    outcome        text check (outcome in ('won', 'lost')),
    loss_reason_id bigint references loss_reasons (id),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
create index deals_contact_open_idx on deals (contact_id) where closed_at is null;
create index deals_board_idx on deals (pipeline_id, stage_id, id desc);

create table activities (
    id           bigint generated always as identity primary key,
    subject_type text not null check (subject_type in ('lead', 'deal')),
    subject_id   bigint not null,
    type         text not null check (type in ('call', 'meeting', 'task', 'email')),
    title        text not null,
    due_at       timestamptz not null,
    assignee_id  bigint references users (id),
    completed_at timestamptz,
    created_at   timestamptz not null default now()
);
create index activities_assignee_open_idx on activities (assignee_id, due_at) where completed_at is null;
create index activities_subject_idx on activities (subject_type, subject_id);

-- Conversations and messages.
create table conversations (
    id                  bigint generated always as identity primary key,
    channel_id          bigint not null references channels (id),
    contact_id          bigint not null references contacts (id),
    thread_key          text not null default '',
    status              text not null default 'open' check (status in ('open', 'pending', 'resolved')),
    assignee_id         bigint references users (id),
    lead_id             bigint references leads (id),
    deal_id             bigint references deals (id),
    last_message_id     bigint,
    last_activity_at    timestamptz not null default now(),
    inbound_count       bigint not null default 0,
    waiting_since       timestamptz,
    first_inbound_at    timestamptz,
    first_reply_at      timestamptz,
    resolved_at         timestamptz,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    unique (channel_id, contact_id, thread_key)
);
-- Inbox pages: keyset on (last_activity_at, id) within a status, filtered by assignee or channel.
create index conversations_inbox_idx on conversations (status, last_activity_at desc, id desc);
create index conversations_assignee_idx on conversations (assignee_id, status, last_activity_at desc, id desc);
create index conversations_unassigned_idx on conversations (channel_id, status, last_activity_at desc, id desc) where assignee_id is null;
create index conversations_contact_idx on conversations (contact_id);

create table messages (
    id                bigint generated always as identity primary key,
    conversation_id   bigint not null references conversations (id),
    channel_id        bigint not null references channels (id),
    direction         text not null check (direction in ('inbound', 'outbound', 'note')),
    text              text,
    html              text,
    sender_type       text not null check (sender_type in ('contact', 'user', 'system')),
    sender_user_id    bigint references users (id),
    status            text not null check (status in ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
    error             text,
    external_id       text,
    client_message_id text,
    reply_to_id       bigint references messages (id),
    reply_to_external_id text,
    metadata          jsonb,
    raw               jsonb,
    sent_at           timestamptz,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);
create unique index messages_external_key on messages (channel_id, external_id) where external_id is not null;
create unique index messages_client_key on messages (conversation_id, client_message_id) where client_message_id is not null;
create index messages_conversation_idx on messages (conversation_id, id desc);

create table attachments (
    id            bigint generated always as identity primary key,
    message_id    bigint not null references messages (id) on delete cascade,
    file_name     text not null,
    content_type  text not null default 'application/octet-stream',
    size          bigint,
    external_ref  text,
    storage_path  text,
    created_at    timestamptz not null default now()
);
create index attachments_message_idx on attachments (message_id);

-- Per-user read position: unread = conversations.inbound_count - read_inbound_count.
create table conversation_reads (
    conversation_id    bigint not null references conversations (id) on delete cascade,
    user_id            bigint not null references users (id) on delete cascade,
    last_read_message_id bigint not null,
    read_inbound_count bigint not null,
    read_at            timestamptz not null default now(),
    primary key (user_id, conversation_id)
);

create table timeline_entries (
    id         bigint generated always as identity primary key,
    lead_id    bigint references leads (id),
    deal_id    bigint references deals (id),
    type       text not null,
    at         timestamptz not null default now(),
    actor_type text not null default 'system',
    actor_id   bigint,
    data       jsonb not null default '{}'
);
create index timeline_lead_idx on timeline_entries (lead_id, id desc) where lead_id is not null;
create index timeline_deal_idx on timeline_entries (deal_id, id desc) where deal_id is not null;

-- Durable work: outbound sends and post-processing of inbound messages. Claimed with FOR UPDATE SKIP LOCKED.
create table outbox (
    id              bigint generated always as identity primary key,
    kind            text not null,
    message_id      bigint references messages (id),
    payload         jsonb not null default '{}',
    state           text not null default 'pending' check (state in ('pending', 'running', 'done', 'failed')),
    attempts        int not null default 0,
    next_attempt_at timestamptz not null default now(),
    locked_until    timestamptz,
    last_error      text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index outbox_due_idx on outbox (next_attempt_at, id) where state in ('pending', 'running');
