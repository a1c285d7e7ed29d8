-- The funnel from rollups (issue #19): a year of the whole team's funnel grouped ~100,000 deal_funnel rows and ~30,000
-- closed deals per request. Both are now also kept per UTC day (grain 'd') and month (grain 'm'), by statement triggers
-- in the transaction that changes them, so a period reads its whole months and days from here and only its partial edge
-- days, and the deals that cross its edges, from the deals' own rows. A manager's funnel (few deals) still reads those.
--
-- Writers only INSERT rows (a change's deltas, netted per key): a key may have several rows, and readers sum them.
-- Upserting one row per key made every deal write lock rows that every other deal of the same day shares, in an order
-- that depends on the write (a move locks stage totals before the funnel's rows, an amount edit or a close the other
-- way round): concurrent moves, edits and closes deadlocked (a session 25 review; FunnelRollupTests). Inserted rows
-- are never locked by anyone else. deal_rollups_compact() (a minutely job, FunnelRollupCompactor) folds each key's rows
-- into one, in one transaction, so readers see either the rows or their sum.

-- deal_funnel rows by the day of their first entry: how many deals took each set of stages, and their amounts.
create table deal_funnel_rollups (
    pipeline_id bigint not null,
    grain       char(1) not null check (grain in ('d', 'm')),
    period      date not null,
    source      text,
    currency    text not null,
    stages      bigint[] not null,
    deals       bigint not null,
    amount      numeric not null
);
create index deal_funnel_rollups_period_idx on deal_funnel_rollups (pipeline_id, grain, period);

-- A change of deal_funnel rows: +1 for a row as it is now, -1 for a row as it was.
create type deal_funnel_delta as (pipeline_id bigint, first_at timestamptz, source text, currency text, stages bigint[], c int, amount numeric);

-- Adds the changes to the day and month rows, netted per key, as new rows.
create function deal_funnel_rollups_add(deltas deal_funnel_delta[]) returns void language sql as $$
    insert into deal_funnel_rollups (pipeline_id, grain, period, source, currency, stages, deals, amount)
    select x.pipeline_id, p.grain,
           case p.grain when 'd' then (x.first_at at time zone 'UTC')::date else date_trunc('month', x.first_at at time zone 'UTC')::date end,
           x.source, x.currency, x.stages, sum(x.c), sum(x.c * coalesce(x.amount, 0))
    from unnest(deltas) x cross join (values ('d'), ('m')) p(grain)
    group by 1, 2, 3, 4, 5, 6 having sum(x.c) <> 0 or sum(x.c * coalesce(x.amount, 0)) <> 0;
$$;

create function deal_funnel_rollups_on_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform deal_funnel_rollups_add(array(select row(pipeline_id, first_at, source, currency, stages, 1, amount)::deal_funnel_delta from new_rows));
    elsif tg_op = 'DELETE' then
        perform deal_funnel_rollups_add(array(select row(pipeline_id, first_at, source, currency, stages, -1, amount)::deal_funnel_delta from old_rows));
    else
        perform deal_funnel_rollups_add(array(
            select row(pipeline_id, first_at, source, currency, stages, 1, amount)::deal_funnel_delta from new_rows
            union all
            select row(pipeline_id, first_at, source, currency, stages, -1, amount)::deal_funnel_delta from old_rows));
    end if;
    return null;
end $$;

create function deal_funnel_rollups_on_truncate() returns trigger language plpgsql as $$
begin
    truncate deal_funnel_rollups;
    return null;
end $$;

create trigger deal_funnel_rollups_insert after insert on deal_funnel
    referencing new table as new_rows for each statement execute function deal_funnel_rollups_on_change();
create trigger deal_funnel_rollups_delete after delete on deal_funnel
    referencing old table as old_rows for each statement execute function deal_funnel_rollups_on_change();
create trigger deal_funnel_rollups_update after update on deal_funnel
    referencing old table as old_rows new table as new_rows for each statement execute function deal_funnel_rollups_on_change();
create trigger deal_funnel_rollups_truncate after truncate on deal_funnel
    for each statement execute function deal_funnel_rollups_on_truncate();

-- Closed deals by the day they closed: how many were won or lost, for what reason, in which (lost) stage, and their amounts.
create table deal_outcome_rollups (
    pipeline_id    bigint not null,
    grain          char(1) not null check (grain in ('d', 'm')),
    period         date not null,
    outcome        text not null,
    source         text,
    currency       text not null,
    loss_reason_id bigint,
    stage_id       bigint not null,
    deals          bigint not null,
    amount         numeric not null
);
create index deal_outcome_rollups_period_idx on deal_outcome_rollups (pipeline_id, grain, period);

create type deal_outcome_delta as (pipeline_id bigint, closed_at timestamptz, outcome text, source text, currency text, loss_reason_id bigint,
    stage_id bigint, c int, amount numeric);

create function deal_outcome_rollups_add(deltas deal_outcome_delta[]) returns void language sql as $$
    insert into deal_outcome_rollups (pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id, deals, amount)
    select x.pipeline_id, p.grain,
           case p.grain when 'd' then (x.closed_at at time zone 'UTC')::date else date_trunc('month', x.closed_at at time zone 'UTC')::date end,
           x.outcome, x.source, x.currency, x.loss_reason_id, x.stage_id, sum(x.c), sum(x.c * x.amount)
    from unnest(deltas) x cross join (values ('d'), ('m')) p(grain)
    where x.closed_at is not null and x.outcome is not null
    group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(x.c) <> 0 or sum(x.c * x.amount) <> 0;
$$;

-- Most updates of deals change nothing here (open deals, or columns the rollup does not keep).
create function deal_outcome_rollups_on_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform deal_outcome_rollups_add(array(
            select row(pipeline_id, closed_at, outcome, source, currency, loss_reason_id, stage_id, 1, amount)::deal_outcome_delta
            from new_rows where closed_at is not null and outcome is not null));
    elsif tg_op = 'DELETE' then
        perform deal_outcome_rollups_add(array(
            select row(pipeline_id, closed_at, outcome, source, currency, loss_reason_id, stage_id, -1, amount)::deal_outcome_delta
            from old_rows where closed_at is not null and outcome is not null));
    else
        -- Every closed row before (-1) and after (+1): the add nets them per key, so an update that changes nothing kept
        -- (most updates of a closed deal) writes nothing.
        perform deal_outcome_rollups_add(array(
            select row(pipeline_id, closed_at, outcome, source, currency, loss_reason_id, stage_id, 1, amount)::deal_outcome_delta
            from new_rows where closed_at is not null and outcome is not null
            union all
            select row(pipeline_id, closed_at, outcome, source, currency, loss_reason_id, stage_id, -1, amount)::deal_outcome_delta
            from old_rows where closed_at is not null and outcome is not null));
    end if;
    return null;
end $$;

create function deal_outcome_rollups_on_truncate() returns trigger language plpgsql as $$
begin
    truncate deal_outcome_rollups;
    return null;
end $$;

create trigger deals_outcome_rollups_insert after insert on deals
    referencing new table as new_rows for each statement execute function deal_outcome_rollups_on_change();
create trigger deals_outcome_rollups_delete after delete on deals
    referencing old table as old_rows for each statement execute function deal_outcome_rollups_on_change();
create trigger deals_outcome_rollups_update after update on deals
    referencing old table as old_rows new table as new_rows for each statement execute function deal_outcome_rollups_on_change();
create trigger deals_outcome_rollups_truncate after truncate on deals
    for each statement execute function deal_outcome_rollups_on_truncate();

-- Folds every key's rows into one (and drops keys that sum to nothing), in one transaction: readers see the rows or their
-- sum. Rows inserted meanwhile are not in this snapshot and stay as they are. One compaction at a time (an advisory
-- lock: two would wait on each other's deletes).
create function deal_rollups_compact() returns void language plpgsql as $$
begin
    if not pg_try_advisory_xact_lock(hashtext('deal_rollups_compact')) then
        return;
    end if;
    with k as (
        select pipeline_id, grain, period, source, currency, stages from deal_funnel_rollups
        group by 1, 2, 3, 4, 5, 6 having count(*) > 1 or (sum(deals) = 0 and sum(amount) = 0)
    ), gone as (
        delete from deal_funnel_rollups r using k
        where r.pipeline_id = k.pipeline_id and r.grain = k.grain and r.period = k.period and r.source is not distinct from k.source
          and r.currency = k.currency and r.stages = k.stages
        returning r.*
    )
    insert into deal_funnel_rollups (pipeline_id, grain, period, source, currency, stages, deals, amount)
    select pipeline_id, grain, period, source, currency, stages, sum(deals), sum(amount) from gone
    group by 1, 2, 3, 4, 5, 6 having sum(deals) <> 0 or sum(amount) <> 0;

    with k as (
        select pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id from deal_outcome_rollups
        group by 1, 2, 3, 4, 5, 6, 7, 8 having count(*) > 1 or (sum(deals) = 0 and sum(amount) = 0)
    ), gone as (
        delete from deal_outcome_rollups r using k
        where r.pipeline_id = k.pipeline_id and r.grain = k.grain and r.period = k.period and r.outcome = k.outcome
          and r.source is not distinct from k.source and r.currency = k.currency and r.loss_reason_id is not distinct from k.loss_reason_id
          and r.stage_id = k.stage_id
        returning r.*
    )
    insert into deal_outcome_rollups (pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id, deals, amount)
    select pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id, sum(deals), sum(amount) from gone
    group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(deals) <> 0 or sum(amount) <> 0;
end $$;

-- The deals whose entries span a period's edge (the funnel reads their entries inside it): a span holding the edge, which
-- the first_at and last_at indexes could only find among every deal that began before it or ended after it.
create index deal_funnel_span_idx on deal_funnel using gist (tstzrange(first_at, last_at, '[]'));

-- What is there already, read under locks that keep writers out meanwhile.
lock table deals, deal_funnel in share row exclusive mode;
select deal_funnel_rollups_add(array(select row(pipeline_id, first_at, source, currency, stages, 1, amount)::deal_funnel_delta from deal_funnel));
select deal_outcome_rollups_add(array(
    select row(pipeline_id, closed_at, outcome, source, currency, loss_reason_id, stage_id, 1, amount)::deal_outcome_delta
    from deals where closed_at is not null and outcome is not null));
