-- Issue #15: revocation, audit log, per-account login throttling.

-- Bumped whenever a user's tokens must stop working (deactivation, role or password change, sign out everywhere);
-- every token carries the value it was issued with.
alter table users add column security_stamp bigint not null default 1;

-- Append-only record of administrative changes and sign-in failures. Secrets are masked before they get here.
create table audit_log (
    id           bigint generated always as identity primary key,
    at           timestamptz not null default now(),
    actor_id     bigint,
    action       text not null,
    subject_type text not null,
    subject_id   text,
    before       jsonb,
    after        jsonb
);
create index audit_log_action_idx on audit_log (action, id desc);
create index audit_log_actor_idx on audit_log (actor_id, id desc);

-- Nothing may rewrite history: updates and deletes of audit rows fail (truncate stays for test resets).
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only();

-- Failed sign-ins per email (normalised, whether or not a user has it), shared by every node.
create table login_throttle (
    email_key      text primary key,
    failures       int not null,
    last_failed_at timestamptz not null,
    locked_until   timestamptz
);
