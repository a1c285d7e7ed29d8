-- Leads and deals opened inside the inbound pipeline's transaction, waiting to be pushed after its commit
-- (the CRM scheduler of one node claims each row and deletes it).
create table crm_pushes (
    id         bigint generated always as identity primary key,
    lead_ids   bigint[] not null default '{}',
    deal_ids   bigint[] not null default '{}',
    created_at timestamptz not null default now()
);
