-- Canned responses (issue #16): a personal one belongs to owner_id; a shared one has no owner and is managed by staff.
-- Shortcuts are unique case-insensitively within the shared set and within one user's personal set.
create table canned_responses (
    id         bigint generated always as identity primary key,
    owner_id   bigint references users (id) on delete cascade,
    shortcut   text not null,
    title      text,
    text       text not null,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index canned_responses_shared_key on canned_responses (lower(shortcut)) where owner_id is null;
create unique index canned_responses_personal_key on canned_responses (owner_id, lower(shortcut)) where owner_id is not null;

-- Files a canned response carries: copied into fresh reply uploads of the conversation when the response is rendered.
create table canned_response_files (
    id                 bigint generated always as identity primary key,
    canned_response_id bigint not null references canned_responses (id) on delete cascade,
    file_name          text not null,
    content_type       text not null,
    size               bigint not null,
    storage_path       text not null,
    created_at         timestamptz not null default now()
);
create index canned_response_files_response_idx on canned_response_files (canned_response_id, id);
