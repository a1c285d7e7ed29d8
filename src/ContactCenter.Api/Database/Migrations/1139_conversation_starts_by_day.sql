-- Conversation starts by day (issue #19): ResponseTimesQuery keeps the past days of a period per node and reads today's
-- (and later days') starts on every call; the primary key leads with the series, so a day's rows were a sequential scan
-- of the table (44,000 rows in the benchmark for a few dozen).
create index response_conversation_starts_day_idx on response_conversation_starts (day) include (channel_key, user_key, prev_day, conversations);
