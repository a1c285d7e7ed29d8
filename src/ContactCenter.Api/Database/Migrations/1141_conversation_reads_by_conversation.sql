-- Every user's read position in one conversation, for the push that follows each inbound message
-- (ConversationQueries.ForPushAsync reads them all in the statement that reads the summary). The primary key leads with
-- the user, so reading by conversation scanned the table; deleting a conversation (its reads cascade) did too.
create index if not exists conversation_reads_conversation_idx on conversation_reads (conversation_id, user_id) include (read_inbound_count);
