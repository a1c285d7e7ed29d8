-- Issue #17 (cards): products lines of a deal, the structured source of deals and leads, configurable lead statuses
-- and junk reasons. Catalog rows are archived, never deleted, so old leads keep naming what they were given.

create table deal_products (
    id        bigint generated always as identity primary key,
    deal_id   bigint not null references deals (id) on delete cascade,
    sort      int not null,
    name      text not null check (char_length(name) between 1 and 300),
    price     numeric(18, 2) not null check (price >= 0),
    quantity  numeric(18, 3) not null check (quantity > 0),
    discount  numeric(5, 2) not null default 0 check (discount between 0 and 100)
);
create index deal_products_deal_idx on deal_products (deal_id, sort);

-- When true the deal's amount is the sum of its lines (kept by the writes that replace the lines).
alter table deals add column amount_from_products boolean not null default false;

-- Where a deal or lead came from, beyond the short `source` text: {channel, channelId, conversationId, form, utm, payload}.
alter table deals add column source_details jsonb;
alter table leads add column source_details jsonb;

create table lead_statuses (
    id          bigint generated always as identity primary key,
    name        text not null check (char_length(name) between 1 and 100),
    name_ru     text check (char_length(name_ru) between 1 and 100),
    sort        int not null default 0,
    archived_at timestamptz,
    created_at  timestamptz not null default now()
);
create unique index lead_statuses_name_key on lead_statuses (lower(name)) where archived_at is null;

create table junk_reasons (
    id          bigint generated always as identity primary key,
    name        text not null check (char_length(name) between 1 and 100),
    name_ru     text check (char_length(name_ru) between 1 and 100),
    sort        int not null default 0,
    archived_at timestamptz,
    created_at  timestamptz not null default now()
);
create unique index junk_reasons_name_key on junk_reasons (lower(name)) where archived_at is null;

insert into lead_statuses (name, name_ru, sort) values
    ('In work', 'В работе', 1), ('Waiting for details', 'Ожидание данных', 2), ('Processed', 'Обработан', 3);
insert into junk_reasons (name, name_ru, sort) values
    ('Spam', 'Спам', 1), ('Duplicate', 'Дубль', 2), ('Wrong contact details', 'Неверные контакты', 3), ('Not a customer', 'Не клиент', 4);

alter table leads add column status_id bigint references lead_statuses (id);
alter table leads add column junk_reason_id bigint references junk_reasons (id);
