-- Snooze (issue #16): a conversation put aside until a time; the next inbound message or that time opens it again.
alter table conversations drop constraint conversations_status_check;
alter table conversations add constraint conversations_status_check check (status in ('open', 'pending', 'resolved', 'snoozed'));
alter table conversations add column snoozed_until timestamptz;
alter table conversations add constraint conversations_snoozed_until_check check ((status = 'snoozed') = (snoozed_until is not null));
-- The wake sweep reads only the snoozed ones that are due: a small partial index, empty when nobody snoozes
-- (EXPLAIN: Bitmap Index Scan on conversations_snoozed_due_idx, Index Cond snoozed_until <= now).
create index conversations_snoozed_due_idx on conversations (snoozed_until) where status = 'snoozed';
-- The inbox's "longest waiting first" sort within a status: oldest unanswered first, answered ones (null, read as
-- infinity so one row comparison pages through both) last, then id. EXPLAIN ANALYZE (generic plan, 100,000 conversations,
-- staff, status=open, after a cursor): Index Scan using conversations_waiting_sort_idx, Index Cond (status = $3 AND
-- ROW(coalesce(waiting_since, 'infinity'), id) > ROW(...)), 31 rows read for a page of 30.
create index conversations_waiting_sort_idx on conversations (status, coalesce(waiting_since, 'infinity'::timestamptz), id);
