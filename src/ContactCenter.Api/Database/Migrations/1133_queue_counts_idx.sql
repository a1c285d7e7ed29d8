-- The counters' queue part (Features/Conversations/CountersQuery: per channel, the open unassigned conversations that are
-- not snoozed and their unread messages) read each such conversation from the heap: 31 ms a call on the benchmark's
-- 24,000, run for every push of counters. The index it used now also carries status and inbound_count, so the same read
-- is an index-only scan (3 ms there); same key and predicate, so every other read it served is served as before.
drop index conversations_open_unassigned_idx;
create index conversations_open_unassigned_idx on conversations (channel_id) include (status, inbound_count)
    where assignee_id is null and status <> 'resolved';
