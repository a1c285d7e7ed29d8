-- Issue 17 remnant: companies hold custom field values like contacts, leads and deals (typed JSONB validated at the
-- boundary by Features/Fields/FieldValues.cs); the GIN index serves `fields @> '{"key": value}'` filters.
alter table companies add column fields jsonb not null default '{}';

create index companies_fields_idx on companies using gin (fields jsonb_path_ops);
