-- Sales reports (issue 17): monthly sales plans per manager, and the indexes the reports read by period.
create table sales_plans (
    user_id    bigint not null references users (id) on delete cascade,
    month      date not null check (extract(day from month) = 1),
    amount     numeric(18, 2) not null check (amount >= 0),
    updated_by bigint references users (id) on delete set null,
    updated_at timestamptz not null default now(),
    primary key (user_id, month)
);
-- Sales, plan, efficiency and funnel outcomes read the deals closed in a period; the covered columns spare the heap.
create index deals_closed_idx on deals (closed_at) include (outcome, amount, assignee_id, pipeline_id, source, created_at) where closed_at is not null;
-- Speed to lead reads the leads and deals created in a period.
create index deals_created_idx on deals (created_at);
create index leads_created_idx on leads (created_at);
-- The first human touch of a contact after a moment: a staff reply or a call, per conversation in time order.
create index messages_touch_idx on messages (conversation_id, created_at)
    where (sender_type = 'user' and direction = 'outbound') or metadata ->> 'kind' = 'call';
-- Activities completed in a period (efficiency).
create index activities_completed_idx on activities (completed_at) where completed_at is not null;
