-- A provider's delivery report can arrive before the send that created the message has recorded the provider's id
-- (Twilio answers the create call slowly and posts `undelivered` at once): it was logged as "unknown" and lost, and the
-- message stayed `sent` although it had failed. Such a report is kept here and applied when the send records the id
-- (Outbound/SendHandler); reports nobody claims go after two days.
create table if not exists early_delivery_statuses (
    channel_id  bigint not null references channels (id) on delete cascade,
    external_id text not null,
    status      text not null check (status in ('sent', 'delivered', 'read', 'failed')),
    error       text,
    received_at timestamptz not null default now(),
    primary key (channel_id, external_id, status)
);
create index if not exists early_delivery_statuses_age_idx on early_delivery_statuses (received_at);
