-- Every GIN index (message search, the contact/company/deal/lead trigram indexes, custom fields) keeps a pending list of at
-- most 256 kB instead of PostgreSQL's 4 MB. New entries go to that list first and are merged into the index when it is
-- full, and every search reads the whole list sequentially: with ~4 MB pending (about 20,000 new messages), a rare word's
-- lookup took 2.2 ms instead of 0.14 ms in a 300,000-row experiment (docs/benchmarks.md, session 38).
-- Inserts cost the same at 256 kB (7,769 against 7,525 per second in the same experiment; 6,691 with no list at all).
-- A GIN index added later sets it too (MigrationTests checks every one).
do $$
declare
    index_name text;
begin
    for index_name in
        select quote_ident(i.relname)
        from pg_index x
        join pg_class i on i.oid = x.indexrelid
        join pg_am am on am.oid = i.relam
        join pg_namespace n on n.oid = i.relnamespace
        where am.amname = 'gin' and n.nspname = current_schema()
    loop
        execute format('alter index %s set (gin_pending_list_limit = 256)', index_name);
    end loop;
end
$$;
