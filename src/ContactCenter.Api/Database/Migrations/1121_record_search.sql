-- Issue 17 remnant: the header's search finds deals and leads by title (besides messages, contacts and companies).
-- Trigram indexes like the contacts' (1109): `lower(title collate "und-x-icu") like '%text%'` reads them.
create index deals_title_trgm_idx on deals using gin (lower(title collate "und-x-icu") gin_trgm_ops);
create index leads_title_trgm_idx on leads using gin (lower(title collate "und-x-icu") gin_trgm_ops);
