-- Loss reasons can be renamed, given a Russian name and archived like lead statuses and junk reasons (the shared catalog
-- routes): a typo stayed in every lost-deal dialog for good (an outside review, session 29). An archived reason is not
-- offered any more; deals already lost for it keep it.
alter table loss_reasons add column if not exists sort int not null default 0;
alter table loss_reasons add column if not exists archived_at timestamptz;
