-- The facts a notice's sentence is made of (activity title and due time, contact, channel, who...), so that the web
-- app words it in the user's language and time zone; `text` stays the English sentence (email digest, older clients).
-- Notices stored before this have none and show their text.
alter table notifications add column data jsonb;
