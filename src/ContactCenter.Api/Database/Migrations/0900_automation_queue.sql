-- Automation jobs run on Hangfire: the CRM clock marks a due job `queued` and enqueues it; a Hangfire worker claims
-- it (`running`). `locked_until` is a lease in database time: a queued job whose Hangfire job never ran, or a running
-- one whose node died, is queued again when it passes.
alter table automation_jobs drop constraint automation_jobs_state_check;
alter table automation_jobs add constraint automation_jobs_state_check
    check (state in ('pending', 'queued', 'running', 'done', 'failed', 'skipped'));
drop index automation_jobs_due_idx;
create index automation_jobs_due_idx on automation_jobs (due_at, id) where state = 'pending';
create index automation_jobs_lease_idx on automation_jobs (locked_until) where state in ('queued', 'running');
