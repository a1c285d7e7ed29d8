-- Two reads of the response-time statistics (issue #19), by index:
-- Conversation starts by day: ResponseTimesQuery keeps the past days of a period per node and reads today's (and later
-- days') starts on every call; the primary key leads with the series, so a day's rows were a sequential scan of the table
-- (44,000 rows in the benchmark for a few dozen).
-- Without `conversations` in it: the trigger adds to that column, and an update of an indexed column is never HOT.
create index if not exists response_conversation_starts_day_idx on response_conversation_starts (day) include (channel_key, user_key, prev_day);
-- A conversation's events: the conversations of a period's partial edge days are looked up in its whole days by
-- conversation (one probe each, where the conversation-days key took one per series); deleting a conversation (the foreign
-- key's cascade) no longer scans every event.
create index if not exists response_events_conversation_idx on response_events (conversation_id, at) include (channel_id, user_id);

-- The statistics' cache relies on revisions drawn in one global order (a session drawing a lower number than one another
-- session already committed could make two changes cancel out in the revision sum): one number at a time, as created.
alter sequence response_rollup_rev cache 1;
