-- Email channel: where each mailbox's reader has got to. last_uid moves forward only after the message
-- with that UID is stored; a changed uid_validity restarts the sync (Message-IDs dedupe what was stored before).
create table email_mailbox_state (
    channel_id   bigint primary key references channels (id) on delete cascade,
    mailbox      text not null default 'INBOX',
    uid_validity bigint not null,
    last_uid     bigint not null default 0,
    updated_at   timestamptz not null default now()
);
