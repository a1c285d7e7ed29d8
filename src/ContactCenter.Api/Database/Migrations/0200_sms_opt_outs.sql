-- SMS opt-outs (STOP / START) per channel number and customer number (E.164).
-- message_id is the message that set the state: a change from an older message (a redelivery) never overrides it.
create table sms_opt_outs (
    channel_id bigint not null references channels (id) on delete cascade,
    phone      text not null,
    opted_out  boolean not null,
    keyword    text not null,
    message_id bigint not null,
    updated_at timestamptz not null default now(),
    primary key (channel_id, phone)
);
