-- WhatsApp opt-outs (STOP / СТОП ... START) per channel and customer (WhatsApp id, the wa_id digits).
-- message_id is the message that set the state: a change from an older message (a redelivery) never overrides it.
create table whatsapp_opt_outs (
    channel_id bigint not null references channels (id) on delete cascade,
    wa_id      text not null,
    opted_out  boolean not null,
    keyword    text not null,
    message_id bigint not null,
    updated_at timestamptz not null default now(),
    primary key (channel_id, wa_id)
);
