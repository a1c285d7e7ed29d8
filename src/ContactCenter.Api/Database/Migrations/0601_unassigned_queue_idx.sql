-- The counters' "unassigned I could take" scan (run for every recipient of every push) and the queue read the
-- open unassigned conversations per channel: a small partial index serves both (measured 4.6 s -> 0.15 s at bench size).
create index conversations_open_unassigned_idx on conversations (channel_id) where assignee_id is null and status <> 'resolved';
