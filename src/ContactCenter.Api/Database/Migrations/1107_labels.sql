-- Issue #16: labels on conversations and contacts. A label is a name (unique ignoring case) and a colour; deleting a
-- label removes it from everything (cascade).
create table labels (
    id          bigint generated always as identity primary key,
    name        text not null check (char_length(name) between 1 and 50),
    color       text not null check (color ~ '^#[0-9a-f]{6}$'),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create unique index labels_name_key on labels (lower(name));

-- The primary key answers "the labels of this conversation" (summaries) and the list filter's semi-join probe;
-- the (label_id, conversation_id) index answers "the conversations of this label" (a narrow filter, deleting a label).
create table conversation_labels (
    conversation_id bigint not null references conversations (id) on delete cascade,
    label_id        bigint not null references labels (id) on delete cascade,
    created_at      timestamptz not null default now(),
    primary key (conversation_id, label_id)
);
create index conversation_labels_label_idx on conversation_labels (label_id, conversation_id);

create table contact_labels (
    contact_id  bigint not null references contacts (id) on delete cascade,
    label_id    bigint not null references labels (id) on delete cascade,
    created_at  timestamptz not null default now(),
    primary key (contact_id, label_id)
);
create index contact_labels_label_idx on contact_labels (label_id);
