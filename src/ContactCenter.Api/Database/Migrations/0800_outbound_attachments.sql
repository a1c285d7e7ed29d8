-- Files a manager uploads before sending: they belong to the uploader and the conversation until a reply takes them.
alter table attachments alter column message_id drop not null;
alter table attachments add column uploaded_by bigint references users (id);
alter table attachments add column upload_conversation_id bigint references conversations (id) on delete cascade;
create index attachments_pending_upload_idx on attachments (upload_conversation_id, uploaded_by) where message_id is null;
