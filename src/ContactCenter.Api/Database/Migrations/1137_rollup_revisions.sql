-- Response-time rollups carry a revision (issue #19): every insert or change of a row takes the next number of a
-- sequence, so "are these month rows as I read them before?" is a count and a sum, read without the histograms. The app
-- keeps the merged month rows of a period it was asked for and reads them again only when that answer changes
-- (ResponseTimesQuery). The sequence belongs to no column, so TRUNCATE ... RESTART IDENTITY does not restart it (a
-- revision is never given out twice).
create sequence response_rollup_rev;

alter table response_rollups add column rev bigint not null default 0;
alter table response_rollups alter column rev set default nextval('response_rollup_rev');

create function response_rollup_revise() returns trigger language plpgsql as $$
begin
    new.rev := nextval('response_rollup_rev');
    return new;
end $$;

create trigger response_rollups_revise before update on response_rollups
    for each row execute function response_rollup_revise();
