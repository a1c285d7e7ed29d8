-- The supervisor queue's first part (QueueFeed: GET /api/stats/queue, and every `queueChanged` push, up to five a
-- second under load): the 500 longest-waiting unassigned open conversations. conversations_open_unassigned_idx finds
-- them but not in that order, so every read fetched and sorted all of them (the bench's EXPLAIN row "Supervisor
-- queue" shows the plan). In the order of the read, it stops after 500.
create index conversations_queue_order_idx on conversations (coalesce(waiting_since, created_at), id)
    where assignee_id is null and status not in ('resolved', 'snoozed');
