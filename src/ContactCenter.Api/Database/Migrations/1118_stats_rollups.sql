-- Statistics from rollups (issue #19): response-time figures from per-day and per-month aggregates kept by triggers in
-- the transaction that writes the events, and the board's per-stage count and sum kept with the deals.
-- Series keys: channel_key 0 = every channel; user_key 0 = every user, -1 = events without a user (system resolutions).

-- Log-bucketed histogram index of a duration: 1 holds exactly zero, otherwise 200 + floor(log_1.05(seconds)), so a bucket
-- spans a factor of 1.05 and its geometric middle is within 2.5 % of every value in it.
create function response_rollup_bucket(seconds double precision) returns int language sql immutable parallel safe as $$
    select case when seconds <= 0 then 1 else greatest(2, least(1000, floor(ln(seconds) / ln(1.05))::int + 200)) end
$$;

-- Histograms are int arrays indexed by bucket (sparse: PostgreSQL extends an array with nulls when a far index is set).
create function rollup_hist_add(h int[], i int, c int) returns int[] language plpgsql immutable parallel safe as $$
begin
    h := coalesce(h, '{}');
    h[i] := coalesce(h[i], 0) + c;
    return h;
end $$;

create aggregate rollup_hist_agg(int, int) (sfunc = rollup_hist_add, stype = int[]);

create function rollup_hist_merge(a int[], b int[]) returns int[] language plpgsql immutable parallel safe as $$
declare
    i int;
begin
    if a is null or cardinality(a) = 0 then
        return b;
    end if;
    if b is null or cardinality(b) = 0 then
        return a;
    end if;
    for i in array_lower(b, 1)..array_upper(b, 1) loop
        if b[i] is not null then
            a[i] := coalesce(a[i], 0) + b[i];
        end if;
    end loop;
    return a;
end $$;

-- One row per series, kind and day (grain 'd') or month (grain 'm', UTC): counts, exact sums, and both histograms.
create table response_rollups (
    channel_key   bigint not null,
    user_key      bigint not null,
    kind          text not null,
    grain         char(1) not null check (grain in ('d', 'm')),
    period        date not null,
    n             bigint not null,
    seconds_sum   numeric not null,
    business_sum  numeric not null,
    within_n      bigint not null,
    target_n      bigint not null,
    hist          int[],
    business_hist int[],
    primary key (channel_key, grain, period, user_key, kind)
);
create index response_rollups_channels_idx on response_rollups (grain, period) where user_key = 0;

-- Distinct conversations over any range of days, exactly: the days each conversation had events in a series, and per
-- series how many conversations were active on `day` with their previous active day `prev_day` ('-infinity': none).
-- Conversations active in [d1, d2) = sum over day in [d1, d2) with prev_day < d1.
create table response_conversation_days (
    channel_key     bigint not null,
    user_key        bigint not null,
    conversation_id bigint not null,
    day             date not null,
    events          int not null,
    primary key (channel_key, user_key, conversation_id, day)
);

create table response_conversation_starts (
    channel_key   bigint not null,
    user_key      bigint not null,
    day           date not null,
    prev_day      date not null,
    conversations bigint not null,
    primary key (channel_key, user_key, day, prev_day)
);

-- Adds (sign 1) or removes (sign -1) a set of events from every rollup. Set-based, so a COPY of a million events or the
-- backfill below is one pass; rows are upserted in key order, so concurrent writers lock them in the same order.
create function response_rollup_apply(sign int, conversation_ids bigint[], channel_ids bigint[], user_ids bigint[], kinds text[],
    ats timestamptz[], secs double precision[], business double precision[], within boolean[]) returns void language plpgsql as $$
begin
    if coalesce(cardinality(conversation_ids), 0) = 0 then
        return;
    end if;

    with e as (
        select r.*, (r.at at time zone 'UTC')::date as day
        from unnest(conversation_ids, channel_ids, user_ids, kinds, ats, secs, business, within)
             as r(conversation_id, channel_id, user_id, kind, at, seconds, business_seconds, within_target)
    ), g as (
        select s.channel_key, s.user_key, e.kind, p.grain,
               case p.grain when 'd' then e.day else date_trunc('month', e.day)::date end as period,
               e.seconds, e.business_seconds, e.within_target
        from e
        cross join lateral (values (0::bigint, 0::bigint), (e.channel_id, 0), (0, coalesce(e.user_id, -1)), (e.channel_id, coalesce(e.user_id, -1))) s(channel_key, user_key)
        cross join (values ('d'), ('m')) p(grain)
    ), sb as (
        select channel_key, user_key, kind, grain, period, response_rollup_bucket(seconds) as b, count(*) as c, sum(seconds::numeric) as s,
               count(*) filter (where within_target) as w, count(within_target) as t
        from g group by 1, 2, 3, 4, 5, 6
    ), bb as (
        select channel_key, user_key, kind, grain, period, response_rollup_bucket(business_seconds) as b, count(*) as c, sum(business_seconds::numeric) as s
        from g group by 1, 2, 3, 4, 5, 6
    ), items as (
        -- Both histograms' buckets in one set, so each key is aggregated once (no join between per-key aggregates).
        select channel_key, user_key, kind, grain, period, 1 as which, b, c, s, w, t from sb
        union all
        select channel_key, user_key, kind, grain, period, 2, b, c, s, 0, 0 from bb
    )
    insert into response_rollups as r (channel_key, user_key, kind, grain, period, n, seconds_sum, business_sum, within_n, target_n, hist, business_hist)
    select channel_key, user_key, kind, grain, period,
           sign * sum(c) filter (where which = 1), sign * coalesce(sum(s) filter (where which = 1), 0), sign * coalesce(sum(s) filter (where which = 2), 0),
           sign * sum(w), sign * sum(t),
           rollup_hist_agg(b, sign * c::int) filter (where which = 1), rollup_hist_agg(b, sign * c::int) filter (where which = 2)
    from items
    group by channel_key, user_key, kind, grain, period
    order by channel_key, grain, period, user_key, kind
    on conflict (channel_key, grain, period, user_key, kind) do update set
        n = r.n + excluded.n, seconds_sum = r.seconds_sum + excluded.seconds_sum, business_sum = r.business_sum + excluded.business_sum,
        within_n = r.within_n + excluded.within_n, target_n = r.target_n + excluded.target_n,
        hist = rollup_hist_merge(r.hist, excluded.hist), business_hist = rollup_hist_merge(r.business_hist, excluded.business_hist);

    -- Conversation starts: the (day, prev_day) pairs of the touched conversations before and after, netted, so a reply on
    -- a day the conversation was already active changes (and locks) nothing here.
    with e as (
        select r.conversation_id, r.channel_id, r.user_id, (r.at at time zone 'UTC')::date as day
        from unnest(conversation_ids, channel_ids, user_ids, ats) as r(conversation_id, channel_id, user_id, at)
    ), k as (
        select s.channel_key, s.user_key, e.conversation_id, e.day
        from e cross join lateral (values (0::bigint, 0::bigint), (e.channel_id, 0), (0, coalesce(e.user_id, -1)), (e.channel_id, coalesce(e.user_id, -1))) s(channel_key, user_key)
    ), delta as (
        select channel_key, user_key, conversation_id, day, sign * count(*) as events from k group by 1, 2, 3, 4
    ), touched as (
        select distinct channel_key, user_key, conversation_id from delta
    ), old as (
        select d.channel_key, d.user_key, d.conversation_id, d.day, d.events
        from response_conversation_days d join touched t using (channel_key, user_key, conversation_id)
    ), now_days as (
        select channel_key, user_key, conversation_id, day
        from old full join delta using (channel_key, user_key, conversation_id, day)
        where coalesce(old.events, 0) + coalesce(delta.events, 0) > 0
    ), pairs as (
        select channel_key, user_key, day, coalesce(lag(day) over w, '-infinity'::date) as prev_day, -1 as m
        from old window w as (partition by channel_key, user_key, conversation_id order by day)
        union all
        select channel_key, user_key, day, coalesce(lag(day) over w, '-infinity'::date) as prev_day, 1 as m
        from now_days window w as (partition by channel_key, user_key, conversation_id order by day)
    )
    insert into response_conversation_starts as s (channel_key, user_key, day, prev_day, conversations)
    select channel_key, user_key, day, prev_day, sum(m) from pairs
    group by channel_key, user_key, day, prev_day having sum(m) <> 0
    order by channel_key, user_key, day, prev_day
    on conflict (channel_key, user_key, day, prev_day) do update set conversations = s.conversations + excluded.conversations;

    with e as (
        select r.conversation_id, r.channel_id, r.user_id, (r.at at time zone 'UTC')::date as day
        from unnest(conversation_ids, channel_ids, user_ids, ats) as r(conversation_id, channel_id, user_id, at)
    )
    insert into response_conversation_days as d (channel_key, user_key, conversation_id, day, events)
    select s.channel_key, s.user_key, e.conversation_id, e.day, sign * count(*)
    from e cross join lateral (values (0::bigint, 0::bigint), (e.channel_id, 0), (0, coalesce(e.user_id, -1)), (e.channel_id, coalesce(e.user_id, -1))) s(channel_key, user_key)
    group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict (channel_key, user_key, conversation_id, day) do update set events = d.events + excluded.events;
    if sign < 0 then
        delete from response_conversation_days d
        using (select distinct s.channel_key, s.user_key, r.conversation_id
               from unnest(conversation_ids, channel_ids, user_ids) as r(conversation_id, channel_id, user_id)
               cross join lateral (values (0::bigint, 0::bigint), (r.channel_id, 0), (0, coalesce(r.user_id, -1)), (r.channel_id, coalesce(r.user_id, -1))) s(channel_key, user_key)) t
        where d.channel_key = t.channel_key and d.user_key = t.user_key and d.conversation_id = t.conversation_id and d.events <= 0;
    end if;
end $$;

create function response_rollup_on_insert() returns trigger language plpgsql as $$
begin
    perform response_rollup_apply(1, array_agg(conversation_id), array_agg(channel_id), array_agg(user_id), array_agg(kind), array_agg(at),
        array_agg(seconds), array_agg(business_seconds), array_agg(within_target)) from new_rows;
    return null;
end $$;

create function response_rollup_on_delete() returns trigger language plpgsql as $$
begin
    perform response_rollup_apply(-1, array_agg(conversation_id), array_agg(channel_id), array_agg(user_id), array_agg(kind), array_agg(at),
        array_agg(seconds), array_agg(business_seconds), array_agg(within_target)) from old_rows;
    return null;
end $$;

create function response_rollup_on_update() returns trigger language plpgsql as $$
begin
    perform response_rollup_apply(-1, array_agg(conversation_id), array_agg(channel_id), array_agg(user_id), array_agg(kind), array_agg(at),
        array_agg(seconds), array_agg(business_seconds), array_agg(within_target)) from old_rows;
    perform response_rollup_apply(1, array_agg(conversation_id), array_agg(channel_id), array_agg(user_id), array_agg(kind), array_agg(at),
        array_agg(seconds), array_agg(business_seconds), array_agg(within_target)) from new_rows;
    return null;
end $$;

create function response_rollup_on_truncate() returns trigger language plpgsql as $$
begin
    truncate response_rollups, response_conversation_days, response_conversation_starts;
    return null;
end $$;

create trigger response_events_rollup_insert after insert on response_events
    referencing new table as new_rows for each statement execute function response_rollup_on_insert();
create trigger response_events_rollup_delete after delete on response_events
    referencing old table as old_rows for each statement execute function response_rollup_on_delete();
create trigger response_events_rollup_update after update on response_events
    referencing old table as old_rows new table as new_rows for each statement execute function response_rollup_on_update();
create trigger response_events_rollup_truncate after truncate on response_events
    for each statement execute function response_rollup_on_truncate();

-- The partial days at a period's edges are read from the raw events.
create index response_events_at_cover_idx on response_events (at) include (conversation_id, channel_id, user_id, kind, seconds, business_seconds, within_target);
drop index response_events_at_idx;

-- Backfill: every existing event, in one pass.
select response_rollup_apply(1, array_agg(conversation_id), array_agg(channel_id), array_agg(user_id), array_agg(kind), array_agg(at),
    array_agg(seconds), array_agg(business_seconds), array_agg(within_target)) from response_events;

-- The board's per-stage count and total amount, kept with the deals (per assignee, so the assignee filter reads it too;
-- assignee_key 0 = unassigned). A change that moves no deal and no amount nets to nothing and touches no row.
create table deal_stage_totals (
    pipeline_id  bigint not null,
    stage_id     bigint not null,
    assignee_key bigint not null,
    deals        bigint not null,
    amount       numeric not null,
    primary key (pipeline_id, stage_id, assignee_key)
);

create function deal_stage_totals_on_insert() returns trigger language plpgsql as $$
begin
    insert into deal_stage_totals as t (pipeline_id, stage_id, assignee_key, deals, amount)
    select pipeline_id, stage_id, coalesce(assignee_id, 0), count(*), sum(amount) from new_rows
    group by 1, 2, 3 order by 1, 2, 3
    on conflict (pipeline_id, stage_id, assignee_key) do update set deals = t.deals + excluded.deals, amount = t.amount + excluded.amount;
    return null;
end $$;

create function deal_stage_totals_on_delete() returns trigger language plpgsql as $$
begin
    insert into deal_stage_totals as t (pipeline_id, stage_id, assignee_key, deals, amount)
    select pipeline_id, stage_id, coalesce(assignee_id, 0), -count(*), -sum(amount) from old_rows
    group by 1, 2, 3 order by 1, 2, 3
    on conflict (pipeline_id, stage_id, assignee_key) do update set deals = t.deals + excluded.deals, amount = t.amount + excluded.amount;
    return null;
end $$;

create function deal_stage_totals_on_update() returns trigger language plpgsql as $$
begin
    insert into deal_stage_totals as t (pipeline_id, stage_id, assignee_key, deals, amount)
    select pipeline_id, stage_id, assignee_key, sum(c), sum(a)
    from (select pipeline_id, stage_id, coalesce(assignee_id, 0) as assignee_key, 1 as c, amount as a from new_rows
          union all
          select pipeline_id, stage_id, coalesce(assignee_id, 0), -1, -amount from old_rows) x
    group by 1, 2, 3 having sum(c) <> 0 or sum(a) <> 0 order by 1, 2, 3
    on conflict (pipeline_id, stage_id, assignee_key) do update set deals = t.deals + excluded.deals, amount = t.amount + excluded.amount;
    return null;
end $$;

create function deal_stage_totals_on_truncate() returns trigger language plpgsql as $$
begin
    truncate deal_stage_totals;
    return null;
end $$;

create trigger deals_stage_totals_insert after insert on deals
    referencing new table as new_rows for each statement execute function deal_stage_totals_on_insert();
create trigger deals_stage_totals_delete after delete on deals
    referencing old table as old_rows for each statement execute function deal_stage_totals_on_delete();
create trigger deals_stage_totals_update after update on deals
    referencing old table as old_rows new table as new_rows for each statement execute function deal_stage_totals_on_update();
create trigger deals_stage_totals_truncate after truncate on deals
    for each statement execute function deal_stage_totals_on_truncate();

insert into deal_stage_totals (pipeline_id, stage_id, assignee_key, deals, amount)
select pipeline_id, stage_id, coalesce(assignee_id, 0), count(*), sum(amount) from deals group by 1, 2, 3;

-- The funnel reads a period's stage history per stage: the deal ids come from the index alone.
create index deal_stage_history_stage_cover_idx on deal_stage_history (stage_id, entered_at) include (deal_id);
drop index deal_stage_history_stage_idx;
