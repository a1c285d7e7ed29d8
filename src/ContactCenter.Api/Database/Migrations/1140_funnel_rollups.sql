-- The funnel from rollups (issue #19): a year of the whole team's funnel grouped ~100,000 deal_funnel rows and ~30,000
-- closed deals per request. Both are now also kept per UTC day (grain 'd') and month (grain 'm'), by statement triggers
-- in the transaction that changes them, so a period reads its whole months and days from here and only its partial edge
-- days, and the deals that cross its edges, from the deals' own rows. A manager's funnel (few deals) still reads those.

-- deal_funnel rows by the day of their first entry: how many deals took each set of stages, and their amounts.
create table deal_funnel_rollups (
    pipeline_id bigint not null,
    grain       char(1) not null check (grain in ('d', 'm')),
    period      date not null,
    source      text,
    currency    text not null,
    stages      bigint[] not null,
    deals       bigint not null,
    amount      numeric not null,
    constraint deal_funnel_rollups_key unique nulls not distinct (pipeline_id, grain, period, source, currency, stages)
);

-- A change of deal_funnel rows: +1 for a row as it is now, -1 for a row as it was.
create type deal_funnel_delta as (pipeline_id bigint, first_at timestamptz, source text, currency text, stages bigint[], c int, amount numeric);

-- Applies the changes to the day and month rows, netted per key and upserted in key order, so concurrent writers lock
-- the rows they share in the same order.
create function deal_funnel_rollups_add(deltas deal_funnel_delta[]) returns void language sql as $$
    insert into deal_funnel_rollups as r (pipeline_id, grain, period, source, currency, stages, deals, amount)
    select x.pipeline_id, p.grain,
           case p.grain when 'd' then (x.first_at at time zone 'UTC')::date else date_trunc('month', x.first_at at time zone 'UTC')::date end,
           x.source, x.currency, x.stages, sum(x.c), sum(x.c * coalesce(x.amount, 0))
    from unnest(deltas) x cross join (values ('d'), ('m')) p(grain)
    group by 1, 2, 3, 4, 5, 6 having sum(x.c) <> 0 or sum(x.c * coalesce(x.amount, 0)) <> 0
    order by 1, 2, 3, 4, 5, 6
    on conflict on constraint deal_funnel_rollups_key do update set deals = r.deals + excluded.deals, amount = r.amount + excluded.amount;
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
    amount         numeric not null,
    constraint deal_outcome_rollups_key unique nulls not distinct (pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id)
);

create type deal_outcome_delta as (pipeline_id bigint, closed_at timestamptz, outcome text, source text, currency text, loss_reason_id bigint,
    stage_id bigint, c int, amount numeric);

create function deal_outcome_rollups_add(deltas deal_outcome_delta[]) returns void language sql as $$
    insert into deal_outcome_rollups as r (pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id, deals, amount)
    select x.pipeline_id, p.grain,
           case p.grain when 'd' then (x.closed_at at time zone 'UTC')::date else date_trunc('month', x.closed_at at time zone 'UTC')::date end,
           x.outcome, x.source, x.currency, x.loss_reason_id, x.stage_id, sum(x.c), sum(x.c * x.amount)
    from unnest(deltas) x cross join (values ('d'), ('m')) p(grain)
    where x.closed_at is not null and x.outcome is not null
    group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(x.c) <> 0 or sum(x.c * x.amount) <> 0
    order by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint deal_outcome_rollups_key do update set deals = r.deals + excluded.deals, amount = r.amount + excluded.amount;
$$;

-- Most updates of deals change nothing here (open deals, or columns the rollup does not keep): filtered before the call.
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
        perform deal_outcome_rollups_add(array(
            select row(n.pipeline_id, n.closed_at, n.outcome, n.source, n.currency, n.loss_reason_id, n.stage_id, 1, n.amount)::deal_outcome_delta
            from new_rows n join old_rows o on o.id = n.id
            where n.closed_at is not null and n.outcome is not null
              and (n.pipeline_id, n.closed_at, n.outcome, n.source, n.currency, n.loss_reason_id, n.stage_id, n.amount)
                  is distinct from (o.pipeline_id, o.closed_at, o.outcome, o.source, o.currency, o.loss_reason_id, o.stage_id, o.amount)
            union all
            select row(o.pipeline_id, o.closed_at, o.outcome, o.source, o.currency, o.loss_reason_id, o.stage_id, -1, o.amount)::deal_outcome_delta
            from new_rows n join old_rows o on o.id = n.id
            where o.closed_at is not null and o.outcome is not null
              and (n.pipeline_id, n.closed_at, n.outcome, n.source, n.currency, n.loss_reason_id, n.stage_id, n.amount)
                  is distinct from (o.pipeline_id, o.closed_at, o.outcome, o.source, o.currency, o.loss_reason_id, o.stage_id, o.amount)));
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

-- The deals whose entries span a period's edge (the funnel reads their entries inside it): a span holding the edge, which
-- the first_at and last_at indexes could only find among every deal that began before it or ended after it.
create index deal_funnel_span_idx on deal_funnel using gist (tstzrange(first_at, last_at, '[]'));

-- What is there already, read under locks that keep writers out meanwhile.
lock table deals, deal_funnel in share row exclusive mode;
select deal_funnel_rollups_add(array(select row(pipeline_id, first_at, source, currency, stages, 1, amount)::deal_funnel_delta from deal_funnel));
select deal_outcome_rollups_add(array(
    select row(pipeline_id, closed_at, outcome, source, currency, loss_reason_id, stage_id, 1, amount)::deal_outcome_delta
    from deals where closed_at is not null and outcome is not null));
