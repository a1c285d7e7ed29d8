-- Telephony (Twilio Voice): the phone a manager's calls are forwarded to, and lookups of call messages.
-- A call is a message (metadata kind = call); its timeline entry (type call) is kept in step with it.
alter table users add column phone text;
create index timeline_call_message_idx on timeline_entries (((data ->> 'messageId')::bigint)) where type = 'call';
create index messages_calls_idx on messages (created_at) where metadata ->> 'kind' = 'call';
