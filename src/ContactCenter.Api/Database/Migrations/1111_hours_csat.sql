-- Issue 16 (hours): a manager's own working schedule (routing offers them nothing outside it), and CSAT surveys.
-- Out-of-hours replies and acknowledgements need no table: they are messages whose client_message_id is the dedupe key
-- (`auto:ooh:<period start>`, `auto:ack:<cycle start>`), unique per conversation by messages_client_key.
alter table users add column working_hours jsonb;

-- One survey per resolution of a conversation (cycle = the customer's cycle that was resolved); one rating per survey.
create table csat_surveys (
    id              bigint generated always as identity primary key,
    conversation_id bigint not null references conversations (id) on delete cascade,
    channel_id      bigint not null references channels (id),
    assignee_id     bigint references users (id),
    cycle_key       text not null,
    message_id      bigint references messages (id),
    asked_at        timestamptz not null,
    rating          smallint check (rating between 1 and 5),
    comment         text,
    rated_at        timestamptz,
    unique (conversation_id, cycle_key)
);
create index csat_surveys_asked_idx on csat_surveys (asked_at);
