-- Issue #18: a channel that has conversations cannot be deleted (their history points at it); it is archived instead:
-- switched off (enabled = false, so every webhook answers as for a disabled channel), hidden from the default list,
-- and kept with everything it received. Restoring it clears archived_at and leaves it disabled.
alter table channels add column archived_at timestamptz;
