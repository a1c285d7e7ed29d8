-- The first 140 characters of the conversation's last message, kept on the conversation beside `last_message_id` by every
-- statement that moves it (inbound store, batch store, message writer) and by the edits of that message. The supervisors'
-- queue lists up to 1,000 conversations with their previews: probing `messages` for each was 2.6 ms of a 4.5 ms read at
-- the benchmark's sizes (1M messages; docs/benchmarks.md, session 40). Null: no message yet, or none with text.
alter table conversations add column last_preview text;

update conversations c set last_preview = left(m.text, 140)
from messages m
where m.id = c.last_message_id and m.text is not null and m.text <> '';
