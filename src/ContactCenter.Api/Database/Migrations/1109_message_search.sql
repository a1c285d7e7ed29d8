-- Message search (GET /api/search, issue #16).
--
-- Full text: one stored vector per message over the email subject (metadata->>'subject') and the text, in a Russian
-- and the English configuration. `cc_russian` is PostgreSQL's russian (Russian words: russian_stem; ASCII words:
-- english_stem) with unaccent in front of the stemmer for non-ASCII words, so "ё" is "е" ("счета" finds "Счёт") and
-- "café" is "cafe"; ts_headline with the same configuration still shows the text as written.
-- Capped at 100,000 characters: a tsvector may not exceed 1 MB, and an inbound email must never fail to store
-- because its body is huge (words after the cap are not searchable, which the docs say).
create extension if not exists unaccent;
create text search configuration cc_russian (copy = russian);
alter text search configuration cc_russian alter mapping for word, hword, hword_part with unaccent, russian_stem;

-- Lower-cased with ICU first: the stemmers fold case with the database's locale, and a C-locale cluster (the tests')
-- would keep "Счёт" apart from "счёт".
alter table messages add column search_vector tsvector generated always as (
    to_tsvector('cc_russian', lower(left(coalesce(metadata->>'subject', '') || ' ' || coalesce(text, ''), 100000) collate "und-x-icu"))
    || to_tsvector('english', lower(left(coalesce(metadata->>'subject', '') || ' ' || coalesce(text, ''), 100000) collate "und-x-icu"))
) stored;
create index messages_search_idx on messages using gin (search_vector);
-- Newest first over all messages: for a word found in many messages the planner walks this index and tests
-- each message's vector, instead of reading every match from the GIN index and sorting them.
create index messages_created_idx on messages (created_at desc, id desc);

-- Partial words in contact names, emails and phones (LIKE '%...%' through trigram indexes). Case is folded with ICU's
-- lower(), not the database's: a cluster made with the C locale (the tests') folds only ASCII.
create extension if not exists pg_trgm;
create index contacts_name_trgm_idx on contacts using gin (lower(name collate "und-x-icu") gin_trgm_ops);
create index contacts_email_trgm_idx on contacts using gin (lower(email collate "und-x-icu") gin_trgm_ops);
create index contacts_phone_trgm_idx on contacts using gin (phone gin_trgm_ops);
