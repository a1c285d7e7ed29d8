-- Names unique "ignoring case" folded only ASCII letters: the database's C collation leaves lower('НОВЫЙ') unchanged, so
-- "Новый статус", "НОВЫЙ СТАТУС" and "новый статус" could all be active at once. The unique indexes now fold case with
-- ICU's root locale, whatever the database's collation. Case-twins stored before are kept, not lost: the later of two
-- active catalog entries is archived, the later of two labels gets its id appended.
update lead_statuses s set archived_at = now()
where s.archived_at is null and exists (select 1 from lead_statuses o where o.archived_at is null and o.id < s.id
                                        and lower(o.name collate "und-x-icu") = lower(s.name collate "und-x-icu"));
update junk_reasons s set archived_at = now()
where s.archived_at is null and exists (select 1 from junk_reasons o where o.archived_at is null and o.id < s.id
                                        and lower(o.name collate "und-x-icu") = lower(s.name collate "und-x-icu"));
update labels l set name = left(l.name, 40) || ' (' || l.id || ')'
where exists (select 1 from labels o where o.id < l.id and lower(o.name collate "und-x-icu") = lower(l.name collate "und-x-icu"));

drop index lead_statuses_name_key;
create unique index lead_statuses_name_key on lead_statuses (lower(name collate "und-x-icu")) where archived_at is null;
drop index junk_reasons_name_key;
create unique index junk_reasons_name_key on junk_reasons (lower(name collate "und-x-icu")) where archived_at is null;
drop index labels_name_key;
create unique index labels_name_key on labels (lower(name collate "und-x-icu"));
