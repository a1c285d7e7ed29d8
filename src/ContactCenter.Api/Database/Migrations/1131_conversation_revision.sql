-- Each change to a conversation's row (assignee, status, snooze, a message's bump, a link to a lead or deal) bumps its
-- revision, carried by every summary (REST and `conversationUpdated`) and by `conversationRemoved`. A screen keeps the
-- later of two copies, and drops a summary older than a removal it already heard: a read whose summary was taken just
-- before the conversation was handed to a colleague must not show it again after the removal (pushes of one
-- conversation from two requests are not ordered). Row locks serialise updates of one row, so revisions only grow.
-- Changes kept in other tables (reads, labels, participants) leave it as it is: a summary of the same revision is
-- never refused. New rows start at 0 (a constant default: no table rewrite).
alter table conversations add column revision bigint not null default 0;

-- One trigger function for every table with a revision (messages had their own since 1128).
create function bump_revision() returns trigger language plpgsql as $$
begin
    new.revision := old.revision + 1;
    return new;
end;
$$;

create trigger conversations_revision before update on conversations
    for each row execute function bump_revision();

drop trigger messages_revision on messages;
create trigger messages_revision before update on messages
    for each row execute function bump_revision();
drop function bump_message_revision();
