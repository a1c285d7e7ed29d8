-- Issue 17 (fields): custom fields defined by an admin per entity, their values in typed JSONB on each row.
-- Values are validated at the boundary against the definitions (Features/Fields/FieldValues.cs); the column only
-- guarantees an object. jsonb_path_ops GIN indexes serve the list filters `field.<key>=<value>` (fields @> '{"key": value}').
create table custom_fields (
    id          bigint generated always as identity primary key,
    entity      text not null check (entity in ('contact', 'company', 'lead', 'deal')),
    key         text not null check (key ~ '^[a-z][a-z0-9_]{0,49}$'),
    label       text not null,
    type        text not null check (type in ('string', 'number', 'money', 'date', 'list', 'multi-list', 'boolean', 'url')),
    required    boolean not null default false,
    options     jsonb not null default '[]',
    pipeline_id bigint references pipelines (id) on delete cascade,
    sort        int not null default 0,
    archived    boolean not null default false,
    created_at  timestamptz not null default now(),
    unique (entity, key)
);

alter table contacts add column fields jsonb not null default '{}';
alter table leads add column fields jsonb not null default '{}';
alter table deals add column fields jsonb not null default '{}';

create index contacts_fields_idx on contacts using gin (fields jsonb_path_ops);
create index leads_fields_idx on leads using gin (fields jsonb_path_ops);
create index deals_fields_idx on deals using gin (fields jsonb_path_ops);

-- Keyset pages of the list view sorted by amount or update time (created sorts on the primary key's order).
create index deals_amount_id_idx on deals (amount, id);
create index deals_updated_id_idx on deals (updated_at, id);
create index deals_created_id_idx on deals (created_at, id);
