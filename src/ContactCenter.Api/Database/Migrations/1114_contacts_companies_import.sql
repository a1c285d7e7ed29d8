-- Contacts and companies as a place to work, and CSV import of contacts and leads (issue #17, part "contacts").
--
-- Companies: several contacts and deals hang on one. A manager sees a company when they see one of its contacts or
-- deals, or created it (created_by); staff see all.
create table companies (
    id         bigint generated always as identity primary key,
    name       text not null,
    phone      text,
    email      text,
    website    text,
    address    text,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index companies_name_trgm_idx on companies using gin (lower(name collate "und-x-icu") gin_trgm_ops);
create index companies_name_idx on companies (lower(name collate "und-x-icu"));

alter table contacts add column company_id bigint references companies (id) on delete set null;
create index contacts_company_idx on contacts (company_id) where company_id is not null;
-- Who made a contact by hand or by import: a manager keeps seeing the contacts they created before any conversation,
-- lead or deal links them.
alter table contacts add column created_by bigint references users (id) on delete set null;
create index contacts_created_by_idx on contacts (created_by) where created_by is not null;

alter table deals add column company_id bigint references companies (id) on delete set null;
create index deals_company_idx on deals (company_id) where company_id is not null;

-- A contact's own timeline entries (a merge), beside those of its leads and deals.
alter table timeline_entries add column contact_id bigint references contacts (id) on delete cascade;
create index timeline_contact_idx on timeline_entries (contact_id, id desc) where contact_id is not null;

-- One CSV import: the decoded text is kept so the background job (any node, any retry) reads the same rows.
create table imports (
    id          bigint generated always as identity primary key,
    user_id     bigint not null references users (id) on delete cascade,
    entity      text not null check (entity in ('contact', 'lead')),
    status      text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
    file_name   text not null,
    content     text not null,
    delimiter   text not null,
    has_header  boolean not null,
    column_map  jsonb not null,
    total       int not null,
    created     int not null default 0,
    merged      int not null default 0,
    refused     int not null default 0,
    error       text,
    locked_until timestamptz,
    created_at  timestamptz not null default now(),
    finished_at timestamptz
);
create index imports_user_idx on imports (user_id, id desc);

-- The row report; (import, line) is the key, so a retried job resumes after the last row it stored.
create table import_rows (
    import_id  bigint not null references imports (id) on delete cascade,
    line       int not null,
    outcome    text not null check (outcome in ('created', 'merged', 'refused')),
    error      text,
    contact_id bigint,
    lead_id    bigint,
    primary key (import_id, line)
);
