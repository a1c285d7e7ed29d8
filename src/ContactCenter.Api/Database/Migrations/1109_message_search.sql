-- Message search (GET /api/search, issue #16).
-- Full text: one stored vector per message over the email subject (metadata->>'subject') and the text, in the
-- Russian and the English configuration (so "доставка" finds "доставки" and English words are stemmed either way).
-- Capped at 100,000 characters: a tsvector may not exceed 1 MB, and an inbound email must never fail to store
-- because its body is huge (the words after the cap are not searchable, which the docs say).
alter table messages add column search_vector tsvector generated always as (
    to_tsvector('russian', left(coalesce(metadata->>'subject', '') || ' ' || coalesce(text, ''), 100000))
    || to_tsvector('english', left(coalesce(metadata->>'subject', '') || ' ' || coalesce(text, ''), 100000))
) stored;
create index messages_search_idx on messages using gin (search_vector);
-- Newest first over all messages: for a word found in many messages the planner walks this index and tests
-- each message's vector, instead of reading every match from the GIN index and sorting them.
create index messages_created_idx on messages (created_at desc, id desc);

-- Partial words in contact names, emails and phones (ILIKE '%...%' through trigram indexes).
create extension if not exists pg_trgm;
create index contacts_name_trgm_idx on contacts using gin (name gin_trgm_ops);
create index contacts_email_trgm_idx on contacts using gin (email gin_trgm_ops);
create index contacts_phone_trgm_idx on contacts using gin (phone gin_trgm_ops);
