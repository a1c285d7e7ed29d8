-- Sums of deals added amounts of different currencies into one figure: a board column with 21 USD and 1 RUB showed 22,
-- the funnel's "lost" 75,000 $ + 1 ₽ as 75 001. The kept aggregates now know each deal's currency, so every sum can be
-- given per currency ("21 $ · 1 ₽"). Both are rebuilt in this transaction, the deals read under a lock that keeps
-- writers out meanwhile.
lock table deals in share row exclusive mode;

drop trigger deals_stage_totals_insert on deals;
drop trigger deals_stage_totals_delete on deals;
drop trigger deals_stage_totals_update on deals;
drop table deal_stage_totals;

create table deal_stage_totals (
    pipeline_id  bigint not null,
    stage_id     bigint not null,
    assignee_key bigint not null,
    currency     text   not null,
    deals        bigint not null,
    amount       numeric not null,
    primary key (pipeline_id, stage_id, assignee_key, currency)
);

create or replace function deal_stage_totals_on_insert() returns trigger language plpgsql as $$
begin
    insert into deal_stage_totals as t (pipeline_id, stage_id, assignee_key, currency, deals, amount)
    select pipeline_id, stage_id, coalesce(assignee_id, 0), currency, count(*), sum(amount) from new_rows
    group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict (pipeline_id, stage_id, assignee_key, currency) do update set deals = t.deals + excluded.deals, amount = t.amount + excluded.amount;
    return null;
end $$;

create or replace function deal_stage_totals_on_delete() returns trigger language plpgsql as $$
begin
    insert into deal_stage_totals as t (pipeline_id, stage_id, assignee_key, currency, deals, amount)
    select pipeline_id, stage_id, coalesce(assignee_id, 0), currency, -count(*), -sum(amount) from old_rows
    group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict (pipeline_id, stage_id, assignee_key, currency) do update set deals = t.deals + excluded.deals, amount = t.amount + excluded.amount;
    return null;
end $$;

create or replace function deal_stage_totals_on_update() returns trigger language plpgsql as $$
begin
    insert into deal_stage_totals as t (pipeline_id, stage_id, assignee_key, currency, deals, amount)
    select pipeline_id, stage_id, assignee_key, currency, sum(c), sum(a)
    from (select pipeline_id, stage_id, coalesce(assignee_id, 0) as assignee_key, currency, 1 as c, amount as a from new_rows
          union all
          select pipeline_id, stage_id, coalesce(assignee_id, 0), currency, -1, -amount from old_rows) x
    group by 1, 2, 3, 4 having sum(c) <> 0 or sum(a) <> 0 order by 1, 2, 3, 4
    on conflict (pipeline_id, stage_id, assignee_key, currency) do update set deals = t.deals + excluded.deals, amount = t.amount + excluded.amount;
    return null;
end $$;

create trigger deals_stage_totals_insert after insert on deals
    referencing new table as new_rows for each statement execute function deal_stage_totals_on_insert();
create trigger deals_stage_totals_delete after delete on deals
    referencing old table as old_rows for each statement execute function deal_stage_totals_on_delete();
create trigger deals_stage_totals_update after update on deals
    referencing old table as old_rows new table as new_rows for each statement execute function deal_stage_totals_on_update();

insert into deal_stage_totals (pipeline_id, stage_id, assignee_key, currency, deals, amount)
select pipeline_id, stage_id, coalesce(assignee_id, 0), currency, count(*), sum(amount) from deals group by 1, 2, 3, 4;

-- The funnel keeps each deal's currency beside its amount (and the covering indexes carry it, as they carry the amount).
alter table deal_funnel add column currency text;
update deal_funnel f set currency = d.currency from deals d where d.id = f.deal_id;
alter table deal_funnel alter column currency set not null;

drop index deal_funnel_first_idx;
drop index deal_funnel_manager_idx;
drop index deal_funnel_last_idx;
create index deal_funnel_first_idx on deal_funnel (pipeline_id, first_at) include (last_at, stages, amount, currency, assignee_id, source);
create index deal_funnel_manager_idx on deal_funnel (pipeline_id, assignee_id, first_at) include (last_at, stages, amount, currency, source);
create index deal_funnel_last_idx on deal_funnel (pipeline_id, last_at) include (first_at, assignee_id, source, amount, currency);

create or replace function deal_funnel_refresh(p_deal_ids bigint[]) returns void language sql as $$
    with fresh as (
        select h.deal_id, s.pipeline_id, array_agg(distinct h.stage_id order by h.stage_id) as stages,
               min(h.entered_at) as first_at, max(h.entered_at) as last_at
        from deal_stage_history h join stages s on s.id = h.stage_id
        where h.deal_id = any(p_deal_ids)
        group by h.deal_id, s.pipeline_id
    ), gone as (
        delete from deal_funnel f where f.deal_id = any(p_deal_ids)
          and not exists (select 1 from fresh where fresh.deal_id = f.deal_id and fresh.pipeline_id = f.pipeline_id)
    )
    insert into deal_funnel as f (deal_id, pipeline_id, stages, first_at, last_at, amount, currency, assignee_id, source)
    select fresh.deal_id, fresh.pipeline_id, fresh.stages, fresh.first_at, fresh.last_at, d.amount, d.currency, d.assignee_id, d.source
    from fresh join deals d on d.id = fresh.deal_id
    order by fresh.deal_id, fresh.pipeline_id
    on conflict (deal_id, pipeline_id) do update
        set stages = excluded.stages, first_at = excluded.first_at, last_at = excluded.last_at,
            amount = excluded.amount, currency = excluded.currency, assignee_id = excluded.assignee_id, source = excluded.source
        where (f.stages, f.first_at, f.last_at, f.amount, f.currency, f.assignee_id, f.source)
              is distinct from (excluded.stages, excluded.first_at, excluded.last_at, excluded.amount, excluded.currency, excluded.assignee_id, excluded.source);
$$;

create or replace function deal_funnel_on_deal() returns trigger language plpgsql as $$
begin
    update deal_funnel set amount = new.amount, currency = new.currency, assignee_id = new.assignee_id, source = new.source where deal_id = new.id;
    return null;
end $$;

drop trigger deals_funnel_update on deals;
create trigger deals_funnel_update after update of amount, currency, assignee_id, source on deals
    for each row when ((old.amount, old.currency, old.assignee_id, old.source) is distinct from (new.amount, new.currency, new.assignee_id, new.source))
    execute function deal_funnel_on_deal();

-- The funnel's outcomes and loss reasons and the sales reports sum closed deals per currency, from the index alone.
drop index deals_closed_cover_idx;
create index deals_closed_cover_idx on deals (closed_at)
    include (outcome, amount, currency, assignee_id, pipeline_id, source, created_at, loss_reason_id, stage_id) where closed_at is not null;
