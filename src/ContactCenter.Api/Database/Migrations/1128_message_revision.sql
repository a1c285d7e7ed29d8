-- Each change to a message bumps its revision, so a screen that hears two pushes of one message out of order (the
-- retry button's "queued" after the outbox's "sent", from two requests or two nodes) keeps the later state. Row
-- locks serialise updates of one row, so revisions of one message only grow. A trigger: every writer, present and
-- future, counts. New rows start at 0 (a constant default: no table rewrite).
alter table messages add column revision integer not null default 0;

create function bump_message_revision() returns trigger language plpgsql as $$
begin
    new.revision := old.revision + 1;
    return new;
end;
$$;

create trigger messages_revision before update on messages
    for each row execute function bump_message_revision();
