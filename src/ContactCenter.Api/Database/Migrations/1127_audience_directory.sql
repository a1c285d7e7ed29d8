-- Who may see what, kept in each node's memory for pushes (issue #19): the staff, the active users and each channel's
-- members. A change to any of them bumps one version; a push reads the version in the same round trip as the
-- summaries it sends, and a node whose copy is older reloads it before sending. Statement-level triggers: a bulk
-- change bumps once. Truncate bumps too (tests reset tables that way).
create table audience_directory (
    id boolean primary key default true check (id),
    version bigint not null
);
insert into audience_directory (id, version) values (true, 1);

create function bump_audience_directory() returns trigger language plpgsql as $$
begin
    insert into audience_directory (id, version) values (true, 1)
    on conflict (id) do update set version = audience_directory.version + 1;
    return null;
end;
$$;

create trigger users_audience after insert or delete or update of role, is_active on users
    for each statement execute function bump_audience_directory();
create trigger users_audience_truncate after truncate on users
    for each statement execute function bump_audience_directory();
create trigger channel_members_audience after insert or delete or update on channel_members
    for each statement execute function bump_audience_directory();
create trigger channel_members_audience_truncate after truncate on channel_members
    for each statement execute function bump_audience_directory();
