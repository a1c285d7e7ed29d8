-- Email channel: the app nodes that read mailboxes, with their last heartbeat. Each node reads at most
-- ceil(email channels / live nodes) mailboxes, so readers spread over the nodes; the advisory lock per
-- mailbox (not this table) is what keeps a mailbox to one reader.
create table email_reader_nodes (
    node_id text primary key,
    seen_at timestamptz not null default now()
);
