-- CRM: stage history, activity due pushes, tunnels, automation rules and their durable jobs.

-- Leads and deals are found through their conversations (visibility for managers, sendMessage).
create index conversations_lead_idx on conversations (lead_id) where lead_id is not null;
create index conversations_deal_idx on conversations (deal_id) where deal_id is not null;
create index leads_assignee_idx on leads (assignee_id, id desc);
create index deals_assignee_open_idx on deals (assignee_id) where closed_at is null;
create index deals_list_idx on deals (id desc);

alter table deals
    add column stage_entered_at timestamptz,
    add column parent_deal_id   bigint references deals (id),
    add column tunnel_rule_id   bigint,
    add column tunnel_source    text;
update deals set stage_entered_at = created_at;
-- A tunnel (automation createDeal) makes one deal per source and rule, whatever the retries.
create unique index deals_tunnel_key on deals (tunnel_rule_id, tunnel_source) where tunnel_rule_id is not null;

-- Every stage a deal entered, for the timeline's history and the funnel statistics.
create table deal_stage_history (
    id         bigint generated always as identity primary key,
    deal_id    bigint not null references deals (id) on delete cascade,
    stage_id   bigint not null,
    entered_at timestamptz not null,
    left_at    timestamptz,
    actor_type text not null default 'system',
    actor_id   bigint
);
create index deal_stage_history_deal_idx on deal_stage_history (deal_id, id);
create index deal_stage_history_stage_idx on deal_stage_history (stage_id, entered_at);

alter table activities
    add column description  text,
    add column created_by   bigint references users (id),
    add column completed_by bigint references users (id),
    add column result       text,
    -- Set when `activityDue` was pushed (once per activity, whichever node's scheduler claims it).
    add column due_pushed_at timestamptz;
-- Activities already past their time were due before pushes existed: nothing to push for them.
update activities set due_pushed_at = due_at where due_at < now();
create index activities_due_scan_idx on activities (due_at) where completed_at is null and due_pushed_at is null;
create index activities_due_idx on activities (due_at, id) where completed_at is null;

create table automation_rules (
    id           bigint generated always as identity primary key,
    name         text not null,
    enabled      boolean not null default true,
    trigger_type text not null,
    trigger      jsonb not null,
    delay        text,
    conditions   jsonb not null default '[]',
    actions      jsonb not null,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index automation_rules_trigger_idx on automation_rules (trigger_type) where enabled;

-- One run of one rule on one lead or deal: its actions run in order, each in its own transaction that
-- also records it in automation_action_runs, so a retried job never repeats a finished action.
create table automation_jobs (
    id           bigint generated always as identity primary key,
    rule_id      bigint not null references automation_rules (id) on delete cascade,
    subject_type text not null check (subject_type in ('lead', 'deal')),
    subject_id   bigint not null,
    event        jsonb not null default '{}',
    depth        int not null default 0,
    chain        bigint[] not null default '{}',
    due_at       timestamptz not null,
    state        text not null default 'pending' check (state in ('pending', 'running', 'done', 'failed', 'skipped')),
    attempts     int not null default 0,
    locked_until timestamptz,
    last_error   text,
    dedupe_key   text,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index automation_jobs_due_idx on automation_jobs (due_at, id) where state in ('pending', 'running');
-- noReply waits once per rule and conversation: later messages of the same unanswered wait add nothing.
create unique index automation_jobs_dedupe_key on automation_jobs (dedupe_key) where dedupe_key is not null and state = 'pending';

create table automation_action_runs (
    job_id       bigint not null references automation_jobs (id) on delete cascade,
    action_index int not null,
    at           timestamptz not null,
    result       jsonb not null default '{}',
    primary key (job_id, action_index)
);
